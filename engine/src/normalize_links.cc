// URLs and e-mail addresses: a run of attached tokens read symbol by symbol
// ("w w w dot example dot com slash docs").
#include <string>
#include <vector>

#include "normalizer_pass.h"
#include "normalizer_tables.h"
#include "word_shape.h"

namespace voxlet::normalizer_internal {
namespace {

bool IsLinkTrailingPunctuation(char symbol) {
  return symbol == '.' || symbol == ',' || symbol == ';' || symbol == ':' || symbol == '!' ||
         symbol == '?' || symbol == ')' || symbol == ']' || symbol == '"' || symbol == '\'' ||
         symbol == '>';
}

}  // namespace

size_t Normalizer::LinkEnd(size_t i) const {
  size_t end = i + 1;
  while (end < size() && Attached(end)) ++end;
  while (end > i + 1 && IsLinkTrailingPunctuation(SymbolAt(end - 1))) --end;
  return end;
}

bool Normalizer::IsEmail(size_t begin, size_t end) const {
  size_t at = begin;
  while (at < end && SymbolAt(at) != '@') ++at;
  if (at == begin || at + 3 > end) return false;
  for (size_t k = begin; k < at; ++k) {
    const char s = SymbolAt(k);
    if (tokens_[k].kind == RawKind::kSymbol && s != '.' && s != '-' && s != '_' && s != '+') {
      return false;
    }
  }
  bool has_dot = false;
  for (size_t k = at + 1; k < end; ++k) {
    const char s = SymbolAt(k);
    if (tokens_[k].kind == RawKind::kSymbol && s != '.' && s != '-') return false;
    has_dot = has_dot || s == '.';
  }
  return has_dot && IsWordAt(at + 1) && IsWordAt(end - 1) && Text(end - 1).size() >= 2;
}

bool Normalizer::IsUrl(size_t begin, size_t end) const {
  if (end - begin < 3) return false;
  const std::string_view first = Text(begin);
  if (IsWordAt(begin) && SymbolAt(begin + 1) == ':' && SymbolAt(begin + 2) == '/' &&
      (EqualsIgnoreCase(first, "http") || EqualsIgnoreCase(first, "https") ||
       EqualsIgnoreCase(first, "ftp"))) {
    return true;
  }
  if (EqualsIgnoreCase(first, "www") && SymbolAt(begin + 1) == '.') return true;
  // A bare host: labels joined by dots, the last a known top-level domain.
  size_t k = begin;
  size_t last_label = begin;
  while (k < end && (IsWordAt(k) || IsNumberAt(k))) {
    last_label = k;
    const bool label_follows = k + 2 < end && (IsWordAt(k + 2) || IsNumberAt(k + 2));
    if (SymbolAt(k + 1) != '.' || !label_follows) break;
    k += 2;
  }
  if (last_label == begin) return false;
  if (last_label + 1 < end && SymbolAt(last_label + 1) != '/' && SymbolAt(last_label + 1) != ':') {
    return false;
  }
  return IsTopLevelDomain(Lowercase(Text(last_label)));
}

size_t Normalizer::TryLink(size_t i) {
  const bool run_start = i == 0 || tokens_[i].space_before || IsQuoteOrBracket(SymbolAt(i - 1)) ||
                         SymbolAt(i - 1) == '<';
  if (!run_start) return 0;
  const size_t end = LinkEnd(i);
  if (end - i < 3) return 0;
  if (!IsEmail(i, end) && !IsUrl(i, end)) return 0;
  EmitLink(i, end);
  return end - i;
}

void Normalizer::EmitLink(size_t begin, size_t end) {
  for (size_t k = begin; k < end; ++k) {
    const Span span = SpanOf(k, k + 1);
    if (IsWordAt(k)) {
      const std::string lower = Lowercase(Text(k));
      if (HasVowel(lower)) {
        EmitWord(lower, span);
      } else {
        EmitLetters(k, Text(k), "");
      }
    } else if (IsNumberAt(k)) {
      std::vector<std::string> words;
      const std::string digits = IntegerDigits(k);
      if (digits.size() <= 2) {
        AppendCardinalWords(digits, words);
      } else {
        AppendDigitWords(digits, words);
      }
      if (!FractionDigits(k).empty()) {
        words.emplace_back("dot");
        AppendDigitWords(FractionDigits(k), words);
      }
      EmitWords(words, span);
    } else {
      EmitPhrase(LinkSymbolWord(SymbolAt(k)), span);
    }
  }
}

}  // namespace voxlet::normalizer_internal
