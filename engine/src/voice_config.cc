#include "voxlet/voice_config.h"

// The engine builds with -fno-exceptions; make nlohmann take its no-throw path
// in every build so all translation units see the same inline definitions.
#ifndef JSON_NOEXCEPTION
#define JSON_NOEXCEPTION
#endif
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <utility>

#include "voxlet/utf8.h"

namespace voxlet {
namespace {

using Json = nlohmann::json;

// A problem with the field at `path`. Parse() reports type errors itself and
// then runs the value checks of Validate(); the path lets it drop a value
// check about a field whose type was already reported.
struct Problem {
  std::string path;
  std::string text;
};

constexpr int kMinSampleRate = 8000;
constexpr int kMaxSampleRate = 192000;
constexpr int kMinChunkTokens = 16;
constexpr int kMaxChunkTokens = 10000;
constexpr double kMaxNoise = 10.0;
constexpr double kMaxLengthScale = 10.0;
constexpr size_t kMaxReportedProblems = 100;

// ---------------------------------------------------------------- formatting

// JSON-style quoting so that keys such as " " or "\"" stay readable.
std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string FormatDouble(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", value);
  return buf;
}

// nlohmann's messages quote the raw input ("last read: ..."), which may be
// invalid UTF-8; JS strings must not receive that.
std::string SanitizeUtf8(std::string_view text) {
  std::string out;
  for (size_t pos = 0; pos < text.size();) AppendUtf8(DecodeUtf8(text, pos), out);
  return out;
}

std::string JoinProblems(const std::vector<std::string>& problems) {
  std::string out;
  const size_t shown = std::min(problems.size(), kMaxReportedProblems);
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) out += '\n';
    out += problems[i];
  }
  if (problems.size() > shown) {
    out += "\n... and " + std::to_string(problems.size() - shown) + " more problems";
  }
  return out;
}

// ---------------------------------------------------------------- JSON parse

// DOM builder that records the parse error instead of throwing (the default
// handler throws, which is std::abort() under JSON_NOEXCEPTION) and bounds the
// nesting depth. nlohmann calls these members statically (sax_parse is a
// template), so hiding the base members is enough; they are not virtual.
class BoundedDomParser : public nlohmann::detail::json_sax_dom_parser<Json> {
  using Base = nlohmann::detail::json_sax_dom_parser<Json>;

 public:
  explicit BoundedDomParser(Json& root) : Base(root, /*allow_exceptions_=*/false) {}

  bool start_object(std::size_t elements) {
    return Enter() && Base::start_object(elements);
  }
  bool end_object() {
    --depth_;
    return Base::end_object();
  }
  bool start_array(std::size_t elements) {
    return Enter() && Base::start_array(elements);
  }
  bool end_array() {
    --depth_;
    return Base::end_array();
  }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& error) {
    error_position_ = position;
    error_message_ = error.what();
    return false;
  }

  bool too_deep() const { return too_deep_; }
  size_t error_position() const { return error_position_; }
  const std::string& error_message() const { return error_message_; }

 private:
  bool Enter() {
    if (++depth_ <= kMaxVoiceConfigDepth) return true;
    too_deep_ = true;
    return false;
  }
  int depth_ = 0;
  bool too_deep_ = false;
  size_t error_position_ = 0;
  std::string error_message_;
};

// nlohmann's position counts the bytes read, so the offending byte is the one
// before it. Lines and columns are recomputed from that byte (nlohmann places
// a bad newline on the next line); columns count code points from 1.
std::string DescribePosition(std::string_view text, size_t position) {
  const size_t offset = std::min(position > 0 ? position - 1 : 0, text.size());
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column) +
         " (byte offset " + std::to_string(offset) + ")";
}

// "[json.exception.parse_error.101] parse error at line 2, column 7: syntax
// error ..." -> "line 2, column 6 (byte offset 9): syntax error ...".
std::string DescribeParseError(std::string_view text, const BoundedDomParser& parser) {
  std::string detail = parser.error_message();
  if (detail.rfind("[json.exception.", 0) == 0) {
    const size_t after_id = detail.find("] ");
    if (after_id != std::string::npos) detail.erase(0, after_id + 2);
  }
  if (detail.rfind("parse error at line", 0) == 0) {
    const size_t colon = detail.find(": ");
    if (colon != std::string::npos) detail.erase(0, colon + 2);
  }
  if (detail.empty()) detail = "not valid JSON";
  return DescribePosition(text, parser.error_position()) + ": " + SanitizeUtf8(detail);
}

Result<Json> ParseJson(std::string_view text) {
  Json root;
  BoundedDomParser parser(root);
  const bool ok = Json::sax_parse(text.begin(), text.end(), &parser);
  if (parser.too_deep()) {
    return Status(StatusCode::kLimitExceeded,
                  "voice config nests deeper than " +
                      std::to_string(kMaxVoiceConfigDepth) + " levels");
  }
  if (!ok) return Status(StatusCode::kMalformedJson, DescribeParseError(text, parser));
  return root;
}

// ---------------------------------------------------------------- field reading

std::optional<int64_t> AsInt64(const Json& value) {
  if (value.is_number_unsigned()) {
    const uint64_t u = value.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (value.is_number_integer()) return value.get<int64_t>();
  return std::nullopt;
}

// Converting an out-of-range double to float is undefined; such values become
// infinities, which Validate() then reports.
template <typename Float>
Float NarrowFloat(double value) {
  constexpr double kMax = std::numeric_limits<Float>::max();
  if (value > kMax) return std::numeric_limits<Float>::infinity();
  if (value < -kMax) return -std::numeric_limits<Float>::infinity();
  return static_cast<Float>(value);
}

// Reads typed fields out of JSON objects, recording a problem (not failing)
// for each value of the wrong type, so one pass reports everything.
class FieldReader {
 public:
  std::vector<Problem>& problems() { return problems_; }
  void Add(std::string path, std::string text) {
    problems_.push_back({std::move(path), std::move(text)});
  }

  // The member `key` of `object`, or nullptr when absent (or `object` is not
  // an object, which the caller has reported).
  static const Json* Find(const Json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
  }

  // A nested object; reports a problem if present but not an object.
  const Json* Object(const Json& parent, const char* key, const std::string& path) {
    const Json* value = Find(parent, key);
    if (value == nullptr || value->is_object()) return value;
    Add(path, path + " must be an object");
    return nullptr;
  }

  const Json* Array(const Json& parent, const char* key, const std::string& path) {
    const Json* value = Find(parent, key);
    if (value == nullptr || value->is_array()) return value;
    Add(path, path + " must be an array");
    return nullptr;
  }

  void String(const Json& parent, const char* key, const std::string& path,
              std::string& out) {
    const Json* value = Find(parent, key);
    if (value == nullptr) return;
    if (value->is_string()) {
      out = value->get_ref<const std::string&>();
    } else {
      Add(path, path + " must be a string");
    }
  }

  void Bool(const Json& parent, const char* key, const std::string& path, bool& out) {
    const Json* value = Find(parent, key);
    if (value == nullptr) return;
    if (value->is_boolean()) {
      out = value->get<bool>();
    } else {
      Add(path, path + " must be true or false");
    }
  }

  // Integers must be JSON integers: 22050.0 is a sign of a wrong file.
  template <typename Int>
  bool Integer(const Json& parent, const char* key, const std::string& path, Int& out) {
    const Json* value = Find(parent, key);
    if (value == nullptr) return false;
    const std::optional<int64_t> number = AsInt64(*value);
    if (!number || !std::in_range<Int>(*number)) {
      Add(path, path + " must be an integer");
      return false;
    }
    out = static_cast<Int>(*number);
    return true;
  }

  template <typename Float>
  void Number(const Json& parent, const char* key, const std::string& path, Float& out) {
    const Json* value = Find(parent, key);
    if (value == nullptr) return;
    if (value->is_number()) {
      out = NarrowFloat<Float>(value->get<double>());
    } else {
      Add(path, path + " must be a number");
    }
  }

 private:
  std::vector<Problem> problems_;
};

std::string EntryPath(const char* map_name, std::string_view key) {
  return std::string(map_name) + "[" + Quote(key) + "]";
}

// ---------------------------------------------------------------- Piper fields

// A malformed entry is kept with no ids so that Validate() reports it once,
// under the same path as a missing required symbol would be.
void ReadPhonemeIdMap(const Json& map, VoiceConfig& config) {
  for (const auto& [symbol, ids_json] : map.items()) {
    std::vector<int64_t> ids;
    bool well_formed = ids_json.is_array();
    if (well_formed) {
      for (const Json& id : ids_json) {
        const std::optional<int64_t> value = AsInt64(id);
        if (!value) {
          well_formed = false;
          break;
        }
        ids.push_back(*value);
      }
    }
    if (!well_formed) ids.clear();
    config.phoneme_id_map[symbol] = std::move(ids);
  }
}

void ReadPhonemeMap(const Json& map, VoiceConfig& config, FieldReader& reader) {
  for (const auto& [symbol, replacement] : map.items()) {
    std::vector<std::string> symbols;
    bool well_formed = replacement.is_array();
    if (well_formed) {
      for (const Json& item : replacement) {
        if (!item.is_string()) {
          well_formed = false;
          break;
        }
        symbols.push_back(item.get<std::string>());
      }
    }
    if (!well_formed) {
      const std::string path = EntryPath("phoneme_map", symbol);
      reader.Add(path, "phoneme_map: entry " + Quote(symbol) +
                           " must be an array of strings");
      continue;
    }
    config.phoneme_map[symbol] = std::move(symbols);
  }
}

void ReadSpeakerIdMap(const Json& map, VoiceConfig& config, FieldReader& reader) {
  for (const auto& [name, id] : map.items()) {
    const std::optional<int64_t> value = AsInt64(id);
    if (!value) {
      reader.Add(EntryPath("speaker_id_map", name),
                 "speaker_id_map: entry " + Quote(name) + " must be an integer");
      continue;
    }
    config.speaker_id_map[name] = *value;
  }
}

// Maps with more entries than any real voice are refused before they are
// copied (kLimitExceeded rather than a problem line).
Status CheckMapSize(const Json* map, const char* name, size_t limit) {
  if (map == nullptr || map->size() <= limit) return Status::Ok();
  return Status(StatusCode::kLimitExceeded,
                std::string(name) + " has " + std::to_string(map->size()) +
                    " entries; at most " + std::to_string(limit) + " are allowed");
}

Status ReadPiperMaps(const Json& root, VoiceConfig& config, FieldReader& reader) {
  const Json* id_map = reader.Object(root, "phoneme_id_map", "phoneme_id_map");
  const Json* phoneme_map = reader.Object(root, "phoneme_map", "phoneme_map");
  const Json* speakers = reader.Object(root, "speaker_id_map", "speaker_id_map");
  if (Status s = CheckMapSize(id_map, "phoneme_id_map", kMaxPhonemeIdMapEntries); !s.ok())
    return s;
  if (Status s = CheckMapSize(phoneme_map, "phoneme_map", kMaxPhonemeIdMapEntries); !s.ok())
    return s;
  if (Status s = CheckMapSize(speakers, "speaker_id_map", kMaxSpeakers); !s.ok()) return s;
  if (id_map != nullptr) {
    ReadPhonemeIdMap(*id_map, config);
  } else if (FieldReader::Find(root, "phoneme_id_map") == nullptr) {
    reader.Add("phoneme_id_map", "phoneme_id_map is required");
  }
  if (phoneme_map != nullptr) ReadPhonemeMap(*phoneme_map, config, reader);
  if (speakers != nullptr) ReadSpeakerIdMap(*speakers, config, reader);
  return Status::Ok();
}

void ReadPiperScalars(const Json& root, VoiceConfig& config, FieldReader& reader) {
  reader.String(root, "phoneme_type", "phoneme_type", config.phoneme_type);
  reader.Integer(root, "num_symbols", "num_symbols", config.num_symbols);
  reader.Integer(root, "num_speakers", "num_speakers", config.num_speakers);
  reader.String(root, "piper_version", "piper_version", config.piper_version);

  const Json* audio = reader.Object(root, "audio", "audio");
  const bool audio_of_wrong_type = audio == nullptr && FieldReader::Find(root, "audio");
  const bool has_rate = audio != nullptr && FieldReader::Find(*audio, "sample_rate");
  if (!has_rate && !audio_of_wrong_type) {
    reader.Add("audio.sample_rate", "audio.sample_rate is required");
  }
  if (audio != nullptr) {
    reader.Integer(*audio, "sample_rate", "audio.sample_rate", config.sample_rate);
    reader.String(*audio, "quality", "audio.quality", config.quality);
  }
  if (const Json* espeak = reader.Object(root, "espeak", "espeak")) {
    reader.String(*espeak, "voice", "espeak.voice", config.espeak_voice);
  }
  if (const Json* language = reader.Object(root, "language", "language")) {
    reader.String(*language, "code", "language.code", config.language_code);
  }
  if (const Json* inference = reader.Object(root, "inference", "inference")) {
    reader.Number(*inference, "noise_scale", "inference.noise_scale", config.noise_scale);
    reader.Number(*inference, "length_scale", "inference.length_scale", config.length_scale);
    reader.Number(*inference, "noise_w", "inference.noise_w", config.noise_w);
  }
}

// ---------------------------------------------------------------- Voxlet fields

VoiceVariant ReadVariant(const Json& item, const std::string& path, FieldReader& reader) {
  VoiceVariant variant;
  if (!item.is_object()) {
    reader.Add(path, path + " must be an object");
    return variant;
  }
  reader.String(item, "precision", path + ".precision", variant.precision);
  reader.String(item, "file", path + ".file", variant.file);
  reader.String(item, "sha256", path + ".sha256", variant.sha256);
  reader.Integer(item, "size", path + ".size", variant.size);
  reader.String(item, "component", path + ".component", variant.component);
  if (const Json* quality = reader.Object(item, "quality", path + ".quality")) {
    double snr = 0;
    if (FieldReader::Find(*quality, "snr_db") != nullptr) {
      reader.Number(*quality, "snr_db", path + ".quality.snr_db", snr);
      variant.snr_db = snr;
    }
  }
  return variant;
}

VoiceComponent ReadComponent(const Json& item, const std::string& path,
                             FieldReader& reader) {
  VoiceComponent component;
  if (!item.is_object()) {
    reader.Add(path, path + " must be an object");
    return component;
  }
  reader.String(item, "name", path + ".name", component.name);
  reader.Bool(item, "optional", path + ".optional", component.optional);
  reader.String(item, "purpose", path + ".purpose", component.purpose);
  return component;
}

void ReadVoxlet(const Json& root, VoiceConfig& config, FieldReader& reader) {
  const Json* voxlet = reader.Object(root, "voxlet", "voxlet");
  if (voxlet == nullptr) return;
  reader.String(*voxlet, "phonemizer", "voxlet.phonemizer", config.phonemizer);
  reader.Integer(*voxlet, "max_chunk_tokens", "voxlet.max_chunk_tokens",
                 config.max_chunk_tokens);
  reader.Bool(*voxlet, "interspersed_pad", "voxlet.interspersed_pad",
              config.interspersed_pad);
  if (const Json* variants = reader.Array(*voxlet, "variants", "voxlet.variants")) {
    for (size_t i = 0; i < variants->size(); ++i) {
      const std::string path = "voxlet.variants[" + std::to_string(i) + "]";
      config.variants.push_back(ReadVariant((*variants)[i], path, reader));
    }
  }
  if (const Json* components = reader.Array(*voxlet, "components", "voxlet.components")) {
    for (size_t i = 0; i < components->size(); ++i) {
      const std::string path = "voxlet.components[" + std::to_string(i) + "]";
      config.components.push_back(ReadComponent((*components)[i], path, reader));
    }
  }
  if (const Json* outputs = reader.Object(*voxlet, "outputs", "voxlet.outputs")) {
    reader.String(*outputs, "audio", "voxlet.outputs.audio", config.audio_output);
    reader.String(*outputs, "durations", "voxlet.outputs.durations",
                  config.durations_output);
  }
}

// ---------------------------------------------------------------- validation

bool IsOneOf(std::string_view value, std::initializer_list<std::string_view> choices) {
  for (std::string_view choice : choices) {
    if (value == choice) return true;
  }
  return false;
}

bool IsHex64(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

// Variant files are fetched relative to the voice folder's URL; anything that
// could leave the folder is refused.
bool IsSafeRelativePath(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.find('\\') != std::string_view::npos ||
      path.find(':') != std::string_view::npos) {
    return false;
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

void CheckPhonemeType(const VoiceConfig& c, std::vector<Problem>& out) {
  if (!IsOneOf(c.phoneme_type, {"espeak", "text", "arpabet"})) {
    out.push_back({"phoneme_type", "phoneme_type " + Quote(c.phoneme_type) +
                                       " is not supported; expected espeak, text or arpabet"});
  }
}

void CheckRequiredSymbols(const VoiceConfig& c, std::vector<Problem>& out) {
  static constexpr std::pair<const char*, const char*> kRequired[] = {
      {"_", "pad"}, {"^", "BOS"}, {"$", "EOS"}};
  for (const auto& [symbol, role] : kRequired) {
    if (c.phoneme_id_map.count(std::string_view(symbol)) == 0) {
      out.push_back({EntryPath("phoneme_id_map", symbol),
                     std::string("phoneme_id_map lacks the ") + role + " symbol " +
                         Quote(symbol)});
    }
  }
}

void CheckPhonemeIdEntries(const VoiceConfig& c, std::vector<Problem>& out) {
  for (const auto& [symbol, ids] : c.phoneme_id_map) {
    const std::string path = EntryPath("phoneme_id_map", symbol);
    if (symbol.empty()) {
      out.push_back({path, "phoneme_id_map has an empty symbol \"\""});
    }
    bool negative = false;
    for (int64_t id : ids) negative |= id < 0;
    if (ids.empty() || negative) {
      out.push_back({path, "phoneme_id_map: entry " + Quote(symbol) +
                               " must be an array of non-negative integers"});
      continue;
    }
    for (int64_t id : ids) {
      if (c.num_symbols > 0 && id >= c.num_symbols) {
        out.push_back({path, "phoneme_id_map has id " + std::to_string(id) +
                                 " but num_symbols is " + std::to_string(c.num_symbols) +
                                 " (entry " + Quote(symbol) + ")"});
      }
    }
  }
}

void CheckPhonemeMap(const VoiceConfig& c, std::vector<Problem>& out) {
  for (const auto& [symbol, replacement] : c.phoneme_map) {
    bool has_empty = symbol.empty();
    for (const std::string& s : replacement) has_empty |= s.empty();
    if (has_empty) {
      out.push_back({EntryPath("phoneme_map", symbol),
                     "phoneme_map: entry " + Quote(symbol) +
                         " must map a non-empty symbol to non-empty symbols"});
    }
  }
}

void CheckSpeakers(const VoiceConfig& c, std::vector<Problem>& out) {
  if (c.num_symbols < 0) {
    out.push_back({"num_symbols", "num_symbols " + std::to_string(c.num_symbols) +
                                      " is not valid; expected a positive count"});
  }
  if (c.num_speakers < 1 || static_cast<size_t>(c.num_speakers) > kMaxSpeakers) {
    out.push_back({"num_speakers", "num_speakers " + std::to_string(c.num_speakers) +
                                       " is not valid; expected 1.." +
                                       std::to_string(kMaxSpeakers)});
    return;
  }
  for (const auto& [name, id] : c.speaker_id_map) {
    if (id < 0 || id >= c.num_speakers) {
      out.push_back({EntryPath("speaker_id_map", name),
                     "speaker_id_map: speaker " + Quote(name) + " has id " +
                         std::to_string(id) + "; expected 0.." +
                         std::to_string(c.num_speakers - 1) + " (num_speakers is " +
                         std::to_string(c.num_speakers) + ")"});
    }
  }
}

void CheckRange(const char* path, double value, double min, double max, bool min_inclusive,
                std::vector<Problem>& out) {
  const bool above_min = min_inclusive ? value >= min : value > min;
  if (std::isfinite(value) && above_min && value <= max) return;
  const std::string expected = min_inclusive
                                   ? FormatDouble(min) + ".." + FormatDouble(max)
                                   : "more than " + FormatDouble(min) + " and at most " +
                                         FormatDouble(max);
  out.push_back({path, std::string(path) + " " + FormatDouble(value) +
                           " is not valid; expected " + expected});
}

void CheckAudioAndInference(const VoiceConfig& c, std::vector<Problem>& out) {
  if (c.sample_rate < kMinSampleRate || c.sample_rate > kMaxSampleRate) {
    out.push_back({"audio.sample_rate", "audio.sample_rate " + std::to_string(c.sample_rate) +
                                            " is not valid; expected " +
                                            std::to_string(kMinSampleRate) + ".." +
                                            std::to_string(kMaxSampleRate)});
  }
  CheckRange("inference.noise_scale", c.noise_scale, 0, kMaxNoise, true, out);
  CheckRange("inference.length_scale", c.length_scale, 0, kMaxLengthScale, false, out);
  CheckRange("inference.noise_w", c.noise_w, 0, kMaxNoise, true, out);
}

void CheckVariant(const VoiceVariant& v, const std::string& path, std::vector<Problem>& out) {
  if (!IsOneOf(v.precision, {"fp32", "fp16", "int8", "int8-weights", "pruned"})) {
    out.push_back({path + ".precision",
                   path + ".precision " + Quote(v.precision) +
                       " is not supported; expected fp32, fp16, int8, int8-weights or pruned"});
  }
  if (!IsSafeRelativePath(v.file)) {
    out.push_back({path + ".file", path + ".file " + Quote(v.file) +
                                       " must be a relative path inside the voice folder"});
  }
  if (!IsHex64(v.sha256)) {
    out.push_back({path + ".sha256", path + ".sha256 must be 64 hex digits"});
  }
  if (v.size == 0) {
    out.push_back({path + ".size", path + ".size must be the file size in bytes (> 0)"});
  }
  if (!IsOneOf(v.component, {"acoustic", "vocoder", "full"})) {
    out.push_back({path + ".component",
                   path + ".component " + Quote(v.component) +
                       " is not supported; expected acoustic, vocoder or full"});
  }
  if (v.snr_db && !std::isfinite(*v.snr_db)) {
    out.push_back({path + ".quality.snr_db", path + ".quality.snr_db must be finite"});
  }
}

void CheckVariants(const VoiceConfig& c, std::vector<Problem>& out) {
  std::set<std::pair<std::string, std::string>> seen;
  for (size_t i = 0; i < c.variants.size(); ++i) {
    const VoiceVariant& v = c.variants[i];
    const std::string path = "voxlet.variants[" + std::to_string(i) + "]";
    CheckVariant(v, path, out);
    if (!seen.insert({v.precision, v.component}).second) {
      out.push_back({path, path + " repeats precision " + Quote(v.precision) +
                               " for component " + Quote(v.component)});
    }
  }
}

void CheckComponents(const VoiceConfig& c, std::vector<Problem>& out) {
  std::set<std::string> names;
  for (size_t i = 0; i < c.components.size(); ++i) {
    const std::string path = "voxlet.components[" + std::to_string(i) + "]";
    const std::string& name = c.components[i].name;
    if (name.empty()) {
      out.push_back({path + ".name", path + ".name must not be empty"});
    } else if (!names.insert(name).second) {
      out.push_back({path + ".name", path + ".name " + Quote(name) + " is repeated"});
    }
  }
}

void CheckVoxletScalars(const VoiceConfig& c, std::vector<Problem>& out) {
  if (!IsOneOf(c.phonemizer, {"builtin-en-us", "espeak"})) {
    out.push_back({"voxlet.phonemizer", "voxlet.phonemizer " + Quote(c.phonemizer) +
                                            " is not supported; expected builtin-en-us or "
                                            "espeak"});
  } else if (c.phoneme_type == "arpabet" && c.phonemizer == "espeak") {
    out.push_back({"voxlet.phonemizer",
                   "voxlet.phonemizer \"espeak\" cannot produce ARPAbet for phoneme_type "
                   "\"arpabet\"; use builtin-en-us"});
  }
  if (c.max_chunk_tokens < kMinChunkTokens || c.max_chunk_tokens > kMaxChunkTokens) {
    out.push_back({"voxlet.max_chunk_tokens",
                   "voxlet.max_chunk_tokens " + std::to_string(c.max_chunk_tokens) +
                       " is not valid; expected " + std::to_string(kMinChunkTokens) + ".." +
                       std::to_string(kMaxChunkTokens)});
  }
  if (c.audio_output.empty()) {
    out.push_back({"voxlet.outputs.audio", "voxlet.outputs.audio must not be empty"});
  }
  if (c.durations_output.empty()) {
    out.push_back({"voxlet.outputs.durations", "voxlet.outputs.durations must not be empty"});
  }
}

std::vector<Problem> CollectProblems(const VoiceConfig& c) {
  std::vector<Problem> out;
  CheckPhonemeType(c, out);
  CheckRequiredSymbols(c, out);
  CheckPhonemeIdEntries(c, out);
  CheckPhonemeMap(c, out);
  CheckSpeakers(c, out);
  CheckAudioAndInference(c, out);
  CheckVoxletScalars(c, out);
  CheckVariants(c, out);
  CheckComponents(c, out);
  return out;
}

int64_t LargestId(const VoiceConfig& c) {
  int64_t largest = -1;
  for (const auto& [symbol, ids] : c.phoneme_id_map) {
    for (int64_t id : ids) largest = std::max(largest, id);
  }
  return largest;
}

// True when `path` or a field that contains it ("a" for "a.b" and "a[0]") is
// in `reported`.
bool IsWithinReported(const std::string& path, const std::set<std::string, std::less<>>& reported) {
  if (reported.count(path) > 0) return true;
  for (size_t i = 0; i < path.size(); ++i) {
    if ((path[i] == '.' || path[i] == '[') &&
        reported.count(std::string_view(path).substr(0, i)) > 0) {
      return true;
    }
  }
  return false;
}

// Type problems first, then value problems about fields not already reported
// (a field of the wrong type keeps its default, which may look invalid too).
std::vector<std::string> MergeProblems(const std::vector<Problem>& type_problems,
                                       const std::vector<Problem>& value_problems) {
  std::vector<std::string> merged;
  std::set<std::string, std::less<>> reported;
  for (const Problem& p : type_problems) {
    merged.push_back(p.text);
    reported.insert(p.path);
  }
  for (const Problem& p : value_problems) {
    if (!IsWithinReported(p.path, reported)) merged.push_back(p.text);
  }
  return merged;
}

}  // namespace

Result<VoiceConfig> VoiceConfig::Parse(std::string_view json) {
  if (json.size() > kMaxVoiceConfigBytes) {
    return Status(StatusCode::kLimitExceeded,
                  "voice config is " + std::to_string(json.size()) + " bytes; at most " +
                      std::to_string(kMaxVoiceConfigBytes) + " are allowed");
  }
  Result<Json> parsed = ParseJson(json);
  if (!parsed.ok()) return parsed.status();
  const Json& root = parsed.value();
  if (!root.is_object()) {
    return Status(StatusCode::kInvalidConfig, "the voice config must be a JSON object");
  }
  VoiceConfig config;
  FieldReader reader;
  if (Status s = ReadPiperMaps(root, config, reader); !s.ok()) return s;
  ReadPiperScalars(root, config, reader);
  ReadVoxlet(root, config, reader);
  const bool num_symbols_given = FieldReader::Find(root, "num_symbols") != nullptr;
  if (!num_symbols_given) config.num_symbols = LargestId(config) + 1;

  const std::vector<std::string> problems =
      MergeProblems(reader.problems(), CollectProblems(config));
  if (!problems.empty()) return Status(StatusCode::kInvalidConfig, JoinProblems(problems));
  return config;
}

std::vector<std::string> VoiceConfig::Validate() const {
  std::vector<std::string> texts;
  for (Problem& p : CollectProblems(*this)) texts.push_back(std::move(p.text));
  return texts;
}

const std::vector<int64_t>* VoiceConfig::IdsOf(std::string_view symbol) const {
  const auto it = phoneme_id_map.find(symbol);
  return it == phoneme_id_map.end() ? nullptr : &it->second;
}

std::string VoiceConfig::ToString() const {
  std::string out = "VoiceConfig(phoneme_type=" + phoneme_type;
  out += ", phonemizer=" + phonemizer;
  out += ", symbols=" + std::to_string(phoneme_id_map.size());
  out += ", num_symbols=" + std::to_string(num_symbols);
  out += ", num_speakers=" + std::to_string(num_speakers);
  out += ", sample_rate=" + std::to_string(sample_rate);
  if (!quality.empty()) out += ", quality=" + quality;
  if (!espeak_voice.empty()) out += ", espeak_voice=" + espeak_voice;
  if (!language_code.empty()) out += ", language=" + language_code;
  out += ", noise_scale=" + FormatDouble(noise_scale);
  out += ", length_scale=" + FormatDouble(length_scale);
  out += ", noise_w=" + FormatDouble(noise_w);
  out += ", interspersed_pad=" + std::string(interspersed_pad ? "true" : "false");
  out += ", max_chunk_tokens=" + std::to_string(max_chunk_tokens);
  out += ", variants=[";
  for (size_t i = 0; i < variants.size(); ++i) {
    if (i > 0) out += ", ";
    out += variants[i].component + ":" + variants[i].precision + " " + variants[i].file +
           " (" + std::to_string(variants[i].size) + " bytes)";
  }
  return out + "])";
}

}  // namespace voxlet
