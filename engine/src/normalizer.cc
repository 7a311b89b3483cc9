#include "voxlet/normalizer.h"

#include <algorithm>
#include <utility>

#include "normalizer_pass.h"
#include "normalizer_tables.h"
#include "voxlet/utf8.h"

namespace voxlet {
namespace normalizer_internal {
namespace {

bool IsSentenceMark(char symbol) {
  return symbol == '.' || symbol == '!' || symbol == '?' || symbol == kEllipsis;
}

}  // namespace

bool IsQuoteOrBracket(char symbol) {
  return symbol == '"' || symbol == '\'' || symbol == '(' || symbol == ')' || symbol == '[' ||
         symbol == ']' || symbol == '{' || symbol == '}' || symbol == '`';
}

// ---------------------------------------------------------------------------
// Token context.
// ---------------------------------------------------------------------------
bool Normalizer::IsNameAt(size_t i) const {
  const std::string_view w = Text(i);
  if (!IsWordAt(i) || w.size() < 2 || !IsUpper(w[0])) return false;
  for (size_t k = 1; k < w.size(); ++k) {
    if (IsUpper(w[k])) return false;
  }
  return true;
}

// 1100-2099 are years by default; other 4-digit numbers only after a word
// that introduces a year ("in 1066").
bool Normalizer::IsYearLikeAt(size_t i) const {
  const long value = ValueAt(i);
  if (Text(i).size() != 4) return false;
  if (value >= 1100 && value <= 2099) return true;
  return value >= 1000 && value <= 2999 && i > 0 && IsWordAt(i - 1) &&
         IsYearIntroducer(Text(i - 1));
}

bool Normalizer::IsSentenceStartAt(size_t i) const {
  // Quotes and brackets between the previous sentence and this word do not count;
  // the look-back is bounded so the whole pass stays linear.
  for (int steps = 0; steps < 4; ++steps) {
    if (i == 0) return true;
    --i;
    const char symbol = SymbolAt(i);
    if (IsSentenceMark(symbol) || symbol == ':') return true;
    if (!IsQuoteOrBracket(symbol)) return false;
  }
  return false;
}

bool Normalizer::AtTextEnd(size_t i) const {
  for (int steps = 0; steps < 4 && i < size() && IsQuoteOrBracket(SymbolAt(i)); ++steps) ++i;
  return i >= size();
}

bool Normalizer::NextStartsSentence(size_t i) const {
  for (int steps = 0; steps < 4 && i < size() && IsQuoteOrBracket(SymbolAt(i)); ++steps) ++i;
  return i >= size() || IsCapitalizedWordAt(i);
}

std::string Normalizer::IntegerDigits(size_t i) const {
  std::string digits;
  const RawToken& t = tokens_[i];
  for (uint32_t k = t.begin; k < t.point; ++k) {
    if (IsDigit(folded_.chars[k])) digits += folded_.chars[k];
  }
  return digits;
}

std::string_view Normalizer::FractionDigits(size_t i) const {
  const RawToken& t = tokens_[i];
  if (t.point >= t.end) return {};
  return std::string_view(folded_.chars).substr(t.point + 1, t.end - t.point - 1);
}

Span Normalizer::SpanOfChars(size_t begin, size_t end) const {
  const std::string& text = text_.text();
  size_t source_end = folded_.origin[end - 1];
  DecodeUtf8(text, source_end);
  return text_.ToSource(folded_.origin[begin], source_end);
}

// ---------------------------------------------------------------------------
// Output.
// ---------------------------------------------------------------------------
void Normalizer::EmitWord(std::string text, Span span, WordFlag flag) {
  Token token;
  token.kind = TokenKind::kWord;
  token.text = std::move(text);
  token.span = span;
  token.flag = flag;
  out_.push_back(std::move(token));
}

void Normalizer::EmitWords(const std::vector<std::string>& words, Span span) {
  for (const std::string& word : words) EmitWord(word, span);
}

void Normalizer::EmitPhrase(std::string_view phrase, Span span, WordFlag flag) {
  size_t pos = 0;
  while (pos < phrase.size()) {
    size_t end = phrase.find(' ', pos);
    if (end == std::string_view::npos) end = phrase.size();
    if (end > pos) EmitWord(std::string(phrase.substr(pos, end - pos)), span, flag);
    pos = end + 1;
  }
}

void Normalizer::EmitLetters(size_t i, std::string_view letters, std::string_view suffix) {
  const uint32_t begin = tokens_[i].begin;
  for (size_t k = 0; k < letters.size(); ++k) {
    std::string letter(1, ToLower(letters[k]));
    if (k + 1 == letters.size()) letter += suffix;
    EmitWord(std::move(letter), SpanOfChars(begin + k, begin + k + 1), WordFlag::kLetter);
  }
}

void Normalizer::EmitPunctuation(std::string_view mark, Span span, bool sentence_end) {
  if (out_.size() > first_out_ && out_.back().kind == TokenKind::kPunctuation) {
    Token& last = out_.back();
    if (PunctuationStrength(mark) > PunctuationStrength(last.text)) last.text = std::string(mark);
    last.span = last.span.Union(span);
    last.sentence_end = last.sentence_end || sentence_end;
    return;
  }
  // A clause mark before any word has nothing to separate.
  const bool sentence_mark = mark == "." || mark == "!" || mark == "?" || mark == kEllipsisMark;
  if (out_.size() == first_out_ && !sentence_mark) return;
  Token token;
  token.kind = TokenKind::kPunctuation;
  token.text = std::string(mark);
  token.span = span;
  token.sentence_end = sentence_end;
  out_.push_back(std::move(token));
}

void Normalizer::EmitAbbreviationPeriod(size_t period, bool may_end_sentence) {
  if (AtTextEnd(period + 1) || (may_end_sentence && NextStartsSentence(period + 1))) {
    EmitPunctuation(".", SpanOf(period, period + 1), true);
  }
}

// ---------------------------------------------------------------------------
// Driver.
// ---------------------------------------------------------------------------
void Normalizer::Run() {
  if (text_.empty()) return;
  folded_ = FoldText(text_.text(), diag_);
  tokens_ = Tokenize(folded_.chars);
  // Most raw tokens give one output token; growing a huge vector by doubling
  // would copy it many times.
  out_.reserve(out_.size() + tokens_.size() + tokens_.size() / 4);
  switch (options_.say_as) {
    case SayAs::kCharacters:
      RunCharacters();
      return;
    case SayAs::kTelephone:
      RunTelephone();
      return;
    case SayAs::kDate:
      if (!RunDate()) RunDefault();
      return;
    case SayAs::kTime:
      if (!RunTime()) RunDefault();
      return;
    default:
      RunDefault();
  }
}

void Normalizer::RunDefault() {
  size_t i = 0;
  while (i < size()) i += std::max<size_t>(1, Step(i));
}

size_t Normalizer::Step(size_t i) {
  if (tokens_[i].kind != RawKind::kSymbol) {
    if (const size_t n = TryLink(i)) return n;
  }
  switch (tokens_[i].kind) {
    case RawKind::kNumber:
      return NumberRules(i);
    case RawKind::kWord:
      return WordRules(i);
    case RawKind::kSymbol:
      return SymbolRules(i);
  }
  return 1;
}

// ---------------------------------------------------------------------------
// say-as readings that replace the default pass over the whole text (date
// and time are in normalize_dates_times.cc).
// ---------------------------------------------------------------------------
void Normalizer::RunCharacters() {
  for (size_t i = 0; i < size(); ++i) {
    const RawToken& t = tokens_[i];
    if (t.kind == RawKind::kSymbol) {
      EmitPhrase(SymbolWord(t.symbol), SpanOf(i, i + 1));
      continue;
    }
    for (uint32_t k = t.begin; k < t.end; ++k) {
      const char c = folded_.chars[k];
      const Span span = SpanOfChars(k, k + 1);
      if (IsLetter(c)) {
        EmitWord(std::string(1, ToLower(c)), span, WordFlag::kLetter);
      } else if (IsDigit(c)) {
        std::vector<std::string> words;
        AppendDigitWords(std::string_view(&c, 1), words);
        EmitWords(words, span);
      } else if (c == '.') {
        EmitWord("point", span);
      }
    }
  }
}

void Normalizer::RunTelephone() {
  bool previous_digits = false;
  for (size_t i = 0; i < size(); ++i) {
    const RawToken& t = tokens_[i];
    const Span span = SpanOf(i, i + 1);
    if (t.kind == RawKind::kSymbol) {
      if (t.symbol == '+') EmitWord("plus", span);
      continue;
    }
    if (previous_digits) EmitPunctuation(",", span, false);
    if (t.kind == RawKind::kWord) {
      EmitLetters(i, Text(i), "");
    } else {
      for (uint32_t k = t.begin; k < t.end; ++k) {
        const char c = folded_.chars[k];
        if (c == '.') {
          EmitPunctuation(",", span, false);
        } else if (IsDigit(c)) {
          std::vector<std::string> words;
          AppendDigitWords(std::string_view(&c, 1), words);
          EmitWords(words, span);
        }
      }
    }
    previous_digits = true;
  }
}

}  // namespace normalizer_internal

void Normalize(const SourceText& text, const NormalizeOptions& options, std::vector<Token>& out,
               Diagnostics& diag) {
  normalizer_internal::Normalizer(text, options, out, diag).Run();
}

std::string SpokenForm(const std::vector<Token>& tokens) {
  std::string result;
  for (const Token& token : tokens) {
    if (token.kind == TokenKind::kWord) {
      if (!result.empty()) result += ' ';
      result += token.text;
    } else if (token.kind == TokenKind::kPunctuation) {
      result += token.text;
    }
  }
  return result;
}

}  // namespace voxlet
