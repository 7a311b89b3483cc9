// G2p: words -> ARPAbet. Order of preference for a word: letter name (when
// the tokenizer flagged it), homograph rules, the lexicon, a possessive of a
// known word, then letter-to-sound. The Lexicon itself is in lexicon.cc.
#include "voxlet/g2p.h"

#include <array>
#include <utility>

#include "homographs.h"

namespace voxlet {
namespace {

constexpr std::array<std::string_view, 26> kLetterNames = {
    "EY1",      "B IY1", "S IY1", "D IY1",     "IY1",   "EH1 F", "JH IY1", "EY1 CH",
    "AY1",      "JH EY1", "K EY1", "EH1 L",    "EH1 M", "EH1 N", "OW1",    "P IY1",
    "K Y UW1",  "AA1 R", "EH1 S", "T IY1",     "Y UW1", "V IY1", "D AH1 B AH0 L Y UW0",
    "EH1 K S",  "W AY1", "Z IY1"};

void AppendPhones(std::string_view spaced, std::vector<std::string>& out) {
  while (!spaced.empty()) {
    size_t space = spaced.find(' ');
    out.emplace_back(spaced.substr(0, space));
    if (space == std::string_view::npos) break;
    spaced.remove_prefix(space + 1);
  }
}

// Names of the letters of `word`, one after another ("fbi" -> F B I).
std::vector<std::string> SpellLetters(std::string_view word) {
  std::vector<std::string> phones;
  for (char c : word) {
    if (c >= 'a' && c <= 'z') AppendPhones(kLetterNames[c - 'a'], phones);
  }
  return phones;
}

// The possessive ending after a word's last phone: "IH0 Z" after a sibilant
// (horse's), "S" after another voiceless consonant (cat's), else "Z".
std::string_view PossessiveEnding(const std::vector<std::string>& phones) {
  if (phones.empty()) return "Z";
  const std::string& last = phones.back();
  for (std::string_view sibilant : {"S", "Z", "SH", "ZH", "CH", "JH"}) {
    if (last == sibilant) return "IH0 Z";
  }
  for (std::string_view voiceless : {"P", "T", "K", "F", "TH"}) {
    if (last == voiceless) return "S";
  }
  return "Z";
}

}  // namespace

G2p::G2p(std::shared_ptr<const Lexicon> lexicon) : lexicon_(std::move(lexicon)) {}

std::vector<std::string> G2p::PhonemizeWord(std::string_view word) const {
  bool predicted = false;
  return PhonemizeWord(word, predicted);
}

std::vector<std::string> G2p::PhonemizeWord(std::string_view word, bool& predicted) const {
  predicted = false;
  if (!lexicon_ || word.empty()) return {};
  std::vector<std::string> phones = lexicon_->Lookup(word);
  if (!phones.empty()) return phones;
  // "john's" and "dogs'" when only "john" and "dogs" are listed: the
  // stem (looked up or predicted) plus the possessive ending.
  if (word.size() > 2 && word.ends_with("'s")) {
    phones = PhonemizeWord(word.substr(0, word.size() - 2), predicted);
    AppendPhones(PossessiveEnding(phones), phones);
    return phones;
  }
  if (word.size() > 2 && word.ends_with("s'")) return PhonemizeWord(word.substr(0, word.size() - 1), predicted);
  predicted = true;
  phones = lexicon_->Predict(word);
  if (phones.empty()) phones = SpellLetters(word);
  return phones;
}

void G2p::Phonemize(std::vector<Token>& sentence, Diagnostics& diag) const {
  std::vector<std::string_view> words;
  for (const Token& token : sentence) {
    if (token.kind == TokenKind::kWord) words.push_back(token.text);
  }
  // Neighbours only count within a clause: punctuation and breaks cut it.
  auto neighbour = [&](size_t i, int step) -> std::string_view {
    size_t j = i + step;
    if (j >= sentence.size() || sentence[j].kind != TokenKind::kWord) return "";
    return sentence[j].text;
  };
  for (size_t i = 0; i < sentence.size(); ++i) {
    Token& token = sentence[i];
    if (token.kind != TokenKind::kWord || !token.phonemes.empty()) continue;
    if (token.flag == WordFlag::kLetter) {
      token.phonemes = SpellLetters(token.text);
      continue;
    }
    WordContext context{neighbour(i, -1), neighbour(i, +1), words};
    if (std::string_view reading = ResolveHomograph(token.text, context); !reading.empty()) {
      AppendPhones(reading, token.phonemes);
      continue;
    }
    bool predicted = false;
    token.phonemes = PhonemizeWord(token.text, predicted);
    if (predicted) ++diag.out_of_lexicon_words;
  }
}

}  // namespace voxlet
