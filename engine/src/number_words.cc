#include "voxlet/number_words.h"

#include <array>

namespace voxlet {
namespace {

constexpr std::array<std::string_view, 20> kOnes = {
    "zero",     "one",     "two",     "three",     "four",     "five",    "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<std::string_view, 10> kTens = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
// Index = group of three digits counted from the right.
constexpr std::array<std::string_view, 5> kScales = {"", "thousand", "million", "billion",
                                                     "trillion"};

void AppendBelowHundred(int value, std::vector<std::string>& words) {
  if (value < 20) {
    words.emplace_back(kOnes[value]);
    return;
  }
  words.emplace_back(kTens[value / 10]);
  if (value % 10 != 0) words.emplace_back(kOnes[value % 10]);
}

void AppendBelowThousand(int value, std::vector<std::string>& words) {
  if (value >= 100) {
    words.emplace_back(kOnes[value / 100]);
    words.emplace_back("hundred");
    value %= 100;
    if (value == 0) return;
  }
  AppendBelowHundred(value, words);
}

std::string_view StripLeadingZeros(std::string_view digits) {
  size_t first = 0;
  while (first + 1 < digits.size() && digits[first] == '0') ++first;
  return digits.substr(first);
}

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

long DigitsValue(std::string_view digits) {
  if (!AllDigits(digits) || digits.size() > 9) return -1;
  long value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

void AppendDigitWords(std::string_view digits, std::vector<std::string>& words) {
  for (char c : digits) {
    if (c >= '0' && c <= '9') words.emplace_back(kOnes[c - '0']);
  }
}

void AppendCardinalWords(std::string_view digits, std::vector<std::string>& words) {
  if (!AllDigits(digits)) return;
  digits = StripLeadingZeros(digits);
  if (digits.size() > kMaxCardinalDigits) {
    AppendDigitWords(digits, words);
    return;
  }
  if (digits == "0") {
    words.emplace_back("zero");
    return;
  }
  size_t group_count = (digits.size() + 2) / 3;
  size_t pos = 0;
  size_t first_len = digits.size() - (group_count - 1) * 3;
  for (size_t group = group_count; group-- > 0;) {
    const size_t len = pos == 0 ? first_len : 3;
    const int value = static_cast<int>(DigitsValue(digits.substr(pos, len)));
    pos += len;
    if (value == 0) continue;
    AppendBelowThousand(value, words);
    if (group > 0) words.emplace_back(kScales[group]);
  }
}

std::string OrdinalOfWord(std::string_view word) {
  struct Irregular {
    std::string_view cardinal, ordinal;
  };
  static constexpr Irregular kIrregular[] = {
      {"one", "first"},    {"two", "second"}, {"three", "third"},   {"five", "fifth"},
      {"eight", "eighth"}, {"nine", "ninth"}, {"twelve", "twelfth"}};
  for (const Irregular& entry : kIrregular) {
    if (entry.cardinal == word) return std::string(entry.ordinal);
  }
  std::string result(word);
  if (!result.empty() && result.back() == 'y') {
    result.back() = 'i';
    result += "eth";
  } else {
    result += "th";
  }
  return result;
}

std::string PluralOfWord(std::string_view word) {
  std::string result(word);
  if (result.empty()) return result;
  if (result.back() == 'y') {
    result.back() = 'i';
    result += "es";
  } else if (result.back() == 'x') {
    result += "es";
  } else {
    result += 's';
  }
  return result;
}

void AppendOrdinalWords(std::string_view digits, std::vector<std::string>& words) {
  const size_t first_new = words.size();
  AppendCardinalWords(digits, words);
  if (words.size() == first_new) return;
  // A digit-by-digit reading only turns its last digit into an ordinal,
  // which is also what people do with long serial numbers.
  words.back() = OrdinalOfWord(words.back());
}

void AppendYearTailWords(std::string_view two_digits, std::vector<std::string>& words) {
  const long value = DigitsValue(two_digits);
  if (value < 0) return;
  if (value == 0) {
    words.emplace_back("hundred");
  } else if (value < 10) {
    words.emplace_back("oh");
    words.emplace_back(kOnes[value]);
  } else {
    AppendBelowHundred(static_cast<int>(value), words);
  }
}

void AppendYearWords(std::string_view digits, std::vector<std::string>& words) {
  const long value = DigitsValue(digits);
  if (digits.size() != 4 || value < 1000) {
    AppendCardinalWords(digits, words);
    return;
  }
  // 2000-2009 and 1000-1009 are said as cardinals: "two thousand five".
  if (value % 1000 < 10) {
    AppendCardinalWords(digits, words);
    return;
  }
  AppendBelowHundred(static_cast<int>(value / 100), words);
  AppendYearTailWords(digits.substr(2), words);
}

}  // namespace voxlet
