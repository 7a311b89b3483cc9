#include "voxlet/espeak_clauses.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "voxlet/utf8.h"

namespace voxlet {
namespace {

struct Mark {
  char32_t c;
  ClauseKind kind;
  bool sentence;
  bool optional_space;  // ends a clause without a following space
};

// espeak-ng's clause types for the marks it knows (its ucd property table).
// Marks whose type Piper does not compare equal (inverted marks, ellipsis,
// CJK full stops) append nothing: kOther.
constexpr std::array<Mark, 22> kMarks = {{
    {0x2e, ClauseKind::kPeriod, true, false},        {0x3f, ClauseKind::kQuestion, true, false},
    {0x21, ClauseKind::kExclamation, true, false},   {0x2c, ClauseKind::kComma, false, false},
    {0x3a, ClauseKind::kColon, false, false},        {0x3b, ClauseKind::kSemicolon, false, false},
    {0xa1, ClauseKind::kOther, false, true},          // ¡
    {0xbf, ClauseKind::kOther, false, true},          // ¿
    {0x2013, ClauseKind::kSemicolon, false, false},   // en dash
    {0x2014, ClauseKind::kSemicolon, false, false},   // em dash
    {0x2026, ClauseKind::kOther, false, true},        // …
    {0x203c, ClauseKind::kExclamation, true, false},  // ‼
    {0x2047, ClauseKind::kQuestion, true, false},     // ⁇
    {0x2048, ClauseKind::kQuestion, true, false},     // ⁈
    {0x2049, ClauseKind::kQuestion, true, false},     // ⁉
    {0x3002, ClauseKind::kOther, true, true},         // 。
    {0xff01, ClauseKind::kOther, true, true},         // ！
    {0xff1f, ClauseKind::kOther, true, true},         // ？
    {0xff0c, ClauseKind::kOther, false, true},        // ，
    {0x3001, ClauseKind::kOther, false, true},        // 、
    {0xff1a, ClauseKind::kOther, false, true},        // ：
    {0xff1b, ClauseKind::kOther, false, true},        // ；
}};

// Languages whose dot after a number makes an ordinal (espeak's NUM_ORDINAL_DOT).
constexpr std::array<std::string_view, 18> kOrdinalDotLanguages = {
    "bs", "cs", "da", "de", "et", "fi", "fo", "hr", "hu",
    "is", "lt", "lv", "nb", "no", "sk", "sl", "sr", "tr"};

// espeak's clause buffer (N_TR_SOURCE), at whose end it cuts a clause early.
constexpr size_t kClauseBufferBytes = 800;
constexpr char32_t kSpace = 0x20;
constexpr char32_t kDot = 0x2e;
constexpr char32_t kEllipsis = 0x2026;

const Mark* FindMark(char32_t c) {
  for (const Mark& mark : kMarks) {
    if (mark.c == c) return &mark;
  }
  return nullptr;
}

// Unicode classes as clauses.js tests them (\p{Z}, \p{L}, \p{N}, \p{Nd}, \p{Ll}).
bool HasClass(char32_t c, uint32_t mask) {
  return (U_GET_GC_MASK(static_cast<UChar32>(c)) & mask) != 0;
}
bool IsSpace(char32_t c) { return (c >= 9 && c <= 13) || HasClass(c, U_GC_Z_MASK); }
bool IsAlnum(char32_t c) { return HasClass(c, U_GC_L_MASK | U_GC_N_MASK); }
bool IsAlpha(char32_t c) { return HasClass(c, U_GC_L_MASK); }
bool IsDigit(char32_t c) { return HasClass(c, U_GC_ND_MASK); }
bool IsLower(char32_t c) { return HasClass(c, U_GC_LL_MASK); }
bool IsRoman(char32_t c) { return c == 'I' || c == 'V' || c == 'X' || c == 'L'; }

bool IsBracket(char32_t c) {
  static constexpr std::u32string_view kBrackets = U"()[]{}<>\"'`\u00ab\u00bb\u300a\u300b";
  return kBrackets.find(c) != std::u32string_view::npos || (c >= 0x2018 && c <= 0x201f);
}

size_t Utf8Length(char32_t c) { return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; }

bool UsesOrdinalDot(std::string_view voice) {
  const std::string_view language = voice.substr(0, voice.find_first_of("-_"));
  std::string lower(language);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return std::find(kOrdinalDotLanguages.begin(), kOrdinalDotLanguages.end(), lower) !=
         kOrdinalDotLanguages.end();
}

// A clause read from code point `from`, in code point indices.
struct RawClause {
  size_t end;   // past its last char
  size_t next;  // where the next clause starts
  ClauseKind kind;
  bool sentence_end;
  bool eof;
};

class ClauseReader {
 public:
  ClauseReader(const std::u32string& chars, bool ordinal_dot)
      : chars_(chars), ordinal_dot_(ordinal_dot) {}

  RawClause Read(size_t from) const;

 private:
  // espeak reads a space past the end of the text.
  char32_t At(size_t k) const { return k < chars_.size() ? chars_[k] : kSpace; }
  // Index after the spaces from `k`, counting the newlines among them.
  size_t SkipSpaces(size_t k, int& newlines) const;
  // The clause end at mark `c1`, if it is one. Advances `after` past a run of
  // marks either way: "?!" counts as "?", and ".," inside "Ph.D., x" is skipped whole.
  std::optional<RawClause> EndAtMark(char32_t c1, size_t& after, bool any_alnum, char32_t cprev,
                                     char32_t cprev2) const;
  bool DotContinues(char32_t cprev, char32_t cprev2, size_t next) const;

  const std::u32string& chars_;
  bool ordinal_dot_;
};

size_t ClauseReader::SkipSpaces(size_t k, int& newlines) const {
  newlines = 0;
  while (k < chars_.size() && IsSpace(chars_[k])) newlines += chars_[k++] == '\n' ? 1 : 0;
  return k;
}

// A "." that does not end the clause: an ordinal ("3. oktober"), "U.S.A.'s",
// or an abbreviation (a lower-case letter follows).
bool ClauseReader::DotContinues(char32_t cprev, char32_t cprev2, size_t next) const {
  const char32_t c_next = At(next);
  if (IsLower(c_next)) return true;
  if (ordinal_dot_ &&
      (IsDigit(cprev) || (IsRoman(cprev) && (IsRoman(cprev2) || IsSpace(cprev2))))) {
    return !IsDigit(cprev) || c_next == '-';
  }
  return c_next == '\'' && At(next + 1) == 's';
}

std::optional<RawClause> ClauseReader::EndAtMark(char32_t c1, size_t& after, bool any_alnum,
                                                 char32_t cprev, char32_t cprev2) const {
  const Mark* mark = FindMark(c1);
  if (!mark) return std::nullopt;
  while (after < chars_.size() && FindMark(chars_[after])) after++;
  const char32_t c2 = At(after);
  if (!(IsSpace(c2) || mark->optional_space || IsBracket(c2) || c2 == '?' ||
        after >= chars_.size())) {
    return std::nullopt;
  }
  int newlines = 0;
  const size_t next = SkipSpaces(after, newlines);
  if (newlines == 0 && ((c1 == kDot && DotContinues(cprev, cprev2, next)) || !any_alnum)) {
    return std::nullopt;
  }
  if (newlines > 1) return RawClause{after, next, ClauseKind::kOther, true, false};  // paragraph
  return RawClause{after, next, mark->kind, mark->sentence, false};
}

RawClause ClauseReader::Read(size_t from) const {
  const size_t n = chars_.size();
  bool any_alnum = false;
  size_t bytes = 0;
  char32_t cprev = kSpace;
  char32_t cprev2 = kSpace;
  for (size_t i = from; i < n;) {
    char32_t c1 = chars_[i];
    size_t after = i + 1;
    if (IsAlnum(c1)) any_alnum = true;
    if (c1 == '\n') {
      int newlines = 0;
      const size_t next = SkipSpaces(i + 1, newlines);
      if (newlines > 0) return RawClause{i, next, ClauseKind::kOther, true, false};  // paragraph
    }
    if (c1 == kDot && At(after) == kDot) {
      size_t dots = 1;
      while (i + dots < n && At(i + dots) == kDot) dots++;
      if (dots >= 3) {
        c1 = kEllipsis;
        after = i + dots;
      }
    }
    if (auto end = EndAtMark(c1, after, any_alnum, cprev, cprev2)) return *end;
    bytes += Utf8Length(c1);
    if ((bytes > kClauseBufferBytes - 75 && !IsAlpha(c1) && !IsDigit(c1)) ||
        bytes >= kClauseBufferBytes - 4) {
      return RawClause{after, after, ClauseKind::kOther, false, false};  // clause too long
    }
    cprev2 = cprev;
    cprev = c1;
    i = after;
  }
  return RawClause{n, n, ClauseKind::kOther, true, true};
}

}  // namespace

std::vector<EspeakClause> EspeakClauses(std::string_view text, std::string_view voice) {
  std::u32string chars;
  std::vector<size_t> offsets;  // byte offset of each code point, and of the end
  for (size_t pos = 0; pos < text.size();) {
    offsets.push_back(pos);
    chars.push_back(DecodeUtf8(text, pos));
  }
  offsets.push_back(text.size());
  const ClauseReader reader(chars, UsesOrdinalDot(voice));
  std::vector<EspeakClause> clauses;
  for (size_t i = 0; i < chars.size();) {
    const RawClause raw = reader.Read(i);
    size_t start = i;
    size_t stop = raw.end;
    while (start < stop && IsSpace(chars[start])) start++;
    while (stop > start && IsSpace(chars[stop - 1])) stop--;
    clauses.push_back({offsets[start], offsets[stop], raw.kind, raw.sentence_end});
    i = raw.next;
    if (raw.eof) break;
  }
  return clauses;
}

}  // namespace voxlet
