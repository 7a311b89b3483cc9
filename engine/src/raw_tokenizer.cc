#include "voxlet/raw_tokenizer.h"

#include "ascii.h"
#include "voxlet/text_folding.h"

namespace voxlet {
namespace {

size_t ScanWord(std::string_view s, size_t pos) {
  while (pos < s.size()) {
    if (IsLetter(s[pos])) {
      ++pos;
    } else if (s[pos] == '\'' && pos + 1 < s.size() && IsLetter(s[pos + 1])) {
      ++pos;
    } else {
      break;
    }
  }
  return pos;
}

size_t CountDigits(std::string_view s, size_t pos) {
  size_t end = pos;
  while (end < s.size() && IsDigit(s[end])) ++end;
  return end - pos;
}

void ScanNumber(std::string_view s, size_t pos, RawToken& token) {
  const size_t lead = CountDigits(s, pos);
  pos += lead;
  // "1,990" is one number, "1,2,3" a list: groups need exactly three digits.
  if (lead >= 1 && lead <= 3) {
    while (pos < s.size() && s[pos] == ',' && CountDigits(s, pos + 1) == 3) {
      token.grouped = true;
      pos += 4;
    }
  }
  token.point = static_cast<uint32_t>(pos);
  if (pos + 1 < s.size() && s[pos] == '.' && IsDigit(s[pos + 1])) {
    pos += 1 + CountDigits(s, pos + 1);
  }
  token.end = static_cast<uint32_t>(pos);
}

bool StartsLeadingPointNumber(std::string_view s, size_t pos) {
  if (s[pos] != '.' || pos + 1 >= s.size() || !IsDigit(s[pos + 1])) return false;
  if (pos == 0) return true;
  const char before = s[pos - 1];
  return !IsLetter(before) && !IsDigit(before) && before != '.';
}

}  // namespace

std::vector<RawToken> Tokenize(std::string_view s) {
  std::vector<RawToken> tokens;
  tokens.reserve(s.size() / 3 + 1);
  bool space = false;
  size_t pos = 0;
  while (pos < s.size()) {
    const char c = s[pos];
    if (c == ' ') {
      space = true;
      ++pos;
      continue;
    }
    RawToken token;
    token.begin = static_cast<uint32_t>(pos);
    token.space_before = space;
    space = false;
    if (IsLetter(c)) {
      token.kind = RawKind::kWord;
      token.end = static_cast<uint32_t>(ScanWord(s, pos));
    } else if (IsDigit(c)) {
      token.kind = RawKind::kNumber;
      ScanNumber(s, pos, token);
    } else if (StartsLeadingPointNumber(s, pos)) {
      token.kind = RawKind::kNumber;
      token.point = static_cast<uint32_t>(pos);
      token.end = static_cast<uint32_t>(pos + 1 + CountDigits(s, pos + 1));
    } else if ((c == '.' || c == '-') && pos + 1 < s.size() && s[pos + 1] == c) {
      // "..." is an ellipsis and "--" a dash; ".." is just a period.
      size_t end = pos;
      while (end < s.size() && s[end] == c) ++end;
      token.kind = RawKind::kSymbol;
      token.end = static_cast<uint32_t>(end);
      token.symbol = c == '-' ? kEmDash : (end - pos >= 3 ? kEllipsis : '.');
    } else {
      token.kind = RawKind::kSymbol;
      token.end = static_cast<uint32_t>(pos + 1);
      token.symbol = c;
    }
    pos = token.end;
    tokens.push_back(token);
  }
  return tokens;
}

}  // namespace voxlet
