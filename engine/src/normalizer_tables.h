// Word lists and lookup tables of the US English normalizer: abbreviations,
// months, units, currencies, all-caps words, context cue words and the
// readings of symbols. Internal to the normalizer; every lookup is a linear
// scan of a short constant table, which beats hashing at these sizes.
#pragma once

#include <cstdint>
#include <string_view>

namespace voxlet::normalizer_internal {

// --- Abbreviations. ---
enum AbbreviationFlags : uint8_t {
  kPeriodRequired = 1,    // only with its period ("No." vs the word "no")
  kMayEndSentence = 2,    // "etc." / "Inc." before a capital ends the sentence
  kNeedsNumberAfter = 4,  // "No. 5", "p. 12"
  kTitle = 8,             // without a period only before a capitalized name
  kSpelled = 16,          // spoken words are letter names
  kIgnoreCase = 32,       // "Etc." and "etc." alike
};

struct Abbreviation {
  std::string_view written;  // without the final period; inner periods kept
  std::string_view spoken;
  uint8_t flags;
};

// The entry written exactly `written` (or in any case, for kIgnoreCase
// entries), or nullptr.
const Abbreviation* FindAbbreviation(std::string_view written);

// --- Months. ---
// 1-12 for a capitalized month name or abbreviation ("Sept" too), else 0.
int MonthNumber(std::string_view word);
// "january" for 1 ... "december" for 12. Requires 1 <= month <= 12.
std::string_view MonthName(int month);

// --- Units, currencies and amounts. ---
struct Unit {
  std::string_view written;  // case-sensitive
  std::string_view singular;
  std::string_view plural;
};
const Unit* FindUnit(std::string_view written);
// Short units that are also English words or letters: a unit only when
// glued to the number ("5in") or when nothing word-like follows ("5 in.").
bool IsAmbiguousUnit(std::string_view written);

struct Currency {
  char symbol;  // '$' or a control code of voxlet/text_folding.h
  std::string_view singular, plural, cent_singular, cent_plural;  // cents "" = none
};
const Currency* FindCurrency(char symbol);

// Scale words and suffixes that may follow an amount: "$2.5 million", "$5M".
// `attached`: glued to the number, where only the suffixes count.
std::string_view ScaleWord(std::string_view word, bool attached);

// Plural nouns after a number that make it a quantity, not a year: "1999 people".
bool IsQuantityWord(std::string_view word);

// --- All-caps words (arguments are the written form, case-sensitive). ---
// Said as words although short; overrides the pronounceability heuristic.
bool IsAcronymWord(std::string_view upper);
// Look pronounceable but are spelled.
bool IsInitialism(std::string_view upper);
// Two-letter words said as words ("NO", "GO").
bool IsShortAllCapsWord(std::string_view upper);
// Fixed reading of a written form ("JSON" -> "jason"), or "".
std::string_view SpecialWordReading(std::string_view written);

// --- Context cues. ---
// Words before a Roman numeral that make it a cardinal: "Chapter IV".
bool IsRomanCardinalContext(std::string_view lower);
// Words that start sentences; after "Main St." they mark a sentence break.
bool IsSentenceStarter(std::string_view word);
// Words before a 4-digit number outside 1100-2099 that make it a year: "in 1066".
bool IsYearIntroducer(std::string_view word);
bool IsTopLevelDomain(std::string_view lower);
// Interjections that have no vowel letter but are still said as words.
bool IsVowellessWord(std::string_view lower);

// --- Symbols and punctuation. ---
// Symbols read as words wherever they stand alone ("&" -> "and"), or "".
std::string_view SymbolWord(char symbol);
// Reading of a symbol inside a URL or e-mail address ("." -> "dot"), or "".
std::string_view LinkSymbolWord(char symbol);
// Prosody strength when punctuation marks collapse: "?!" -> "?", ",." -> ".".
int PunctuationStrength(std::string_view mark);

inline constexpr std::string_view kEllipsisMark = "\xE2\x80\xA6";
inline constexpr std::string_view kDashMark = "\xE2\x80\x94";

}  // namespace voxlet::normalizer_internal
