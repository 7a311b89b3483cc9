// Grapheme-to-phoneme conversion for US English without GPL code:
// a CMUdict-derived lexicon (binary asset built by scripts/lexicon/), a trained
// letter-to-sound fallback for words not in it, and context rules for common
// homographs. Output is ARPAbet with lexical stress on vowels ("AH0", "EY1").
//
//   auto lexicon = Lexicon::FromBytes(ReadFile("en_us.voxlex"));
//   G2p g2p(std::make_shared<Lexicon>(std::move(lexicon).value()));
//   g2p.PhonemizeWord("hello")  // {"HH","AH0","L","OW1"}
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "voxlet/status.h"
#include "voxlet/text.h"

namespace voxlet {

class Lexicon {
 public:
  // Parses and validates a lexicon asset; the bytes are owned by the Lexicon.
  // Fails with kInvalidAsset (naming what is wrong) for truncated or foreign data.
  static Result<Lexicon> FromBytes(std::vector<uint8_t> bytes);

  // Phones of `word` (lowercase) if the lexicon has it; empty if not.
  std::vector<std::string> Lookup(std::string_view word) const;
  // Letter-to-sound prediction for any lowercase word (never empty for a
  // word with at least one letter).
  std::vector<std::string> Predict(std::string_view word) const;
  size_t word_count() const;

  Lexicon(Lexicon&&) noexcept;
  Lexicon& operator=(Lexicon&&) noexcept;
  ~Lexicon();

 private:
  struct Impl;
  explicit Lexicon(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class G2p {
 public:
  explicit G2p(std::shared_ptr<const Lexicon> lexicon);

  // Fills `phonemes` of every kWord token of one sentence that has none yet,
  // using neighbouring words to choose homograph readings. Words found by
  // letter-to-sound are counted in diag.out_of_lexicon_words.
  void Phonemize(std::vector<Token>& sentence, Diagnostics& diag) const;

  // One word without context (lexicon, then letter-to-sound).
  std::vector<std::string> PhonemizeWord(std::string_view word) const;
  // The same; `predicted` tells whether letter-to-sound rules were used.
  std::vector<std::string> PhonemizeWord(std::string_view word, bool& predicted) const;

 private:
  std::shared_ptr<const Lexicon> lexicon_;
};

}  // namespace voxlet
