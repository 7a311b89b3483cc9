// Phonemized tokens of one sentence -> the id sequence a voice's model takes,
// following Piper's convention (piper-phonemize phonemes_to_ids):
//
//   ^ _ p1 _ p2 _ ... " " _ q1 _ ... . _ $        (interspersed_pad = true)
//   ^ p1 p2 ... " " q1 ... . $                    (interspersed_pad = false)
//
// BOS "^" ids, a pad "_" after BOS and after every symbol's ids, EOS "$" last
// (no pad after it). Words are separated by the space symbol " ", which is a
// symbol like any other and so also gets a pad. Punctuation follows the word
// directly, without a space.
//
// What each token kind contributes, by the voice's phoneme_type:
//   kWord, "espeak":  token.phonemes (ARPAbet) -> IPA code points (phoneset.h)
//   kWord, "arpabet": token.phonemes as they are ("HH", "AH0", ...)
//   kWord, "text":    the code points of token.text (a Piper "text" voice is
//                     trained on characters, so IPA would not match its map)
//   kPunctuation:     its character; if the map lacks it, "." for . ? ! … and
//                     "," for , ; : — (then the other one); else nothing
//   kBreak, kMark:    nothing (pauses are inserted as silence, not ids)
// Piper's phoneme_map, when present, replaces each symbol before the lookup.
// Symbols missing from the id map are skipped, counted in
// diag.unknown_phonemes and named (once each) in diag.unknown_phoneme_names.
//
//   PhonemeIdMapper mapper(config);
//   PhonemeIds ids = mapper.Map(sentence_tokens, diag);
//   // ids.ids -> model input "input"; ids.token_index -> word timings
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "voxlet/text.h"
#include "voxlet/voice_config.h"

namespace voxlet {

// Three parallel arrays of equal length, one element per model id.
struct PhonemeIds {
  std::vector<int64_t> ids;
  // The voice-alphabet symbol each id came from ("^", "ə", "AH0", " ", ".");
  // "" for pad. A symbol with several ids repeats for each of them.
  std::vector<std::string> symbols;
  // Index into the sentence's token vector of the kWord/kPunctuation token the
  // id came from; -1 for BOS, EOS, pad and space.
  std::vector<int32_t> token_index;

  size_t size() const { return ids.size(); }
  bool empty() const { return ids.empty(); }
};

class PhonemeIdMapper {
 public:
  // Copies what it needs from `config`, which need not outlive the mapper.
  // A config that failed Validate() still maps without crashing; missing
  // pad/BOS/EOS are then left out.
  explicit PhonemeIdMapper(const VoiceConfig& config);

  // Ids for one sentence. Empty (no BOS/EOS either) when no token yields a
  // symbol, so callers can skip inference for it.
  PhonemeIds Map(const std::vector<Token>& sentence_tokens, Diagnostics& diag) const;

 private:
  enum class Alphabet { kIpa, kArpabet, kText };

  std::vector<std::string> WordSymbols(const Token& token, Diagnostics& diag) const;
  std::string PunctuationSymbol(std::string_view mark) const;
  void AppendSymbol(const std::string& symbol, int32_t token_index, PhonemeIds& out,
                    Diagnostics& diag) const;
  void AppendIds(const std::vector<int64_t>& ids, const std::string& symbol,
                 int32_t token_index, PhonemeIds& out) const;
  void AppendPad(PhonemeIds& out) const;

  Alphabet alphabet_;
  bool interspersed_pad_;
  std::map<std::string, std::vector<int64_t>, std::less<>> id_map_;
  std::map<std::string, std::vector<std::string>, std::less<>> phoneme_map_;
};

}  // namespace voxlet
