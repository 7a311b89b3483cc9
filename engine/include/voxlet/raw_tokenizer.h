// First cut of the folded stream (voxlet/text_folding.h) into raw tokens, the
// units the normalizer's rules look at.
//
//   std::vector<RawToken> tokens = Tokenize("Dr. O'Neil paid 1,200.50");
//   // kWord "Dr", kSymbol '.', kWord "O'Neil" (space_before), kWord "paid",
//   // kNumber "1,200.50" (grouped, point at the '.')
//
// Words are ASCII letters with inner apostrophes; numbers are digits with
// optional thousands groups of exactly three digits ("1,2,3" is a list) and
// one decimal point, or a leading point (".5"); anything else is a one-char
// symbol, except runs: two or more '-' are one kEmDash, three or more '.'
// one kEllipsis, and ".." one '.'.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace voxlet {

enum class RawKind : uint8_t { kWord, kNumber, kSymbol };

struct RawToken {
  uint32_t begin = 0;  // offsets into the folded stream
  uint32_t end = 0;
  uint32_t point = 0;  // kNumber: offset of the decimal point, or end
  RawKind kind = RawKind::kSymbol;
  bool space_before = false;
  bool grouped = false;  // kNumber: written with thousands separators
  char symbol = 0;       // kSymbol: the character or a control code of text_folding.h
};

// Tokens of `folded` in order; spaces only set space_before. Linear time.
std::vector<RawToken> Tokenize(std::string_view folded);

}  // namespace voxlet
