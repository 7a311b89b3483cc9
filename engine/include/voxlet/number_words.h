// Number-to-words for US English, used by the text normalizer.
//
//   std::vector<std::string> words;
//   AppendCardinalWords("1990", words);  // one thousand nine hundred ninety
//   AppendYearWords("1990", words);      // nineteen ninety
//   AppendOrdinalWords("21", words);     // twenty first
//
// Every function takes ASCII digits only (no sign, separators or point) and
// appends lowercase words without hyphens. Work is linear in the digit count.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace voxlet {

// Cardinals are spelled with scale words up to the trillions; longer numbers
// are read digit by digit, as people read serial numbers.
inline constexpr size_t kMaxCardinalDigits = 15;

// "0" -> zero, "1200" -> one thousand two hundred. Leading zeros are ignored.
void AppendCardinalWords(std::string_view digits, std::vector<std::string>& words);

// "1" -> first, "22" -> twenty second, "100" -> one hundredth.
void AppendOrdinalWords(std::string_view digits, std::vector<std::string>& words);

// "2005" -> two zero zero five.
void AppendDigitWords(std::string_view digits, std::vector<std::string>& words);

// Year reading of a 4-digit number: 1990 -> nineteen ninety, 1905 -> nineteen
// oh five, 1900 -> nineteen hundred, 2005 -> two thousand five, 2010 ->
// twenty ten. Other lengths fall back to the cardinal.
void AppendYearWords(std::string_view digits, std::vector<std::string>& words);

// The last two digits of a year on their own ("95" -> ninety five, "05" ->
// oh five, "00" -> hundred): used for "1990-95" and "'05".
void AppendYearTailWords(std::string_view two_digits, std::vector<std::string>& words);

// Ordinal form of one cardinal word: "one" -> "first", "twenty" -> "twentieth".
std::string OrdinalOfWord(std::string_view cardinal_word);

// Plural of a number word: "ninety" -> "nineties", "six" -> "sixes".
std::string PluralOfWord(std::string_view word);

// Value of up to 9 digits, or -1 when longer or not digits.
long DigitsValue(std::string_view digits);

}  // namespace voxlet
