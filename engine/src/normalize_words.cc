// Words: abbreviations ("Dr.", "e.g."), Roman numerals ("Henry VIII"),
// initials, acronyms ("NASA" said, "HTML" spelled) and plain words.
#include <string>
#include <utility>
#include <vector>

#include "normalizer_pass.h"
#include "normalizer_tables.h"
#include "word_shape.h"

namespace voxlet::normalizer_internal {

size_t Normalizer::WordRules(size_t i) {
  size_t n = 0;
  if ((n = TryMonthDay(i)) || (n = TryDottedAbbreviation(i)) || (n = TryAbbreviation(i)) ||
      (n = TryRoman(i)) || (n = TryInitial(i)) || (n = TryAcronym(i))) {
    return n;
  }
  return PlainWord(i);
}

size_t Normalizer::TryDottedAbbreviation(size_t i) {
  // "e.g.", "U.S.A.", "Ph.D.": short words joined by periods with no spaces.
  std::string key(Text(i));
  size_t last = i;
  bool single_letters = Text(i).size() == 1;
  while (SymbolAt(last + 1) == '.' && Attached(last + 1) && IsWordAt(last + 2) &&
         Attached(last + 2) && Text(last + 2).size() <= 2 && Text(last).size() <= 2) {
    key += '.';
    key += Text(last + 2);
    single_letters = single_letters && Text(last + 2).size() == 1;
    last += 2;
  }
  if (last == i) return 0;
  const bool has_period = SymbolAt(last + 1) == '.' && Attached(last + 1);
  const size_t end = last + 1 + (has_period ? 1 : 0);
  const Abbreviation* entry = FindAbbreviation(key);
  if (entry != nullptr) {
    const WordFlag flag = (entry->flags & kSpelled) != 0 ? WordFlag::kLetter : WordFlag::kNone;
    EmitPhrase(entry->spoken, SpanOf(i, last + 1), flag);
    if (has_period) EmitAbbreviationPeriod(last + 1, (entry->flags & kMayEndSentence) != 0);
    return end - i;
  }
  if (!single_letters) return 0;
  for (size_t k = i; k <= last; k += 2) EmitLetters(k, Text(k), "");
  if (has_period) EmitAbbreviationPeriod(last + 1, false);
  return end - i;
}

size_t Normalizer::TryAbbreviation(size_t i) {
  int month = 0;
  if (MonthAt(i, month) == 2) {  // "Jan." without a day
    EmitWord(std::string(MonthName(month)), SpanOf(i, i + 1));
    EmitAbbreviationPeriod(i + 1, true);
    return 2;
  }
  const Abbreviation* entry = FindAbbreviation(Text(i));
  if (entry == nullptr) return 0;
  const bool has_period = SymbolAt(i + 1) == '.' && Attached(i + 1);
  const size_t next = i + 1 + (has_period ? 1 : 0);
  const uint8_t flags = entry->flags;
  if ((flags & kPeriodRequired) != 0 && !has_period) return 0;
  if ((flags & kTitle) != 0 && !has_period && !IsCapitalizedWordAt(next)) return 0;
  if ((flags & kNeedsNumberAfter) != 0 && !IsNumberAt(next)) return 0;
  const std::string_view w = Text(i);
  // Weekday abbreviations collide with words ("the Sun."): only before a date.
  const bool weekday =
      entry->spoken.size() > 3 && entry->spoken.substr(entry->spoken.size() - 3) == "day";
  if (weekday && !(SymbolAt(next) == ',' || IsNumberAt(next) || MonthAt(next, month) > 0)) {
    return 0;
  }
  std::string_view spoken = entry->spoken;
  bool may_end = (flags & kMayEndSentence) != 0;
  if (w == "St" || w == "Dr") {
    // "St. Louis" / "Main St.", "Dr. Smith" / "Elm Dr.": a street type
    // follows a name or house number.
    const bool after_name =
        i > 0 && Spaced(i) && (IsNumberAt(i - 1) || (IsNameAt(i - 1) && !IsSentenceStartAt(i - 1)));
    const bool before_name = IsCapitalizedWordAt(next) && !IsSentenceStarter(Text(next));
    const bool after_house_number = after_name && i >= 2 && IsNumberAt(i - 2);
    if (after_name && (!before_name || after_house_number)) {
      spoken = w == "St" ? "street" : "drive";
      may_end = !before_name;
    }
  }
  const WordFlag flag = (flags & kSpelled) != 0 ? WordFlag::kLetter : WordFlag::kNone;
  EmitPhrase(spoken, SpanOf(i, i + 1), flag);
  if (has_period) EmitAbbreviationPeriod(i + 1, may_end);
  return next - i;
}

size_t Normalizer::TryRoman(size_t i) {
  const std::string_view w = Text(i);
  const int value = RomanValue(w);
  if (value == 0 || i == 0 || !Spaced(i) || !IsWordAt(i - 1)) return 0;
  std::vector<std::string> words;
  if (IsRomanCardinalContext(Lowercase(Text(i - 1)))) {
    AppendCardinalWords(std::to_string(value), words);
  } else if (IsNameAt(i - 1) && w != "I" && w != "X" && value <= 39 &&
             w.find_first_not_of("IVX") == std::string_view::npos) {
    // Regnal numbers: "Henry VIII" -> henry the eighth.
    words.emplace_back("the");
    AppendOrdinalWords(std::to_string(value), words);
  } else {
    return 0;
  }
  EmitWords(words, SpanOf(i, i + 1));
  return 1;
}

size_t Normalizer::TryInitial(size_t i) {
  const std::string_view w = Text(i);
  if (w.size() != 1 || !IsUpper(w[0]) || SymbolAt(i + 1) != '.' || !Attached(i + 1)) return 0;
  const bool next_is_initial = IsWordAt(i + 2) && Text(i + 2).size() == 1 &&
                               IsUpper(Text(i + 2)[0]) && SymbolAt(i + 3) == '.';
  // "I." and "A." are more often a pronoun or article ending a sentence.
  if (w == "I" || w == "A" ? !next_is_initial : !IsCapitalizedWordAt(i + 2)) return 0;
  // "Plan B. Then ..." is a sentence end, not an initial.
  if (!next_is_initial && IsSentenceStarter(Text(i + 2))) return 0;
  EmitLetters(i, w, "");
  return 2;
}

size_t Normalizer::TryAcronym(size_t i) {
  const std::string_view w = Text(i);
  if (const std::string_view spoken = SpecialWordReading(w); !spoken.empty()) {
    EmitPhrase(spoken, SpanOf(i, i + 1));
    return 1;
  }
  std::string_view core = w;
  std::string_view suffix;
  if (core.size() > 3 && core.substr(core.size() - 2) == "'s") {
    core.remove_suffix(2);
    suffix = "'s";
  } else if (core.size() > 2 && core.back() == 's') {
    core.remove_suffix(1);
    suffix = "s";
  }
  if (core.size() < 2) return 0;
  for (char c : core) {
    if (!IsUpper(c)) return 0;
  }
  bool spelled;
  if (IsInitialism(core)) {
    spelled = true;
  } else if (IsAcronymWord(core)) {
    spelled = false;
  } else if (core.size() == 2) {
    spelled = !IsShortAllCapsWord(core);
  } else {
    spelled = !LooksPronounceable(core);
  }
  if (spelled) {
    // The plural or possessive rides on the last letter: "CDs" -> c d's.
    EmitLetters(i, core, suffix.empty() ? "" : "'s");
  } else {
    EmitWord(Lowercase(core) + std::string(suffix), SpanOf(i, i + 1));
  }
  return 1;
}

size_t Normalizer::PlainWord(size_t i) {
  const std::string_view w = Text(i);
  const Span span = SpanOf(i, i + 1);
  if (w.size() == 1 && w != "a" && w != "A" && w != "I" && w != "i") {
    EmitWord(std::string(1, ToLower(w[0])), span, WordFlag::kLetter);
    return 1;
  }
  std::string lower = Lowercase(w);
  // Lowercase "html" or "pdf" cannot be read as a word: spell it.
  if (lower.size() <= 5 && !HasVowel(lower) && lower.find('\'') == std::string::npos &&
      !IsVowellessWord(lower)) {
    EmitLetters(i, w, "");
    return 1;
  }
  EmitWord(std::move(lower), span);
  return 1;
}

}  // namespace voxlet::normalizer_internal
