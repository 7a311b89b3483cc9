// Text normalization for US English: turns written text into spoken words.
//
//   SourceText src = SourceText::Verbatim("Dr. Smith paid $3.50.");
//   std::vector<Token> tokens; Diagnostics diag;
//   Normalize(src, {}, tokens, diag);
//   SpokenForm(tokens) == "doctor smith paid three dollars and fifty cents."
//
// Every produced token carries the span of the original text it came from
// (all words of "$3.50" share the span of "$3.50"). The normalizer also decides
// which periods end a sentence (abbreviations, decimals, initials, URLs do
// not): those punctuation tokens get sentence_end = true.
//
// Conventions of the output (what the golden table tests/golden/normalize.jsonl
// relies on):
//   - Words are lowercase a-z and apostrophes, never hyphens: "twenty first",
//     "well known". Letter names ("f b i", "w w w", "a m") are one-letter
//     kLetter words; a spelled plural or possessive rides on the last letter
//     ("CDs" -> "c" "d's", both kLetter).
//   - Punctuation tokens are one of . , ? ! ; : … — ; runs collapse to the
//     strongest mark ("?!" -> "?", ",." -> "."). Quotes are dropped;
//     parentheses and brackets become "," inside a sentence. A clause mark
//     (, ; : —) before any word of the call is dropped.
//   - Telephone numbers are read digit by digit, groups separated by ","
//     tokens; every word of one number, currency amount, date or time shares
//     the span of the whole written form.
//   - A period of an abbreviation, initial, decimal or URL is not emitted;
//     "etc.", "a.m.", "p.m.", "Inc." (and a few more) before a capitalized
//     word, and any abbreviation at the very end, yield a "." token with
//     sentence_end = true spanning the period.
#pragma once

#include <string>
#include <vector>

#include "voxlet/text.h"

namespace voxlet {

// SSML <say-as interpret-as="..."> hints; kNone = decide from context.
enum class SayAs {
  kNone,
  kCharacters,  // spell out: "abc" -> a b c (kLetter words), digits one by one
  kCardinal,
  kOrdinal,
  kDigits,      // "123" -> one two three
  kDate,        // format: "mdy" (default), "dmy", "ymd", "md", "dm", "ym", "my", "y"
  kTime,
  kTelephone,
};

struct NormalizeOptions {
  SayAs say_as = SayAs::kNone;
  std::string format;  // say-as format attribute (dates), empty = default
};

// Appends the kWord and kPunctuation tokens for `text` to `out`. Never fails:
// characters the voice cannot speak (emoji, other scripts, control
// characters, invalid UTF-8) are skipped and counted in `diag`.
void Normalize(const SourceText& text, const NormalizeOptions& options,
               std::vector<Token>& out, Diagnostics& diag);

// Words joined by single spaces; punctuation attached to the preceding word
// ("hello, world."); break and mark tokens are omitted.
std::string SpokenForm(const std::vector<Token>& tokens);

}  // namespace voxlet
