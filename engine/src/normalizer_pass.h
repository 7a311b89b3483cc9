// One normalization pass over a text (see voxlet/normalizer.h): folds it,
// cuts it into raw tokens and walks them with the category rules. Internal
// to the normalizer; the member functions are defined by category in
//   normalizer.cc             driver, token context, output, say-as characters/telephone
//   normalize_links.cc        URLs and e-mail addresses
//   normalize_numbers.cc      numbers, money, fractions, ranges, units, telephone numbers
//   normalize_dates_times.cc  dates, times, month names, say-as date/time
//   normalize_words.cc        abbreviations, Roman numerals, initials, acronyms, words
//   normalize_symbols.cc      symbols and punctuation
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ascii.h"
#include "voxlet/normalizer.h"
#include "voxlet/number_words.h"
#include "voxlet/raw_tokenizer.h"
#include "voxlet/text.h"
#include "voxlet/text_folding.h"

namespace voxlet::normalizer_internal {

// Quotes and brackets: transparent when looking for a sentence start or end.
bool IsQuoteOrBracket(char symbol);

// "january fifth nineteen ninety" / "the fifth of january" (day_first). Empty
// `day` or `year`, or a month outside 1-12, leaves that part out; a 2-digit
// year is read as "ninety five".
void AppendDateWords(int month, std::string_view day, std::string_view year, bool day_first,
                     std::vector<std::string>& words);

// Appends the tokens of one text to `out`; use once: Normalizer(...).Run().
class Normalizer {
 public:
  Normalizer(const SourceText& text, const NormalizeOptions& options, std::vector<Token>& out,
             Diagnostics& diag)
      : text_(text), options_(options), out_(out), diag_(diag), first_out_(out.size()) {}

  void Run();

 private:
  // --- Raw token access; out-of-range indices read as "nothing there". ---
  size_t size() const { return tokens_.size(); }
  std::string_view Text(size_t i) const {
    if (i >= size()) return {};
    return std::string_view(folded_.chars)
        .substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin);
  }
  bool IsWordAt(size_t i) const { return i < size() && tokens_[i].kind == RawKind::kWord; }
  bool IsNumberAt(size_t i) const { return i < size() && tokens_[i].kind == RawKind::kNumber; }
  char SymbolAt(size_t i) const {
    return i < size() && tokens_[i].kind == RawKind::kSymbol ? tokens_[i].symbol : '\0';
  }
  bool Attached(size_t i) const { return i < size() && !tokens_[i].space_before; }
  bool Spaced(size_t i) const { return i < size() && tokens_[i].space_before; }
  // A number of plain digits: no thousands groups, no decimal point.
  bool IsPlainIntegerAt(size_t i) const {
    return IsNumberAt(i) && !tokens_[i].grouped && tokens_[i].point == tokens_[i].end &&
           tokens_[i].point > tokens_[i].begin;
  }
  long ValueAt(size_t i) const { return IsPlainIntegerAt(i) ? DigitsValue(Text(i)) : -1; }
  bool IsCapitalizedWordAt(size_t i) const { return IsWordAt(i) && IsUpper(Text(i)[0]); }
  bool IsNameAt(size_t i) const;
  bool IsYearLikeAt(size_t i) const;
  bool IsSentenceStartAt(size_t i) const;
  bool AtTextEnd(size_t i) const;
  bool NextStartsSentence(size_t i) const;
  std::string IntegerDigits(size_t i) const;
  std::string_view FractionDigits(size_t i) const;

  Span SpanOfChars(size_t begin, size_t end) const;
  Span SpanOf(size_t first, size_t last) const {
    return SpanOfChars(tokens_[first].begin, tokens_[last - 1].end);
  }

  // --- Output. ---
  void EmitWord(std::string text, Span span, WordFlag flag = WordFlag::kNone);
  void EmitWords(const std::vector<std::string>& words, Span span);
  void EmitPhrase(std::string_view phrase, Span span, WordFlag flag = WordFlag::kNone);
  void EmitLetters(size_t i, std::string_view letters, std::string_view suffix);
  void EmitPunctuation(std::string_view mark, Span span, bool sentence_end);
  void EmitAbbreviationPeriod(size_t period, bool may_end_sentence);
  bool LastEmittedIsWord() const {
    return out_.size() > first_out_ && out_.back().kind == TokenKind::kWord;
  }
  bool LastEmittedWordIs(std::string_view word) const {
    return LastEmittedIsWord() && out_.back().text == word;
  }

  // --- Rules. Each returns the number of raw tokens consumed; 0 = no match. ---
  // Driver (normalizer.cc): links first, then the rules of the token's kind.
  void RunDefault();
  size_t Step(size_t i);

  // URLs and e-mail addresses (normalize_links.cc).
  size_t TryLink(size_t i);
  size_t LinkEnd(size_t i) const;
  bool IsEmail(size_t begin, size_t end) const;
  bool IsUrl(size_t begin, size_t end) const;
  void EmitLink(size_t begin, size_t end);

  // Numbers and money (normalize_numbers.cc).
  size_t NumberRules(size_t i);
  size_t ForcedNumber(size_t i);
  size_t TryTelephone(size_t i);
  size_t TryFraction(size_t i);
  size_t TryDecadePlural(size_t i);
  size_t TryOrdinal(size_t i);
  size_t TryRange(size_t i);
  size_t PlainNumber(size_t i, bool negative);
  size_t EmitUnit(size_t i, bool singular);
  size_t TryCurrency(size_t i);
  bool QuantityFollows(size_t i) const;
  bool IsOrdinalSuffixAt(size_t i) const;
  void AppendNumberReading(size_t i, bool allow_year, std::vector<std::string>& words) const;

  // Dates and times (normalize_dates_times.cc).
  size_t TryTime(size_t i);
  size_t TryHourAmPm(size_t i);
  size_t MatchAmPm(size_t i, char& letter, bool& period) const;
  size_t EmitAmPm(size_t i);
  size_t TryNumericDate(size_t i);
  size_t TryDayMonth(size_t i);
  size_t TryMonthDay(size_t i);
  size_t MonthAt(size_t i, int& month) const;

  // Symbols and punctuation (normalize_symbols.cc).
  size_t SymbolRules(size_t i);
  bool IsMinusSign(size_t i) const;

  // Words (normalize_words.cc).
  size_t WordRules(size_t i);
  size_t TryAbbreviation(size_t i);
  size_t TryDottedAbbreviation(size_t i);
  size_t TryRoman(size_t i);
  size_t TryInitial(size_t i);
  size_t TryAcronym(size_t i);
  size_t PlainWord(size_t i);

  // --- say-as readings of the whole text; date and time fall back to the
  // default pass when they return false. ---
  void RunCharacters();  // normalizer.cc
  void RunTelephone();   // normalizer.cc
  bool RunDate();        // normalize_dates_times.cc
  bool RunTime();        // normalize_dates_times.cc

  const SourceText& text_;
  const NormalizeOptions& options_;
  std::vector<Token>& out_;
  Diagnostics& diag_;
  const size_t first_out_;
  FoldedText folded_;
  std::vector<RawToken> tokens_;
  bool negative_ = false;  // a "minus" was just said for the next number
};

}  // namespace voxlet::normalizer_internal
