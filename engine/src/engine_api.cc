#include "voxlet/engine_api.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "voxlet/chunk_planner.h"
#include "voxlet/normalizer.h"
#include "voxlet/phoneme_ids.h"
#include "voxlet/phoneset.h"
#include "voxlet/ssml.h"
#include "voxlet/tuner.h"
#include "voxlet/utf8.h"
#include "voxlet/wav.h"

#ifndef VOXLET_VERSION
#define VOXLET_VERSION "0.1.0"
#endif

namespace voxlet {
namespace {

using Json = nlohmann::ordered_json;  // keys stay in the documented order

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ErrorJson(const Status& status) {
  return Dump({{"error", {{"code", StatusCodeName(status.code())}, {"message", status.message()}}}});
}

std::string OkJson() { return R"({"ok":true})"; }

// Parses an options object; "" means no options. Never throws.
Result<Json> ParseObject(const std::string& text, const char* what) {
  if (text.empty()) return Json::object();
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return Status(StatusCode::kInvalidArgument, std::string(what) + " must be a JSON object");
  }
  return json;
}

int IntOr(const Json& json, const char* key, int fallback) {
  const auto it = json.find(key);
  return it != json.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

std::string StringOr(const Json& json, const char* key, const std::string& fallback) {
  const auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : fallback;
}

// The integer at `key`, or `fallback` when absent; anything else is an error.
Result<int> IntOption(const Json& json, const char* key, int fallback) {
  const auto it = json.find(key);
  if (it == json.end()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() < INT32_MIN ||
      it->get<int64_t>() > INT32_MAX) {
    return Status(StatusCode::kInvalidArgument, std::string(key) + " must be an integer");
  }
  return it->get<int>();
}

Result<FrontEndOptions> ParseFrontEndOptions(const std::string& options_json) {
  auto parsed = ParseObject(options_json, "options");
  if (!parsed.ok()) return parsed.status();
  const Json& json = parsed.value();
  FrontEndOptions options;
  const std::string format = StringOr(json, "format", "auto");
  if (format == "text") options.format = InputFormat::kText;
  else if (format == "ssml") options.format = InputFormat::kSsml;
  else if (format != "auto") {
    return Status(StatusCode::kInvalidArgument,
                  "format \"" + format + "\" is not valid; expected one of: auto, text, ssml");
  }
  for (auto [key, field] : {std::pair{"first_chunk_ids", &options.first_chunk_ids},
                            std::pair{"max_chunk_ids", &options.max_chunk_ids}}) {
    auto value = IntOption(json, key, *field);  // 2**32 + 20 must not wrap to 20
    if (!value.ok()) return value.status();
    *field = value.value();
  }
  if (const auto rate = json.find("rate"); rate != json.end()) {
    if (!rate->is_number()) {
      return Status(StatusCode::kInvalidArgument, "rate must be a number in (0, 100]");
    }
    options.rate = rate->get<double>();
  }
  if (json.contains("max_input_bytes") && json["max_input_bytes"].is_number_unsigned()) {
    options.max_input_bytes = json["max_input_bytes"].get<size_t>();
  }
  const auto problems = options.Validate();
  if (!problems.empty()) return Status(StatusCode::kInvalidArgument, problems.front());
  return options;
}

Result<SayAs> ParseSayAs(const std::string& name) {
  static const std::pair<const char*, SayAs> kNames[] = {
      {"", SayAs::kNone},          {"characters", SayAs::kCharacters},
      {"cardinal", SayAs::kCardinal}, {"ordinal", SayAs::kOrdinal},
      {"digits", SayAs::kDigits},  {"date", SayAs::kDate},
      {"time", SayAs::kTime},      {"telephone", SayAs::kTelephone}};
  for (const auto& [key, value] : kNames) {
    if (name == key) return value;
  }
  return Status(StatusCode::kInvalidArgument,
                "say_as \"" + name +
                    "\" is not valid; expected one of: characters, cardinal, ordinal, digits, "
                    "date, time, telephone");
}

// Doubles from JS or JSON narrowed without undefined behaviour: values beyond
// float range saturate (to a value every range check rejects), NaN stays NaN.
float ToFloat(double value) {
  constexpr double kLimit = 1e30;
  return static_cast<float>(value > kLimit ? kLimit : value < -kLimit ? -kLimit : value);
}

Result<AudioPipelineConfig> ParseAudioPipelineConfig(const std::string& config_json,
                                                     int default_voice_rate) {
  auto parsed = ParseObject(config_json, "audio pipeline config");
  if (!parsed.ok()) return parsed.status();
  const Json& json = parsed.value();
  AudioPipelineConfig config;
  auto voice_rate = IntOption(json, "voice_rate", default_voice_rate);
  if (!voice_rate.ok()) return voice_rate.status();
  if (voice_rate.value() == 0) {
    return Status(StatusCode::kFailedPrecondition,
                  "no voice_rate given and no voice loaded; pass the voice's sample rate");
  }
  auto output_rate = IntOption(json, "output_rate", voice_rate.value());
  if (!output_rate.ok()) return output_rate.status();
  config.voice_rate = voice_rate.value();
  config.output_rate = output_rate.value();
  if (const auto it = json.find("normalize"); it != json.end()) {
    if (!it->is_boolean()) {
      return Status(StatusCode::kInvalidArgument, "normalize must be true or false");
    }
    config.normalize = it->get<bool>();
  }
  if (const auto it = json.find("gain"); it != json.end()) {
    if (!it->is_number()) return Status(StatusCode::kInvalidArgument, "gain must be a number");
    config.output_gain = ToFloat(it->get<double>());  // Validate() reports a bad range
  }
  if (const auto it = json.find("pitch"); it != json.end()) {
    if (!it->is_number()) return Status(StatusCode::kInvalidArgument, "pitch must be a number");
    config.pitch = ToFloat(it->get<double>());  // Validate() reports one that is not > 0
  }
  return config;
}

std::vector<size_t> IndexList(const Json& json, const char* key) {
  std::vector<size_t> values;
  const auto it = json.find(key);
  if (it == json.end() || !it->is_array()) return values;
  for (const Json& value : *it) {
    if (value.is_number_unsigned()) values.push_back(value.get<size_t>());
  }
  return values;
}

std::vector<std::string> SplitWhitespace(const std::string& text) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t begin = text.find_first_not_of(" \t\n", pos);
    if (begin == std::string::npos) break;
    const size_t end = std::min(text.find_first_of(" \t\n", begin), text.size());
    parts.push_back(text.substr(begin, end - begin));
    pos = end;
  }
  return parts;
}

}  // namespace

EngineApi::EngineApi() = default;
EngineApi::~EngineApi() = default;

std::string EngineApi::LoadLexicon(const std::string& bytes) {
  auto lexicon = Lexicon::FromBytes(std::vector<uint8_t>(bytes.begin(), bytes.end()));
  if (!lexicon.ok()) return ErrorJson(lexicon.status());
  lexicon_ = std::make_shared<const Lexicon>(std::move(lexicon).value());
  front_end_.reset();
  return Dump({{"ok", true}, {"words", lexicon_->word_count()}});
}

std::string EngineApi::LoadVoice(const std::string& config_json) {
  auto config = VoiceConfig::Parse(config_json);
  if (!config.ok()) return ErrorJson(config.status());
  voice_ = std::make_unique<VoiceConfig>(std::move(config).value());
  front_end_.reset();
  return Dump({{"ok", true},
               {"voice", {{"phoneme_type", voice_->phoneme_type},
                          {"sample_rate", voice_->sample_rate},
                          {"num_speakers", voice_->num_speakers},
                          {"max_chunk_tokens", voice_->max_chunk_tokens}}}});
}

Status EngineApi::EnsureFrontEnd(bool need_lexicon) {
  if (need_lexicon && !lexicon_) {
    return Status(StatusCode::kFailedPrecondition,
                  "no lexicon loaded; call loadLexicon() with the en_us.voxlex asset first");
  }
  if (need_lexicon && !voice_) {
    return Status(StatusCode::kFailedPrecondition,
                  "no voice loaded; call loadVoice() with a voice config first");
  }
  if (!front_end_) {
    front_end_ = std::make_unique<FrontEnd>(lexicon_, voice_ ? *voice_ : VoiceConfig{});
  }
  return Status::Ok();
}

std::string EngineApi::RunSentences(const std::string& text, const std::string& options_json,
                                    bool with_phonemes) {
  auto options = ParseFrontEndOptions(options_json);
  if (!options.ok()) return ErrorJson(options.status());
  if (Status status = EnsureFrontEnd(with_phonemes); !status.ok()) return ErrorJson(status);
  if (Status status = front_end_->Start(text, options.value()); !status.ok()) {
    return ErrorJson(status);
  }
  const std::vector<uint32_t> utf16 = Utf16Offsets(front_end_->input());
  std::string sentences = "[";
  std::string normalized;
  SentenceResult sentence;
  while (front_end_->NextSentence(sentence)) {
    if (sentences.size() > 1) sentences += ',';
    if (with_phonemes) {
      sentences += SentenceToJson(sentence, front_end_->input(), utf16);
    } else {
      sentences += Dump(Json(sentence.normalized));
      if (!normalized.empty()) normalized += ' ';
      normalized += sentence.normalized;
    }
  }
  sentences += ']';
  std::string result = "{\"sentences\":" + sentences;
  if (!with_phonemes) result += ",\"normalized\":" + Dump(Json(normalized));
  return result + ",\"diagnostics\":" + DiagnosticsToJson(front_end_->diagnostics()) + "}";
}

std::string EngineApi::Normalize(const std::string& text, const std::string& options_json) {
  return RunSentences(text, options_json, /*with_phonemes=*/false);
}

std::string EngineApi::Phonemize(const std::string& text, const std::string& options_json) {
  return RunSentences(text, options_json, /*with_phonemes=*/true);
}

std::string EngineApi::Start(const std::string& text, const std::string& options_json) {
  auto options = ParseFrontEndOptions(options_json);
  if (!options.ok()) return ErrorJson(options.status());
  if (Status status = EnsureFrontEnd(true); !status.ok()) return ErrorJson(status);
  if (Status status = front_end_->Start(text, options.value()); !status.ok()) {
    return ErrorJson(status);
  }
  utf16_ = Utf16Offsets(front_end_->input());
  return OkJson();
}

std::string EngineApi::Next() {
  Chunk chunk;
  if (!front_end_ || !front_end_->Next(chunk)) return R"({"done":true})";
  return ChunkToJson(chunk, utf16_);
}

std::string EngineApi::Diagnostics() const {
  return front_end_ ? DiagnosticsToJson(front_end_->diagnostics())
                    : DiagnosticsToJson(voxlet::Diagnostics{});
}

std::string EngineApi::NormalizeText(const std::string& text, const std::string& options_json) {
  auto parsed = ParseObject(options_json, "options");
  if (!parsed.ok()) return ErrorJson(parsed.status());
  auto say_as = ParseSayAs(StringOr(parsed.value(), "say_as", ""));
  if (!say_as.ok()) return ErrorJson(say_as.status());
  NormalizeOptions options{say_as.value(), StringOr(parsed.value(), "format", "")};
  std::vector<Token> tokens;
  voxlet::Diagnostics diagnostics;
  voxlet::Normalize(SourceText::Verbatim(text), options, tokens, diagnostics);
  return Dump({{"spoken", SpokenForm(tokens)},
               {"skipped_characters", diagnostics.skipped_characters},
               {"invalid_utf8", diagnostics.invalid_utf8}});
}

std::string EngineApi::ParseSsml(const std::string& text) {
  auto pieces = voxlet::ParseSsml(text);
  if (!pieces.ok()) return ErrorJson(pieces.status());
  return "{\"pieces\":" + SsmlPiecesToJson(pieces.value()) + "}";
}

std::string EngineApi::ValidateVoice(const std::string& config_json) {
  auto config = VoiceConfig::Parse(config_json);
  return config.ok() ? OkJson() : ErrorJson(config.status());
}

std::string EngineApi::MapTokens(const std::string& tokens_json) {
  if (!voice_) {
    return ErrorJson(Status(StatusCode::kFailedPrecondition, "no voice loaded; call loadVoice() first"));
  }
  Json json = Json::parse(tokens_json, nullptr, false);
  if (json.is_discarded() || !json.is_array()) {
    return ErrorJson(Status(StatusCode::kInvalidArgument, "tokens must be a JSON array"));
  }
  std::vector<Token> tokens;
  for (const Json& item : json) {
    if (!item.is_object()) continue;
    Token token;
    if (item.contains("punct")) {
      token.kind = TokenKind::kPunctuation;
      token.text = StringOr(item, "punct", "");
    } else if (item.contains("break")) {
      token.kind = TokenKind::kBreak;
      token.break_ms = IntOr(item, "break", 0);
    } else {
      // Symbols are taken as written (not validated) so tables can feed
      // symbols a voice lacks and check they are counted as unknown.
      token.text = StringOr(item, "word", "");
      token.phonemes = SplitWhitespace(StringOr(item, "phonemes", ""));
    }
    tokens.push_back(std::move(token));
  }
  voxlet::Diagnostics diagnostics;
  const PhonemeIds mapped = PhonemeIdMapper(*voice_).Map(tokens, diagnostics);
  return Dump({{"ids", mapped.ids},
               {"symbols", mapped.symbols},
               {"token_index", mapped.token_index},
               {"unknown", diagnostics.unknown_phonemes},
               {"unknown_names", diagnostics.unknown_phoneme_names}});
}

std::string EngineApi::PlanChunks(const std::string& request_json) {
  auto parsed = ParseObject(request_json, "request");
  if (!parsed.ok()) return ErrorJson(parsed.status());
  const Json& json = parsed.value();
  std::vector<int> costs;
  if (json.contains("costs") && json["costs"].is_array()) {
    for (const Json& cost : json["costs"]) costs.push_back(cost.is_number_integer() ? cost.get<int>() : 0);
  }
  ChunkBudget budget;
  budget.first_chunk_ids = IntOr(json, "first_chunk_ids", budget.first_chunk_ids);
  budget.max_chunk_ids = IntOr(json, "max_chunk_ids", budget.max_chunk_ids);
  budget.overhead_ids = IntOr(json, "overhead_ids", budget.overhead_ids);
  if (const auto problems = budget.Validate(); !problems.empty()) {
    return ErrorJson(Status(StatusCode::kInvalidArgument, problems.front()));
  }
  const bool first = json.contains("first") && json["first"].is_boolean() && json["first"].get<bool>();
  Json chunks = Json::array();
  for (const TokenRange& range : voxlet::PlanChunks(costs, IndexList(json, "clause_ends"),
                                                    IndexList(json, "forced_ends"), budget, first)) {
    chunks.push_back(Json::array({range.begin, range.end}));
  }
  return Dump({{"chunks", chunks}});
}

std::string EngineApi::Version() const { return VOXLET_VERSION; }

std::string EngineApi::Tune(const std::string& profile_json, const std::string& voice_json,
                            const std::string& overrides_json) const {
  auto profile = ParseDeviceProfile(profile_json);
  if (!profile.ok()) return ErrorJson(profile.status());
  auto voice = VoiceConfig::Parse(voice_json);
  if (!voice.ok()) return ErrorJson(voice.status());
  auto overrides = ParseTuneOverrides(overrides_json);
  if (!overrides.ok()) return ErrorJson(overrides.status());
  auto plan = voxlet::Tune(profile.value(), voice.value(), overrides.value());
  if (!plan.ok()) return ErrorJson(plan.status());
  return PlanToJson(plan.value());
}

std::string EngineApi::CreateAudioPipeline(const std::string& config_json) {
  auto config = ParseAudioPipelineConfig(config_json, voice_ ? voice_->sample_rate : 0);
  if (!config.ok()) return ErrorJson(config.status());
  auto pipeline = AudioPipeline::Create(config.value());
  if (!pipeline.ok()) return ErrorJson(pipeline.status());
  audio_ = std::make_unique<AudioPipeline>(std::move(pipeline).value());
  return Dump({{"ok", true},
               {"voice_rate", audio_->config().voice_rate},
               {"output_rate", audio_->config().output_rate},
               {"latency_samples", audio_->latency_samples()}});
}

std::string EngineApi::ResetAudioPipeline() {
  if (audio_) audio_->Reset();
  return OkJson();
}

std::vector<float> EngineApi::PushAudio(std::span<const float> samples, bool is_last,
                                        double pause_after_ms, double gain, double pitch) {
  if (!audio_) {
    audio_reply_ = ErrorJson(Status(StatusCode::kFailedPrecondition,
                                    "no audio pipeline; call createAudioPipeline() first"));
    return {};
  }
  PushedAudio pushed =
      audio_->Push(samples, is_last, ToFloat(pause_after_ms), ToFloat(gain), ToFloat(pitch));
  audio_reply_ = Dump({{"origin", pushed.chunk_origin},
                       {"end", pushed.chunk_end},
                       {"samples", pushed.samples.size()}});
  return std::move(pushed.samples);
}

std::vector<uint8_t> EngineApi::EncodeWav(std::span<const float> samples, int sample_rate) {
  auto wav = EncodeWav16(samples, sample_rate);
  if (!wav.ok()) {
    audio_reply_ = ErrorJson(wav.status());
    return {};
  }
  audio_reply_ = Dump({{"bytes", wav.value().size()}});
  return std::move(wav).value();
}

}  // namespace voxlet
