// A bounded parser for the SSML subset Voxlet speaks: speak, p, s, break,
// prosody, say-as, sub, phoneme, mark (other elements' text is read, the
// element itself ignored). It turns markup into a flat list of pieces with
// every text byte mapped back to the original input.
//
//   auto pieces = ParseSsml("<speak>Hi <break time=\"300ms\"/> there</speak>");
//   // kText "Hi ", kBreak 300, kText " there"
//
// Malformed input fails with kMalformedSsml and a message naming line and
// column ("line 2, column 14: closing tag </s> does not match <p>").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "voxlet/normalizer.h"
#include "voxlet/status.h"
#include "voxlet/text.h"

namespace voxlet {

// Bounds that keep the work and the audio a document asks for proportional to
// its size. Over a limit, ParseSsml fails with kLimitExceeded naming it,
// except max_break_ms, which clamps (SSML lets a processor cap long pauses).
struct SsmlLimits {
  size_t max_bytes = 10 * 1024 * 1024;  // whole document
  int max_depth = 64;                   // element nesting
  int max_break_ms = 10000;             // one <break> (ms); longer times are clamped
  // All <break> times of the document together (ms): 10 minutes of silence.
  int64_t max_total_break_ms = 600000;
  // Content of one <say-as> element, markup included (bytes): say-as reads
  // short items (codes, dates, numbers, phone numbers) one word per character
  // or digit, the largest expansion of text into speech.
  size_t max_say_as_bytes = 1024;
  std::vector<std::string> Validate() const;  // empty = valid
};

enum class PhonemeAlphabet { kIpa, kArpabet };

struct SsmlPiece {
  enum class Kind {
    kText,      // text (entities decoded; sub alias substituted)
    kBreak,     // pause of break_ms
    kMark,      // <mark name>: mark
    kBoundary,  // start/end of <p> or <s>: forces a sentence boundary
  };
  Kind kind = Kind::kText;
  SourceText text;             // kText
  NormalizeOptions normalize;  // kText: from the enclosing <say-as>
  // kText inside <phoneme>: the pronunciation of the whole text
  std::string phonemes;  // the ph attribute, as written
  PhonemeAlphabet alphabet = PhonemeAlphabet::kIpa;
  Prosody prosody;         // effective (nested prosody multiplies)
  int break_ms = 0;        // kBreak
  std::string mark;        // kMark
  Span span;               // original span of the element or text
  bool paragraph = false;  // kBoundary: a paragraph (longer pause) boundary
};

// True when the input is meant as SSML (after an optional byte order mark
// and whitespace, it starts with "<speak" or an XML declaration).
bool LooksLikeSsml(std::string_view input);

// Parses `input` into pieces, in document order:
// - Text between two SSML elements is one kText piece. Unknown elements,
//   comments and processing instructions are transparent (their text joins
//   the surrounding text); CDATA content is read as text. Text that is only
//   whitespace (indentation between tags) yields no piece.
// - <sub> yields one piece whose text is the alias (none for alias="");
//   <phoneme> yields one piece with its content as text, even when empty.
//   Elements inside either are checked but yield no pieces of their own.
// - <p>/<s> yield a kBoundary at the start tag and at the end tag; <break>
//   and <mark> yield their piece at the start tag.
// - span: the text's range (first to last source byte) for kText, the
//   content between the tags for <sub>/<phoneme>, the tag for the others.
// Only the attributes an element uses are checked for duplicates; unknown
// attributes are ignored. Fails with kLimitExceeded (input over
// limits.max_bytes, nesting deeper than limits.max_depth counting <speak>,
// breaks adding up to more than limits.max_total_break_ms, a <say-as> with
// more than limits.max_say_as_bytes of content, or limits that fail
// Validate()) or kMalformedSsml; all but the size and limits errors start
// "line L, column C: ". Each <break> is clamped to limits.max_break_ms.
// Time and memory are linear in the input; nothing recurses.
Result<std::vector<SsmlPiece>> ParseSsml(std::string_view input, const SsmlLimits& limits = {});

// The pieces as compact JSON, the form tests/golden/ssml.jsonl uses, so the
// C++ and JS suites (via the WASM binding) compare the same way:
//   [{"text":"Hi ","span":[7,10]},{"break":300},{"mark":"m1"},{"boundary":"p"}]
// Text pieces add, only when not default and in this order: "say_as"
// ("characters", "cardinal", ...), "format", "phonemes" with "alphabet"
// ("ipa" | "arpabet"), "rate", "pitch", "volume" (rounded to 4 decimals;
// omitted when that rounds to 1). Bytes that are not valid UTF-8 are written
// as \ufffd so the result is always valid JSON.
std::string SsmlPiecesToJson(const std::vector<SsmlPiece>& pieces);

}  // namespace voxlet
