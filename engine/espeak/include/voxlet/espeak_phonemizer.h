// espeak-ng phonemization the way piper-phonemize does it, on a native
// libespeak-ng (Debian's libespeak-ng-dev): the C++ twin of
// web/src/espeak/phonemizer.js + ids.js, used by the native parity tests.
//
// OPTIONAL AND GPL-3.0: this file pair links libespeak-ng, so it is built as
// its own CMake target (voxlet_espeak) only when libespeak-ng and ICU are
// found, and is never part of voxlet::engine or the WebAssembly build.
//
//   Result<EspeakPhonemizer*> espeak = EspeakPhonemizer::Instance(data_dir);
//   Result<std::vector<EspeakSentence>> sentences = (*espeak)->Phonemize("Hi. Bye!", "en-us");
//   std::vector<int64_t> ids = PiperPhonemeIds(sentences->at(0).phonemes, config, diag);
//
// Per clause (piper-phonemize's phonemize_eSpeak): espeak's IPA for the clause,
// NFD-decomposed, split into code points, Piper's phoneme_map applied, language
// switch flags "(en)" dropped, then the punctuation for the clause's terminator
// (from espeak_clauses.h). A terminator of the sentence type closes the sentence.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "voxlet/espeak_clauses.h"
#include "voxlet/status.h"
#include "voxlet/text.h"
#include "voxlet/voice_config.h"

namespace voxlet {

struct EspeakSentence {
  std::vector<std::string> phonemes;  // one code point each, UTF-8
  size_t start = 0;                   // byte span of the sentence in the text
  size_t end = 0;
};

struct EspeakPhonemes {
  std::vector<EspeakSentence> sentences;
  // False when espeak split the text into a different number of clauses than
  // EspeakClauses() found (terminators are then best effort).
  bool aligned = true;
};

class EspeakPhonemizer {
 public:
  // espeak-ng keeps global state, so there is one phonemizer per process.
  // `data_dir` is the folder that holds espeak-ng-data/ (e.g. piper-phonemize's,
  // extracted by scripts/piper/extract-espeak-data.mjs); "" uses the library's
  // own. The first call initializes espeak-ng; later calls must pass the same
  // folder (kFailedPrecondition otherwise). The pointer lives until exit.
  static Result<EspeakPhonemizer*> Instance(const std::string& data_dir);

  // Sentences of Piper phonemes for UTF-8 `text`. Errors: kInvalidArgument for
  // a voice espeak-ng does not know (the message names examples).
  Result<EspeakPhonemes> Phonemize(
      std::string_view text, std::string_view voice,
      const std::map<std::string, std::vector<std::string>, std::less<>>& phoneme_map = {});

  // Each clause's IPA as espeak writes it, in order (no punctuation).
  Result<std::vector<std::string>> ClausePhonemes(std::string_view text, std::string_view voice);

 private:
  explicit EspeakPhonemizer(std::string data_dir) : data_dir_(std::move(data_dir)) {}
  Status SetVoice(std::string_view voice);

  std::string data_dir_;
  std::string voice_;
};

// Piper phonemes -> ids exactly as piper-phonemize's phonemes_to_ids:
//   ^ _ p1 _ p2 _ ... pN _ $   (no pads when config.interspersed_pad is false)
// Phonemes missing from the map are skipped (no pad either) and counted in `diag`.
std::vector<int64_t> PiperPhonemeIds(const std::vector<std::string>& phonemes,
                                     const VoiceConfig& config, Diagnostics& diag);

}  // namespace voxlet
