// Dates and times: "12:30 pm", "5 p.m.", "3/14/2024", "5th January",
// "Jan. 5", "2024-03-14", and the say-as date and time readings.
#include <algorithm>
#include <string>
#include <vector>

#include "normalizer_pass.h"
#include "normalizer_tables.h"

namespace voxlet::normalizer_internal {
namespace {

void AppendTimeWords(long hour, long minute, long second, bool has_am_pm,
                     std::vector<std::string>& words) {
  AppendCardinalWords(std::to_string(hour), words);
  if (minute == 0) {
    if (!has_am_pm) words.emplace_back(hour > 12 || hour == 0 ? "hundred" : "o'clock");
  } else if (minute < 10) {
    words.emplace_back("oh");
    AppendCardinalWords(std::to_string(minute), words);
  } else {
    AppendCardinalWords(std::to_string(minute), words);
  }
  if (second > 0) {
    words.emplace_back("and");
    AppendCardinalWords(std::to_string(second), words);
    words.emplace_back(second == 1 ? "second" : "seconds");
  }
}

}  // namespace

void AppendDateWords(int month, std::string_view day, std::string_view year, bool day_first,
                     std::vector<std::string>& words) {
  if (!day.empty() && day_first) {
    words.emplace_back("the");
    AppendOrdinalWords(day, words);
    words.emplace_back("of");
  }
  if (month >= 1 && month <= 12) words.emplace_back(MonthName(month));
  if (!day.empty() && !day_first) AppendOrdinalWords(day, words);
  if (year.size() == 2) {
    AppendYearTailWords(year, words);
  } else if (!year.empty()) {
    AppendYearWords(year, words);
  }
}

size_t Normalizer::MatchAmPm(size_t i, char& letter, bool& period) const {
  if (!IsWordAt(i)) return 0;
  const std::string_view w = Text(i);
  period = false;
  if (EqualsIgnoreCase(w, "am") || EqualsIgnoreCase(w, "pm")) {
    letter = ToLower(w[0]);
    return 1;
  }
  if ((EqualsIgnoreCase(w, "a") || EqualsIgnoreCase(w, "p")) && SymbolAt(i + 1) == '.' &&
      Attached(i + 1) && IsWordAt(i + 2) && Attached(i + 2) && EqualsIgnoreCase(Text(i + 2), "m")) {
    letter = ToLower(w[0]);
    if (SymbolAt(i + 3) == '.' && Attached(i + 3)) {
      period = true;
      return 4;
    }
    return 3;
  }
  return 0;
}

size_t Normalizer::EmitAmPm(size_t i) {
  char letter = 0;
  bool period = false;
  const size_t n = MatchAmPm(i, letter, period);
  if (n == 0) return 0;
  const Span span = SpanOf(i, i + n - (period ? 1 : 0));
  EmitWord(std::string(1, letter), span, WordFlag::kLetter);
  EmitWord("m", span, WordFlag::kLetter);
  if (period) EmitAbbreviationPeriod(i + n - 1, true);
  return n;
}

size_t Normalizer::TryTime(size_t i) {
  if (Text(i).size() > 2 || SymbolAt(i + 1) != ':' || !Attached(i + 1) || !Attached(i + 2) ||
      Text(i + 2).size() != 2) {
    return 0;
  }
  const long hour = ValueAt(i);
  const long minute = ValueAt(i + 2);
  if (hour < 0 || hour > 24 || minute < 0 || minute > 59) return 0;
  size_t end = i + 3;
  long second = -1;
  if (SymbolAt(end) == ':' && Attached(end) && Attached(end + 1) && Text(end + 1).size() == 2 &&
      ValueAt(end + 1) >= 0 && ValueAt(end + 1) < 60) {
    second = ValueAt(end + 1);
    end += 2;
  }
  char letter = 0;
  bool period = false;
  const bool has_am_pm = MatchAmPm(end, letter, period) > 0;
  std::vector<std::string> words;
  AppendTimeWords(hour, minute, second, has_am_pm, words);
  EmitWords(words, SpanOf(i, end));
  return end - i + EmitAmPm(end);
}

size_t Normalizer::TryHourAmPm(size_t i) {
  const long hour = ValueAt(i);
  char letter = 0;
  bool period = false;
  if (hour < 1 || hour > 12 || MatchAmPm(i + 1, letter, period) == 0) return 0;
  std::vector<std::string> words;
  AppendCardinalWords(Text(i), words);
  EmitWords(words, SpanOf(i, i + 1));
  return 1 + EmitAmPm(i + 1);
}

size_t Normalizer::TryNumericDate(size_t i) {
  const char sep = SymbolAt(i + 1);
  if ((sep != '/' && sep != '-') || !Attached(i + 1) || !Attached(i + 2) ||
      SymbolAt(i + 3) != sep || !Attached(i + 3) || !Attached(i + 4)) {
    return 0;
  }
  const long a = ValueAt(i), b = ValueAt(i + 2), c = ValueAt(i + 4);
  if (a < 0 || b < 0 || c < 0) return 0;
  if (SymbolAt(i + 5) == sep && Attached(i + 5) && IsNumberAt(i + 6)) return 0;
  const size_t la = Text(i).size(), lb = Text(i + 2).size(), lc = Text(i + 4).size();
  std::vector<std::string> words;
  if (la == 4 && lb <= 2 && lc <= 2 && b >= 1 && b <= 12 && c >= 1 && c <= 31) {
    AppendDateWords(static_cast<int>(b), Text(i + 4), Text(i), false, words);
  } else if (la <= 2 && lb <= 2 && (lc == 4 || lc == 2)) {
    if (a >= 1 && a <= 12 && b >= 1 && b <= 31) {
      AppendDateWords(static_cast<int>(a), Text(i + 2), Text(i + 4), false, words);
    } else if (b >= 1 && b <= 12 && a >= 1 && a <= 31) {
      AppendDateWords(static_cast<int>(b), Text(i), Text(i + 4), true, words);
    } else {
      return 0;
    }
  } else {
    return 0;
  }
  EmitWords(words, SpanOf(i, i + 5));
  return 5;
}

size_t Normalizer::MonthAt(size_t i, int& month) const {
  month = IsWordAt(i) ? MonthNumber(Text(i)) : 0;
  if (month == 0) return 0;
  const bool abbreviated = !EqualsIgnoreCase(Text(i), MonthName(month));
  return abbreviated && SymbolAt(i + 1) == '.' && Attached(i + 1) ? 2 : 1;
}

size_t Normalizer::TryDayMonth(size_t i) {
  const long day = ValueAt(i);
  int month = 0;
  if (day < 1 || day > 31 || !Spaced(i + 1)) return 0;
  const size_t month_length = MonthAt(i + 1, month);
  if (month_length == 0) return 0;
  std::vector<std::string> words;
  if (!LastEmittedWordIs("the")) words.emplace_back("the");
  AppendOrdinalWords(Text(i), words);
  words.emplace_back("of");
  EmitWords(words, SpanOf(i, i + 1));
  EmitWord(std::string(MonthName(month)), SpanOf(i + 1, i + 2));
  if (month_length == 2) EmitAbbreviationPeriod(i + 2, true);
  return 1 + month_length;
}

size_t Normalizer::TryMonthDay(size_t i) {
  int month = 0;
  const size_t length = MonthAt(i, month);
  if (length == 0) return 0;
  const size_t day = i + length;
  const long value = ValueAt(day);
  if (value < 1 || value > 31 || Text(day).size() > 2 || SymbolAt(day + 1) == ':') return 0;
  // Abbreviations without their period ("Jan 5") only count before a day.
  EmitWord(std::string(MonthName(month)), SpanOf(i, i + length));
  const size_t day_length = IsOrdinalSuffixAt(day + 1) ? 2 : 1;
  std::vector<std::string> words;
  AppendOrdinalWords(Text(day), words);
  EmitWords(words, SpanOf(day, day + day_length));
  return length + day_length;
}

bool Normalizer::RunDate() {
  const std::string_view format =
      options_.format.empty() ? std::string_view("mdy") : std::string_view(options_.format);
  std::vector<size_t> numbers;
  for (size_t i = 0; i < size(); ++i) {
    int month = 0;
    if (MonthAt(i, month) > 0) return false;  // written months read fine by default
    if (IsNumberAt(i)) {
      if (!IsPlainIntegerAt(i)) return false;
      numbers.push_back(i);
    }
  }
  if (numbers.size() != format.size() || format.size() > 3) return false;
  int month = 0;
  std::string_view day, year;
  for (size_t k = 0; k < format.size(); ++k) {
    switch (format[k]) {
      case 'm':
        month = static_cast<int>(ValueAt(numbers[k]));
        break;
      case 'd':
        day = Text(numbers[k]);
        break;
      case 'y':
        year = Text(numbers[k]);
        break;
      default:
        return false;
    }
  }
  const bool has_month = format.find('m') != std::string_view::npos;
  if (has_month && (month < 1 || month > 12)) return false;
  if (!day.empty() && (DigitsValue(day) < 1 || DigitsValue(day) > 31)) return false;
  std::vector<std::string> words;
  AppendDateWords(month, day, year, format[0] == 'd', words);
  EmitWords(words, SpanOf(0, size()));
  return true;
}

bool Normalizer::RunTime() {
  std::vector<long> parts;
  size_t am_pm = size();
  for (size_t i = 0; i < size(); ++i) {
    char letter = 0;
    bool period = false;
    if (IsNumberAt(i)) {
      if (!IsPlainIntegerAt(i)) return false;
      parts.push_back(ValueAt(i));
    } else if (MatchAmPm(i, letter, period) > 0) {
      am_pm = i;
      break;
    } else if (IsWordAt(i)) {
      return false;
    }
  }
  if (parts.size() == 1 && Text(0).size() >= 3 && Text(0).size() <= 4) {
    parts = {parts[0] / 100, parts[0] % 100};  // "1030"
  }
  if (parts.empty() || parts.size() > 3 || parts[0] > 24 || (parts.size() > 1 && parts[1] > 59)) {
    return false;
  }
  std::vector<std::string> words;
  AppendTimeWords(parts[0], parts.size() > 1 ? parts[1] : 0, parts.size() > 2 ? parts[2] : 0,
                  am_pm < size() || parts.size() == 1, words);
  EmitWords(words, SpanOf(0, std::min(am_pm, size())));
  if (am_pm < size()) EmitAmPm(am_pm);
  return true;
}

}  // namespace voxlet::normalizer_internal
