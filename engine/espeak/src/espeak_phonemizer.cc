#include "voxlet/espeak_phonemizer.h"

#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <filesystem>
#include <memory>

#include "voxlet/utf8.h"

namespace voxlet {
namespace {

// What Piper appends after a clause, by its terminator.
std::vector<std::string> Terminator(ClauseKind kind) {
  switch (kind) {
    case ClauseKind::kPeriod:
      return {"."};
    case ClauseKind::kQuestion:
      return {"?"};
    case ClauseKind::kExclamation:
      return {"!"};
    case ClauseKind::kComma:
      return {",", " "};
    case ClauseKind::kColon:
      return {":", " "};
    case ClauseKind::kSemicolon:
      return {";", " "};
    case ClauseKind::kOther:
      break;
  }
  return {};
}

std::string Nfd(const std::string& text) {
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(error);
  if (U_FAILURE(error)) return text;
  const icu::UnicodeString normalized = nfd->normalize(icu::UnicodeString::fromUTF8(text), error);
  std::string out;
  return U_FAILURE(error) ? text : normalized.toUTF8String(out);
}

std::vector<std::string> CodePoints(std::string_view text) {
  std::vector<std::string> points;
  for (size_t pos = 0; pos < text.size();) {
    const size_t start = pos;
    DecodeUtf8(text, pos);
    points.emplace_back(text.substr(start, pos - start));
  }
  return points;
}

std::vector<std::string> ApplyPhonemeMap(
    std::vector<std::string> phonemes,
    const std::map<std::string, std::vector<std::string>, std::less<>>& phoneme_map) {
  if (phoneme_map.empty()) return phonemes;
  std::vector<std::string> mapped;
  for (std::string& phoneme : phonemes) {
    auto it = phoneme_map.find(phoneme);
    if (it == phoneme_map.end()) {
      mapped.push_back(std::move(phoneme));
    } else {
      mapped.insert(mapped.end(), it->second.begin(), it->second.end());
    }
  }
  return mapped;
}

// espeak marks words it reads in another language with "(en)" ... "(fr)"; Piper drops them.
std::vector<std::string> DropLanguageFlags(const std::vector<std::string>& phonemes) {
  std::vector<std::string> kept;
  bool in_flag = false;
  for (const std::string& phoneme : phonemes) {
    if (in_flag) {
      in_flag = phoneme != ")";
    } else if (phoneme == "(") {
      in_flag = true;
    } else {
      kept.push_back(phoneme);
    }
  }
  return kept;
}

Status InitializeEspeak(const std::string& data_dir) {
  if (!data_dir.empty() && !std::filesystem::is_directory(data_dir + "/espeak-ng-data")) {
    return Status(
        StatusCode::kInvalidArgument,
        "espeak-ng data folder " + data_dir +
            " holds no espeak-ng-data/ (extract piper-phonemize's "
            "with scripts/piper/extract-espeak-data.mjs, or pass \"\" for the library's own)");
  }
  // The espeak_ng_* calls report errors as statuses; espeak_Initialize() may exit the process.
  espeak_ng_InitializePath(data_dir.empty() ? nullptr : data_dir.c_str());
  espeak_ng_ERROR_CONTEXT context = nullptr;
  espeak_ng_STATUS status = espeak_ng_Initialize(&context);
  espeak_ng_ClearErrorContext(&context);
  if (status == ENS_OK) status = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, nullptr);
  if (status == ENS_OK) return Status::Ok();
  char message[256] = {};
  espeak_ng_GetStatusCodeMessage(status, message, sizeof message);
  return Status(StatusCode::kInvalidAsset,
                "espeak-ng cannot start on data " +
                    (data_dir.empty() ? std::string("(its own)") : data_dir) + ": " + message);
}

}  // namespace

Result<EspeakPhonemizer*> EspeakPhonemizer::Instance(const std::string& data_dir) {
  static std::unique_ptr<EspeakPhonemizer> instance;
  if (instance) {
    if (instance->data_dir_ == data_dir) return instance.get();
    return Status(
        StatusCode::kFailedPrecondition,
        "espeak-ng already runs on " + instance->data_dir_ + "; one data folder per process");
  }
  Status status = InitializeEspeak(data_dir);
  if (!status.ok()) return status;
  instance.reset(new EspeakPhonemizer(data_dir));
  return instance.get();
}

Status EspeakPhonemizer::SetVoice(std::string_view voice) {
  if (voice == voice_) return Status::Ok();
  const std::string name(voice);
  if (espeak_SetVoiceByName(name.c_str()) != EE_OK) {
    return Status(StatusCode::kInvalidArgument,
                  "espeak-ng has no voice \"" + name +
                      "\" (espeak.voice in the voice config); e.g. en-us, en-gb, de, fr, es");
  }
  voice_ = name;
  return Status::Ok();
}

Result<std::vector<std::string>> EspeakPhonemizer::ClausePhonemes(std::string_view text,
                                                                  std::string_view voice) {
  if (Status status = SetVoice(voice); !status.ok()) return status;
  const std::string terminated(text);  // espeak reads up to a NUL
  std::vector<std::string> clauses;
  // espeak_TextToPhonemes reads one clause per call and sets the pointer to null at the end.
  const void* cursor = terminated.c_str();
  while (cursor != nullptr) {
    const char* ipa = espeak_TextToPhonemes(&cursor, espeakCHARS_AUTO, espeakPHONEMES_IPA);
    clauses.emplace_back(ipa ? ipa : "");
  }
  return clauses;
}

Result<EspeakPhonemes> EspeakPhonemizer::Phonemize(
    std::string_view text, std::string_view voice,
    const std::map<std::string, std::vector<std::string>, std::less<>>& phoneme_map) {
  std::vector<std::string> ipa;
  if (!text.empty()) {
    Result<std::vector<std::string>> clauses = ClausePhonemes(text, voice);
    if (!clauses.ok()) return clauses.status();
    ipa = std::move(clauses).value();
  }
  const std::vector<EspeakClause> found = EspeakClauses(text, voice);
  EspeakPhonemes result;
  result.aligned = found.size() == ipa.size();
  EspeakSentence* sentence = nullptr;
  for (size_t index = 0; index < ipa.size(); ++index) {
    const EspeakClause clause = found.empty()
                                    ? EspeakClause{0, text.size(), ClauseKind::kOther, true}
                                    : found[std::min(index, found.size() - 1)];
    if (!sentence)
      sentence = &result.sentences.emplace_back(EspeakSentence{{}, clause.start, clause.end});
    const std::vector<std::string> own =
        DropLanguageFlags(ApplyPhonemeMap(CodePoints(Nfd(ipa[index])), phoneme_map));
    sentence->phonemes.insert(sentence->phonemes.end(), own.begin(), own.end());
    if (result.aligned || index < found.size()) {
      const std::vector<std::string> mark = Terminator(clause.kind);
      sentence->phonemes.insert(sentence->phonemes.end(), mark.begin(), mark.end());
    }
    sentence->end = std::max(sentence->end, clause.end);
    if (clause.sentence_end || index + 1 == ipa.size()) sentence = nullptr;
  }
  return result;
}

std::vector<int64_t> PiperPhonemeIds(const std::vector<std::string>& phonemes,
                                     const VoiceConfig& config, Diagnostics& diag) {
  static const std::vector<int64_t> kNone;
  auto ids_of = [&](std::string_view symbol) {
    const std::vector<int64_t>* ids = config.IdsOf(symbol);
    return ids ? *ids : kNone;
  };
  const std::vector<int64_t> pad = config.interspersed_pad ? ids_of("_") : kNone;
  std::vector<int64_t> ids = ids_of("^");
  ids.insert(ids.end(), pad.begin(), pad.end());
  for (const std::string& phoneme : phonemes) {
    const std::vector<int64_t>* mapped = config.IdsOf(phoneme);
    if (!mapped) {
      diag.unknown_phonemes++;
      if (std::find(diag.unknown_phoneme_names.begin(), diag.unknown_phoneme_names.end(),
                    phoneme) == diag.unknown_phoneme_names.end()) {
        diag.unknown_phoneme_names.push_back(phoneme);
      }
      continue;
    }
    ids.insert(ids.end(), mapped->begin(), mapped->end());
    ids.insert(ids.end(), pad.begin(), pad.end());
  }
  const std::vector<int64_t> eos = ids_of("$");
  ids.insert(ids.end(), eos.begin(), eos.end());
  return ids;
}

}  // namespace voxlet
