// Folding of UTF-8 text into the ASCII stream the normalizer reads.
//
//   Diagnostics diag;
//   FoldedText folded = FoldText("Café – 5½ €", diag);
//   folded.chars == "Cafe \x01 5 1/2 \x05"; folded.origin[k] is the input
//   byte where the code point behind folded.chars[k] starts.
//
// Accented Latin letters lose their marks ("é" -> "e", "æ" -> "ae"), curly
// quotes and Unicode hyphens become their ASCII forms, Unicode spaces become
// ' ', and invisible characters inside a word (soft hyphen, joiners,
// variation selectors, combining marks, BOM) are dropped without splitting it.
// Symbols that must stay distinct from an ASCII look-alike (en dash, euro
// sign, ...) become the control codes below; real control characters are
// skipped first, so the codes cannot clash with input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "voxlet/text.h"

namespace voxlet {

// Control codes standing for symbols in the folded stream.
inline constexpr char kEnDash = '\x01';
inline constexpr char kEmDash = '\x02';
inline constexpr char kEllipsis = '\x03';
inline constexpr char kDegree = '\x04';
inline constexpr char kEuro = '\x05';
inline constexpr char kPound = '\x06';
inline constexpr char kCent = '\x07';
inline constexpr char kYen = '\x08';
inline constexpr char kTimes = '\x0e';
inline constexpr char kPlusMinus = '\x0f';
inline constexpr char kSquared = '\x10';
inline constexpr char kCubed = '\x11';

struct FoldedText {
  std::string chars;             // folded stream; ' ' separates tokens
  std::vector<uint32_t> origin;  // per byte of chars: start of its code point in the input
};

// Folds `text`. Characters the voice cannot speak (emoji, other scripts,
// control characters) become a ' ' and are counted in diag.skipped_characters;
// invalid UTF-8 bytes likewise, counted in diag.invalid_utf8. Linear time.
FoldedText FoldText(std::string_view text, Diagnostics& diag);

}  // namespace voxlet
