// Numbers and money: cardinals, decimals, years, fractions, decades,
// ordinals, ranges, units, currency amounts and telephone numbers; also the
// say-as cardinal/ordinal/digits readings.
#include <string>
#include <utility>
#include <vector>

#include "normalizer_pass.h"
#include "normalizer_tables.h"

namespace voxlet::normalizer_internal {
namespace {

bool IsDenominator(long value) {
  return (value >= 2 && value <= 10) || value == 12 || value == 16 || value == 32 || value == 64 ||
         value == 100;
}

void AppendDenominatorWord(long denominator, bool plural, std::vector<std::string>& words) {
  if (denominator == 2) {
    words.emplace_back(plural ? "halves" : "half");
    return;
  }
  if (denominator == 4) {
    words.emplace_back(plural ? "quarters" : "quarter");
    return;
  }
  AppendOrdinalWords(std::to_string(denominator), words);
  if (plural) words.back() += 's';
}

}  // namespace

size_t Normalizer::NumberRules(size_t i) {
  if (options_.say_as != SayAs::kNone) {
    if (const size_t n = ForcedNumber(i)) return n;
  }
  const bool negative = std::exchange(negative_, false);
  size_t n = 0;
  if (!negative && ((n = TryTelephone(i)) || (n = TryTime(i)) || (n = TryNumericDate(i)))) {
    return n;
  }
  if ((n = TryFraction(i)) || (n = TryDecadePlural(i)) || (n = TryOrdinal(i))) return n;
  if (!negative && ((n = TryDayMonth(i)) || (n = TryHourAmPm(i)))) return n;
  if ((n = TryRange(i))) return n;
  return PlainNumber(i, negative);
}

void Normalizer::AppendNumberReading(size_t i, bool allow_year,
                                     std::vector<std::string>& words) const {
  const std::string digits = IntegerDigits(i);
  const std::string_view fraction = FractionDigits(i);
  // "007" and zip-code-like strings keep their zeros: read digit by digit.
  if (fraction.empty() && !tokens_[i].grouped && digits.size() > 1 && digits[0] == '0') {
    AppendDigitWords(digits, words);
    return;
  }
  if (digits == "911") {  // the emergency number is never "nine hundred eleven"
    AppendDigitWords(digits, words);
    return;
  }
  if (fraction.empty() && allow_year && IsYearLikeAt(i)) {
    AppendYearWords(digits, words);
    return;
  }
  if (!digits.empty()) AppendCardinalWords(digits, words);
  if (!fraction.empty()) {
    words.emplace_back("point");
    AppendDigitWords(fraction, words);
  }
}

size_t Normalizer::ForcedNumber(size_t i) {
  std::vector<std::string> words;
  const bool negative = std::exchange(negative_, false);
  size_t consumed = 1;
  switch (options_.say_as) {
    case SayAs::kDigits:
      AppendDigitWords(IntegerDigits(i), words);
      if (!FractionDigits(i).empty()) {
        words.emplace_back("point");
        AppendDigitWords(FractionDigits(i), words);
      }
      break;
    case SayAs::kCardinal:
      AppendNumberReading(i, false, words);
      break;
    case SayAs::kOrdinal:
      AppendOrdinalWords(IntegerDigits(i), words);
      if (IsOrdinalSuffixAt(i + 1)) consumed = 2;
      break;
    default:
      negative_ = negative;
      return 0;
  }
  EmitWords(words, SpanOf(i, i + consumed));
  return consumed + (options_.say_as == SayAs::kCardinal ? EmitUnit(i + 1, Text(i) == "1") : 0);
}

size_t Normalizer::TryTelephone(size_t i) {
  size_t j = i;
  const bool plus = SymbolAt(j) == '+';
  if (plus) {
    if (!IsPlainIntegerAt(j + 1) || !Attached(j + 1)) return 0;
    ++j;
  }
  std::vector<std::string_view> groups;
  bool paren = false;
  size_t end = j;
  while (groups.size() < 6) {
    bool this_paren = false;
    if (SymbolAt(j) == '(' && IsPlainIntegerAt(j + 1) && Attached(j + 1) &&
        SymbolAt(j + 2) == ')' && Attached(j + 2)) {
      groups.push_back(Text(j + 1));
      j += 3;
      paren = this_paren = true;
    } else if (IsPlainIntegerAt(j)) {
      groups.push_back(Text(j));
      ++j;
    } else {
      break;
    }
    end = j;
    // Separator before the next group: a hyphen or dot glued on both sides,
    // or a space once "+" or parentheses show this is a phone number.
    const char s = SymbolAt(j);
    const bool glued_separator = (s == '-' || s == '.') && Attached(j) && Attached(j + 1);
    if (glued_separator) {
      ++j;
    } else if (!(Spaced(j) && (plus || paren)) && !(this_paren && Attached(j))) {
      break;
    }
  }
  std::vector<size_t> lengths;
  size_t total = 0;
  for (std::string_view g : groups) {
    lengths.push_back(g.size());
    total += g.size();
  }
  bool valid = false;
  if (plus) {
    valid = groups.size() >= 2 && lengths[0] <= 3 && total >= 8 && total <= 15;
    for (size_t k = 1; k < lengths.size(); ++k) valid = valid && lengths[k] <= 4;
  } else {
    valid = lengths == std::vector<size_t>{3, 3, 4} ||
            (lengths == std::vector<size_t>{1, 3, 3, 4} && groups[0] == "1") ||
            (lengths == std::vector<size_t>{3, 4} && !paren && groups[0][0] >= '2');
  }
  // A phone number does not run on into more digits.
  if (!valid || (IsNumberAt(end) && Attached(end))) return 0;
  const Span span = SpanOf(i, end);
  if (plus) EmitWord("plus", span);
  for (size_t k = 0; k < groups.size(); ++k) {
    if (k > 0) EmitPunctuation(",", span, false);
    std::vector<std::string> words;
    AppendDigitWords(groups[k], words);
    EmitWords(words, span);
  }
  return end - i;
}

size_t Normalizer::TryFraction(size_t i) {
  // Mixed number "2 1/2".
  if (IsPlainIntegerAt(i) && IsPlainIntegerAt(i + 1) && Spaced(i + 1) && SymbolAt(i + 2) == '/' &&
      Attached(i + 2) && Attached(i + 3) && IsPlainIntegerAt(i + 3) &&
      !(SymbolAt(i + 4) == '/' && Attached(i + 4))) {
    const long numerator = ValueAt(i + 1), denominator = ValueAt(i + 3);
    if (IsDenominator(denominator) && numerator >= 1 && numerator < denominator) {
      std::vector<std::string> words;
      AppendNumberReading(i, false, words);
      words.emplace_back("and");
      if (numerator == 1) {
        words.emplace_back("a");
      } else {
        AppendCardinalWords(Text(i + 1), words);
      }
      AppendDenominatorWord(denominator, numerator != 1, words);
      EmitWords(words, SpanOf(i, i + 4));
      return 4;
    }
  }
  // Longer slash chains ("13/13/2013" that is no date) are read slash by slash.
  if (!IsPlainIntegerAt(i) || SymbolAt(i + 1) != '/' || !Attached(i + 1) || !Attached(i + 2) ||
      !IsPlainIntegerAt(i + 2) || (SymbolAt(i + 3) == '/' && Attached(i + 3)) ||
      (i > 0 && SymbolAt(i - 1) == '/' && Attached(i))) {
    return 0;
  }
  const long numerator = ValueAt(i), denominator = ValueAt(i + 2);
  std::vector<std::string> words;
  if ((numerator == 24 && denominator == 7) || (numerator == denominator && numerator > 1)) {
    // Idioms "24/7" and "50/50".
    AppendCardinalWords(Text(i), words);
    AppendCardinalWords(Text(i + 2), words);
  } else if (IsDenominator(denominator) && numerator >= 0 && numerator < 1000) {
    AppendCardinalWords(Text(i), words);
    AppendDenominatorWord(denominator, numerator != 1, words);
  } else if (numerator >= 1 && numerator <= 12 && denominator >= 1 && denominator <= 31 &&
             Text(i).size() <= 2 && Text(i + 2).size() <= 2) {
    AppendDateWords(static_cast<int>(numerator), Text(i + 2), {}, false, words);
  } else {
    AppendNumberReading(i, false, words);
    words.emplace_back("over");
    AppendNumberReading(i + 2, false, words);
  }
  EmitWords(words, SpanOf(i, i + 3));
  return 3;
}

size_t Normalizer::TryDecadePlural(size_t i) {
  if (!IsPlainIntegerAt(i)) return 0;
  size_t s = i + 1;
  if (SymbolAt(s) == '\'' && Attached(s)) ++s;
  if (!IsWordAt(s) || !Attached(s) || Text(s) != "s") return 0;
  std::vector<std::string> words;
  AppendNumberReading(i, true, words);
  // "1990s" and "'90s" are decades; "2020's" with an apostrophe is a possessive.
  const bool apostrophe = s == i + 2;
  if (apostrophe && Text(i).back() != '0') {
    words.back() += "'s";
  } else {
    words.back() = PluralOfWord(words.back());
  }
  EmitWords(words, SpanOf(i, s + 1));
  return s + 1 - i;
}

bool Normalizer::IsOrdinalSuffixAt(size_t i) const {
  if (!IsWordAt(i) || !Attached(i)) return false;
  const std::string_view w = Text(i);
  return EqualsIgnoreCase(w, "st") || EqualsIgnoreCase(w, "nd") || EqualsIgnoreCase(w, "rd") ||
         EqualsIgnoreCase(w, "th");
}

size_t Normalizer::TryOrdinal(size_t i) {
  if (!IsNumberAt(i) || !FractionDigits(i).empty() || !IsOrdinalSuffixAt(i + 1)) return 0;
  std::vector<std::string> words;
  int month = 0;
  const size_t month_length = Spaced(i + 2) ? MonthAt(i + 2, month) : 0;
  // "5th January" is said "the fifth of January".
  if (month_length > 0 && !LastEmittedWordIs("the")) words.emplace_back("the");
  AppendOrdinalWords(IntegerDigits(i), words);
  EmitWords(words, SpanOf(i, i + 2));
  if (month_length == 0) return 2;
  EmitWord("of", SpanOf(i, i + 2));
  EmitWord(std::string(MonthName(month)), SpanOf(i + 2, i + 3));
  if (month_length == 2) EmitAbbreviationPeriod(i + 3, true);
  return 2 + month_length;
}

size_t Normalizer::TryRange(size_t i) {
  const size_t dash = i + 1;
  const char s = SymbolAt(dash);
  if ((s != '-' && s != kEnDash) || !IsNumberAt(dash + 1)) return 0;
  if (s == '-' && Attached(dash) != Attached(dash + 1)) return 0;
  std::vector<std::string> words;
  if (IsYearLikeAt(i) && IsPlainIntegerAt(dash + 1) && Text(dash + 1).size() == 2) {
    AppendYearWords(Text(i), words);
    EmitWords(words, SpanOf(i, i + 1));
    EmitWord("to", SpanOf(dash, dash + 1));
    words.clear();
    AppendYearTailWords(Text(dash + 1), words);
    EmitWords(words, SpanOf(dash + 1, dash + 2));
    return 3;
  }
  const bool years = IsYearLikeAt(dash + 1) && !QuantityFollows(dash + 2);
  AppendNumberReading(i, years, words);
  EmitWords(words, SpanOf(i, i + 1));
  EmitWord("to", SpanOf(dash, dash + 1));
  return 2;  // the second number is read on its own, with its unit
}

bool Normalizer::QuantityFollows(size_t i) const {
  const char s = SymbolAt(i);
  if (s == '%' || s == kDegree || s == kCent || FindCurrency(s) != nullptr) return true;
  if (!IsWordAt(i)) return false;
  const std::string_view w = Text(i);
  return FindUnit(w) != nullptr || IsQuantityWord(w);
}

size_t Normalizer::PlainNumber(size_t i, bool negative) {
  std::vector<std::string> words;
  AppendNumberReading(i, !negative && !QuantityFollows(i + 1), words);
  EmitWords(words, SpanOf(i, i + 1));
  const bool singular = IntegerDigits(i) == "1" && FractionDigits(i).empty();
  return 1 + EmitUnit(i + 1, singular);
}

size_t Normalizer::EmitUnit(size_t i, bool singular) {
  const char s = SymbolAt(i);
  if (s == kDegree) {
    std::string phrase(singular ? "degree" : "degrees");
    size_t n = 1;
    if (IsWordAt(i + 1) && Attached(i + 1) && (Text(i + 1) == "C" || Text(i + 1) == "F")) {
      phrase += Text(i + 1) == "C" ? " celsius" : " fahrenheit";
      n = 2;
    }
    EmitPhrase(phrase, SpanOf(i, i + n));
    return n;
  }
  if (const Currency* currency = FindCurrency(s); currency != nullptr && Attached(i)) {
    EmitWord(std::string(singular ? currency->singular : currency->plural), SpanOf(i, i + 1));
    return 1;
  }
  if (s == kCent && Attached(i)) {
    EmitWord(singular ? "cent" : "cents", SpanOf(i, i + 1));
    return 1;
  }
  if (!IsWordAt(i)) return 0;
  const Unit* unit = FindUnit(Text(i));
  if (unit == nullptr) return 0;
  // "5 in the box": "in" is only a unit when glued on or before punctuation.
  if (IsAmbiguousUnit(unit->written) && Spaced(i) && i + 1 < size() &&
      (IsWordAt(i + 1) || IsNumberAt(i + 1))) {
    return 0;
  }
  std::string phrase;
  size_t n = 1;
  if (SymbolAt(i + 1) == kSquared || SymbolAt(i + 1) == kCubed) {
    phrase = SymbolAt(i + 1) == kSquared ? "square " : "cubic ";
    n = 2;
  }
  phrase += singular ? unit->singular : unit->plural;
  if (SymbolAt(i + n) == '/' && Attached(i + n) && IsWordAt(i + n + 1) && Attached(i + n + 1)) {
    if (const Unit* per = FindUnit(Text(i + n + 1)); per != nullptr) {
      phrase += " per ";
      phrase += per->singular;
      n += 2;
    }
  }
  EmitPhrase(phrase, SpanOf(i, i + n));
  return n;
}

size_t Normalizer::TryCurrency(size_t i) {
  const char symbol = SymbolAt(i);
  const Currency* currency = FindCurrency(symbol);
  if (currency == nullptr || !IsNumberAt(i + 1) || !Attached(i + 1)) return 0;
  const size_t number = i + 1;
  size_t end = i + 2;
  std::string_view scale;
  if (IsWordAt(end)) {
    scale = ScaleWord(Text(end), Attached(end));
    if (!scale.empty()) ++end;
  }
  const std::string digits = IntegerDigits(number);
  const std::string_view cents = FractionDigits(number);
  // "$5-10" and "$5–$10" are said "five to ten dollars".
  size_t upper = 0;
  if (scale.empty() && cents.empty() && (SymbolAt(end) == '-' || SymbolAt(end) == kEnDash)) {
    size_t k = end + 1;
    if (SymbolAt(k) == symbol) ++k;
    if (IsNumberAt(k) && FractionDigits(k).empty() && Attached(end) == Attached(end + 1)) {
      upper = k;
      end = k + 1;
    }
  }
  std::vector<std::string> words;
  const bool one = digits == "1" && cents.empty() && scale.empty() && upper == 0;
  const std::string_view unit = one ? currency->singular : currency->plural;
  if (!scale.empty() || upper != 0 || (!cents.empty() && cents.size() != 2) ||
      currency->cent_plural.empty()) {
    AppendNumberReading(number, false, words);
    if (upper != 0) {
      words.emplace_back("to");
      AppendNumberReading(upper, false, words);
    }
    if (!scale.empty()) words.emplace_back(scale);
    words.emplace_back(unit);
  } else {
    const long cent_value = cents.empty() ? 0 : DigitsValue(cents);
    const bool no_whole = DigitsValue(digits) == 0 || digits.empty();
    if (!no_whole || cent_value == 0) {
      AppendCardinalWords(digits.empty() ? "0" : digits, words);
      words.emplace_back(digits == "1" ? currency->singular : currency->plural);
    }
    if (cent_value > 0) {
      if (!words.empty()) words.emplace_back("and");
      AppendCardinalWords(cents, words);
      words.emplace_back(cent_value == 1 ? currency->cent_singular : currency->cent_plural);
    }
  }
  EmitWords(words, SpanOf(i, end));
  return end - i;
}

}  // namespace voxlet::normalizer_internal
