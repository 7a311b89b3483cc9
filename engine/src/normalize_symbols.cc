// Symbols and punctuation: marks that end a sentence or a clause, dashes,
// minus signs, brackets, and symbols said as words ("&" -> "and").
#include <string_view>

#include "normalizer_pass.h"
#include "normalizer_tables.h"

namespace voxlet::normalizer_internal {

bool Normalizer::IsMinusSign(size_t i) const {
  if (SymbolAt(i) != '-' || !Attached(i + 1)) return false;
  const bool amount_follows = IsNumberAt(i + 1) || (FindCurrency(SymbolAt(i + 1)) != nullptr &&
                                                    IsNumberAt(i + 2) && Attached(i + 2));
  if (!amount_follows) return false;
  if (i == 0 || Spaced(i)) return true;
  const char before = SymbolAt(i - 1);
  return before == '(' || before == '[' || before == '=' || before == '/' || before == '<' ||
         before == '>' || before == '"' || before == ':';
}

size_t Normalizer::SymbolRules(size_t i) {
  const char s = SymbolAt(i);
  const Span span = SpanOf(i, i + 1);
  switch (s) {
    case '$':
    case kEuro:
    case kPound:
    case kYen:
      if (const size_t n = TryCurrency(i)) return n;
      return 1;
    case '+':
    case '(':
      if (const size_t n = TryTelephone(i)) return n;
      break;
    case '-':
      if (IsMinusSign(i)) {
        EmitWord("minus", span);
        negative_ = true;
        return 1;
      }
      // "well-known" is two words; a free-standing hyphen is a dash.
      if (Spaced(i) && (i + 1 >= size() || Spaced(i + 1))) EmitPunctuation(kDashMark, span, false);
      return 1;
    case kEnDash:
    case kEmDash:
      EmitPunctuation(kDashMark, span, false);
      return 1;
    case '.':
      // "index.html" outside a URL, "1.2.3" version numbers.
      if (Attached(i) && Attached(i + 1) && i > 0 && !Spaced(i) &&
          (IsWordAt(i - 1) || IsNumberAt(i - 1)) &&
          (IsNumberAt(i + 1) || (IsWordAt(i + 1) && IsLower(Text(i + 1)[0])))) {
        EmitWord(IsNumberAt(i - 1) && IsNumberAt(i + 1) ? "point" : "dot", span);
        return 1;
      }
      EmitPunctuation(".", span, true);
      return 1;
    case '!':
    case '?':
      EmitPunctuation(std::string_view(&s, 1), span, true);
      return 1;
    case ':':
      // "3:1" odds; times were taken by the number rules.
      if (i > 0 && IsNumberAt(i - 1) && Attached(i) && IsNumberAt(i + 1) && Attached(i + 1)) {
        EmitWord("to", span);
        return 1;
      }
      EmitPunctuation(std::string_view(&s, 1), span, false);
      return 1;
    case ',':
    case ';':
      EmitPunctuation(std::string_view(&s, 1), span, false);
      return 1;
    case kEllipsis:
      EmitPunctuation(kEllipsisMark, span, NextStartsSentence(i + 1));
      return 1;
    default:
      break;
  }
  switch (s) {
    case '(':
    case '[':
    case '{':
      // Parenthetical remarks get the pause of a comma.
      if (LastEmittedIsWord()) EmitPunctuation(",", span, false);
      return 1;
    case ')':
    case ']':
    case '}':
      if (IsWordAt(i + 1) || IsNumberAt(i + 1)) EmitPunctuation(",", span, false);
      return 1;
    case '#':
      EmitWord(IsNumberAt(i + 1) && Attached(i + 1) ? "number" : "hash", span);
      return 1;
    case '/':
      if (Attached(i) && Attached(i + 1) && i > 0 && (IsWordAt(i - 1) || IsNumberAt(i - 1)) &&
          (IsWordAt(i + 1) || IsNumberAt(i + 1))) {
        EmitWord("slash", span);
      }
      return 1;
    case '~':
      if (IsNumberAt(i + 1)) EmitWord("about", span);
      return 1;
    default:
      EmitPhrase(SymbolWord(s), span);
      return 1;
  }
}

}  // namespace voxlet::normalizer_internal
