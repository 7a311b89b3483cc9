// Core text types shared by every front-end stage.
//
//   SourceText  text being processed + a map back to the original input
//   Token       one unit of the normalized stream: a spoken word, a
//               punctuation (prosody) token, a pause or an SSML mark
//   Diagnostics counts of what was skipped or unknown, reported to the user
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace voxlet {

// A half-open [begin, end) range of UTF-8 byte offsets in the ORIGINAL input
// (the string the user passed, SSML markup included).
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool operator==(const Span&) const = default;
  bool empty() const { return end <= begin; }
  Span Union(const Span& other) const;
};

// Text derived from the original input (e.g. an SSML text node with entities
// decoded, or a <sub> alias) plus a map from its bytes back to original spans.
// Appended pieces whose length equals their source span's length map byte for
// byte; other pieces map every sub-range to their whole source span.
class SourceText {
 public:
  SourceText() = default;
  // The whole of `text` taken verbatim from the original at `source_begin`.
  static SourceText Verbatim(std::string_view text, uint32_t source_begin = 0);

  void Append(std::string_view text, Span source);
  const std::string& text() const { return text_; }
  bool empty() const { return text_.empty(); }
  // Original span of text()[begin, end). Requires begin < end <= size.
  Span ToSource(size_t begin, size_t end) const;
  // The part text()[begin, end) with its map (for processing long text in blocks).
  SourceText Slice(size_t begin, size_t end) const;

 private:
  struct Piece {
    uint32_t text_begin;
    Span source;
    bool linear;
  };
  size_t PieceAt(size_t text_offset) const;
  void AppendPiece(std::string_view text, Span source, bool linear);
  std::string text_;
  std::vector<Piece> pieces_;
};

enum class TokenKind {
  kWord,         // text: lowercase a-z and apostrophes, e.g. "twenty", "don't"
  kPunctuation,  // text: one of . , ? ! ; : … — (prosody; may end a clause)
  kBreak,        // a pause of break_ms milliseconds (SSML <break>, paragraphs)
  kMark,         // an SSML <mark>; text holds its name
};

// How a word is to be pronounced when it is not looked up as a plain word.
enum class WordFlag : uint8_t {
  kNone = 0,
  kLetter = 1,  // a single letter to be said by its name ("f b i", "a" -> EY1)
};

struct Prosody {
  float rate = 1.0f;    // speaking-rate multiplier (2 = twice as fast)
  float pitch = 1.0f;   // pitch multiplier
  float volume = 1.0f;  // linear gain
  bool operator==(const Prosody&) const = default;
};

struct Token {
  TokenKind kind = TokenKind::kWord;
  std::string text;
  Span span;  // where it came from in the original input
  WordFlag flag = WordFlag::kNone;
  // ARPAbet with stress ("HH", "AH0", ...). Filled by the G2P stage, or
  // earlier by SSML <phoneme> / <say-as> overrides (then kept as is).
  std::vector<std::string> phonemes;
  int break_ms = 0;    // kBreak only
  Prosody prosody;     // from enclosing SSML <prosody>
  bool sentence_end = false;  // kPunctuation or kBreak: ends the sentence
};

struct Diagnostics {
  int invalid_utf8 = 0;         // bytes that were not valid UTF-8 (skipped)
  int skipped_characters = 0;   // emoji / scripts the voice cannot speak
  int unknown_phonemes = 0;     // phonemes missing from the voice's id map
  int out_of_lexicon_words = 0; // words pronounced by letter-to-sound rules
  std::vector<std::string> unknown_phoneme_names;  // distinct, in order seen
  void Merge(const Diagnostics& other);
};

}  // namespace voxlet
