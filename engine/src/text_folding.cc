#include "voxlet/text_folding.h"

#include "voxlet/utf8.h"

namespace voxlet {
namespace {

enum class Fold { kChars, kSpace, kIgnore, kSkip };

// Base letters of U+00C0..U+00FF and U+0100..U+017F; '*' = several letters,
// '-' = not a letter (handled as a symbol).
constexpr std::string_view kLatin1Letters =
    "AAAAAA*CEEEEIIIIDNOOOOO-OUUUUY**aaaaaa*ceeeeiiiidnooooo-ouuuuy*y";
constexpr std::string_view kLatinExtendedA =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi**JjKkkLlLlLlLlLlNnNnNn*"
    "NnOoOoOo**RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
static_assert(kLatin1Letters.size() == 64);
static_assert(kLatinExtendedA.size() == 128);

std::string_view MultiLetterFold(char32_t cp) {
  switch (cp) {
    case 0xC6:
      return "AE";
    case 0xDE:
      return "TH";
    case 0xDF:
      return "ss";
    case 0xE6:
      return "ae";
    case 0xFE:
      return "th";
    case 0x132:
      return "IJ";
    case 0x133:
      return "ij";
    case 0x149:
      return "n";
    case 0x152:
      return "OE";
    case 0x153:
      return "oe";
    default:
      return {};
  }
}

std::string_view FoldLatinLetter(char32_t cp) {
  std::string_view base;
  if (cp >= 0xC0 && cp <= 0xFF) base = kLatin1Letters.substr(cp - 0xC0, 1);
  if (cp >= 0x100 && cp <= 0x17F) base = kLatinExtendedA.substr(cp - 0x100, 1);
  if (base == "*") return MultiLetterFold(cp);
  if (base == "-") return {};
  return base;  // a view into the table, which outlives every caller
}

std::string_view FoldSymbol(char32_t cp) {
  switch (cp) {
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x2032:
    case 0x02BC:
      return "'";
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x00AB:
    case 0x00BB:
    case 0x2033:
    case 0x2039:
    case 0x203A:
      return "\"";
    case 0x2010:
    case 0x2011:
    case 0x2212:
    case 0xFE63:
    case 0xFF0D:
      return "-";
    case 0x2012:
    case 0x2013:
      return {&kEnDash, 1};
    case 0x2014:
    case 0x2015:
      return {&kEmDash, 1};
    case 0x2026:
      return {&kEllipsis, 1};
    case 0x00B0:
    case 0x2103:
      return {&kDegree, 1};
    case 0x20AC:
      return {&kEuro, 1};
    case 0x00A3:
      return {&kPound, 1};
    case 0x00A2:
      return {&kCent, 1};
    case 0x00A5:
      return {&kYen, 1};
    case 0x00D7:
      return {&kTimes, 1};
    case 0x00B1:
      return {&kPlusMinus, 1};
    case 0x00B2:
      return {&kSquared, 1};
    case 0x00B3:
      return {&kCubed, 1};
    case 0x00BC:
      return "1/4";
    case 0x00BD:
      return "1/2";
    case 0x00BE:
      return "3/4";
    case 0x2153:
      return "1/3";
    case 0x2154:
      return "2/3";
    case 0x2022:
    case 0x00B7:
      return ",";
    case 0xFF01:
      return "!";
    case 0xFF1F:
      return "?";
    case 0xFF0C:
    case 0x3001:
      return ",";
    case 0x3002:
      return ".";
    default:
      return {};
  }
}

bool IsUnicodeSpace(char32_t cp) {
  return cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0x85;
}

// Invisible characters that may sit inside a word (soft hyphen, joiners,
// variation selectors, BOM): dropped without splitting the word.
bool IsIgnorable(char32_t cp) {
  return cp == 0xAD || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x0300 && cp <= 0x036F);
}

Fold Classify(char32_t cp, std::string_view& chars) {
  if (cp < 0x80) {
    if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' || cp == ' ') {
      return Fold::kSpace;
    }
    if (cp < 0x20 || cp == 0x7F) return Fold::kSkip;
    return Fold::kChars;  // the caller takes the byte itself
  }
  if (IsUnicodeSpace(cp)) return Fold::kSpace;
  if (IsIgnorable(cp)) return Fold::kIgnore;
  chars = FoldSymbol(cp);
  if (!chars.empty()) return Fold::kChars;
  chars = FoldLatinLetter(cp);
  if (!chars.empty()) return Fold::kChars;
  return Fold::kSkip;
}

}  // namespace

FoldedText FoldText(std::string_view text, Diagnostics& diag) {
  FoldedText folded;
  folded.chars.reserve(text.size());
  folded.origin.reserve(text.size());
  const auto push = [&](std::string_view chars, size_t origin) {
    for (char c : chars) {
      folded.chars.push_back(c);
      folded.origin.push_back(static_cast<uint32_t>(origin));
    }
  };
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t cp = DecodeUtf8(text, pos);
    if (cp == kReplacementChar && pos - start == 1) {
      ++diag.invalid_utf8;
      push(" ", start);
      continue;
    }
    std::string_view chars;
    switch (Classify(cp, chars)) {
      case Fold::kChars:
        if (cp < 0x80) chars = text.substr(start, 1);
        // "2½" reads as "2 1/2": keep the whole number apart from the fraction.
        if (chars.size() == 3 && chars[1] == '/' && !folded.chars.empty() &&
            folded.chars.back() >= '0' && folded.chars.back() <= '9') {
          push(" ", start);
        }
        push(chars, start);
        break;
      case Fold::kSpace:
        push(" ", start);
        break;
      case Fold::kIgnore:
        break;
      case Fold::kSkip:
        ++diag.skipped_characters;
        push(" ", start);
        break;
    }
  }
  return folded;
}

}  // namespace voxlet
