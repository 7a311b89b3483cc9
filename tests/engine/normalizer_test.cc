#include "voxlet/normalizer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "voxlet/number_words.h"

namespace voxlet {
namespace {

#ifdef VOXLET_GOLDEN_DIR
constexpr const char* kGoldenDir = VOXLET_GOLDEN_DIR;
#else
constexpr const char* kGoldenDir = "tests/golden";
#endif

std::vector<Token> NormalizeText(const std::string& text, NormalizeOptions options = {},
                                 Diagnostics* diag_out = nullptr) {
  std::vector<Token> tokens;
  Diagnostics diag;
  Normalize(SourceText::Verbatim(text), options, tokens, diag);
  if (diag_out != nullptr) *diag_out = diag;
  return tokens;
}

std::string Spoken(const std::string& text, NormalizeOptions options = {}) {
  return SpokenForm(NormalizeText(text, options));
}

SayAs ParseSayAs(const std::string& name) {
  if (name == "characters") return SayAs::kCharacters;
  if (name == "cardinal") return SayAs::kCardinal;
  if (name == "ordinal") return SayAs::kOrdinal;
  if (name == "digits") return SayAs::kDigits;
  if (name == "date") return SayAs::kDate;
  if (name == "time") return SayAs::kTime;
  if (name == "telephone") return SayAs::kTelephone;
  ADD_FAILURE() << "unknown say_as in golden table: " << name;
  return SayAs::kNone;
}

// Every word token must be lowercase a-z and apostrophes; punctuation one of the marks.
void ExpectWellFormed(const std::vector<Token>& tokens, const std::string& input) {
  static const std::vector<std::string> kMarks = {
      ".", ",", "?", "!", ";", ":", "\xE2\x80\xA6", "\xE2\x80\x94"};
  for (const Token& token : tokens) {
    if (token.kind == TokenKind::kWord) {
      EXPECT_FALSE(token.text.empty()) << input;
      for (char c : token.text) {
        EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '\'')
            << "bad word '" << token.text << "' for input " << input;
      }
    } else if (token.kind == TokenKind::kPunctuation) {
      EXPECT_NE(std::find(kMarks.begin(), kMarks.end(), token.text), kMarks.end())
          << "bad mark '" << token.text << "' for input " << input;
    }
  }
}

TEST(NormalizerGoldenTest, MatchesTable) {
  const std::string path = std::string(kGoldenDir) + "/normalize.jsonl";
  std::ifstream file(path);
  if (!file) GTEST_SKIP() << "golden table not found at " << path;
  std::string line;
  int line_number = 0;
  int cases = 0;
  int failures = 0;
  while (std::getline(file, line)) {
    ++line_number;
    if (line.empty()) continue;
    const nlohmann::json entry = nlohmann::json::parse(line);
    NormalizeOptions options;
    if (entry.contains("say_as")) options.say_as = ParseSayAs(entry["say_as"]);
    if (entry.contains("format")) options.format = entry["format"];
    const std::string input = entry["input"];
    const std::string expected = entry["expected"];
    const std::vector<Token> tokens = NormalizeText(input, options);
    const std::string actual = SpokenForm(tokens);
    ++cases;
    SCOPED_TRACE("line " + std::to_string(line_number) + ": " + input);
    ExpectWellFormed(tokens, input);
    if (actual != expected) {
      ++failures;
      ADD_FAILURE() << "input:    " << input << "\nexpected: " << expected
                    << "\nactual:   " << actual;
    }
  }
  EXPECT_GE(cases, 170);
  std::cout << "golden: " << (cases - failures) << "/" << cases << " passed\n";
}

// --- Spans -----------------------------------------------------------------

std::string SourceOf(const std::string& original, const Span& span) {
  return original.substr(span.begin, span.end - span.begin);
}

TEST(NormalizerSpanTest, WordsMapBackToTheirSource) {
  const std::string text = "Dr. Smith paid $3.50 for 2 km.";
  const std::vector<Token> tokens = NormalizeText(text);
  ASSERT_EQ(SpokenForm(tokens),
            "doctor smith paid three dollars and fifty cents for two kilometers.");
  EXPECT_EQ(SourceOf(text, tokens[0].span), "Dr");
  EXPECT_EQ(SourceOf(text, tokens[1].span), "Smith");
  for (size_t i = 3; i <= 7; ++i) EXPECT_EQ(SourceOf(text, tokens[i].span), "$3.50") << i;
  EXPECT_EQ(SourceOf(text, tokens[9].span), "2");
  EXPECT_EQ(SourceOf(text, tokens[10].span), "km");
  EXPECT_EQ(SourceOf(text, tokens[11].span), ".");
}

TEST(NormalizerSpanTest, MultiByteCharactersKeepByteSpans) {
  const std::string text =
      "caf\xC3\xA9 \xE2\x80\x9COK\xE2\x80\x9D 5\xC2\xB0"
      "C";
  const std::vector<Token> tokens = NormalizeText(text);
  ASSERT_EQ(SpokenForm(tokens), "cafe okay five degrees celsius");
  EXPECT_EQ(SourceOf(text, tokens[0].span), "caf\xC3\xA9");
  EXPECT_EQ(SourceOf(text, tokens[1].span), "OK");
  EXPECT_EQ(SourceOf(text, tokens[2].span), "5");
  EXPECT_EQ(SourceOf(text, tokens[3].span),
            "\xC2\xB0"
            "C");
}

TEST(NormalizerSpanTest, SpelledLettersHaveOneCharacterEach) {
  const std::string text = "the FBI";
  const std::vector<Token> tokens = NormalizeText(text);
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[1].flag, WordFlag::kLetter);
  EXPECT_EQ(SourceOf(text, tokens[1].span), "F");
  EXPECT_EQ(SourceOf(text, tokens[3].span), "I");
}

TEST(NormalizerSpanTest, AppendedPiecesMapToOriginalOffsets) {
  // Original: "<p>Call &amp; pay $5</p>" -> text "Call & pay $5" in three pieces,
  // the entity piece non-linear (1 byte from 5 source bytes).
  const std::string original = "<p>Call &amp; pay $5</p>";
  SourceText text;
  text.Append("Call ", {3, 8});
  text.Append("&", {8, 13});
  text.Append(" pay $5", {13, 20});
  std::vector<Token> tokens;
  Diagnostics diag;
  Normalize(text, {}, tokens, diag);
  ASSERT_EQ(SpokenForm(tokens), "call and pay five dollars");
  EXPECT_EQ(SourceOf(original, tokens[0].span), "Call");
  EXPECT_EQ(SourceOf(original, tokens[1].span), "&amp;");
  EXPECT_EQ(SourceOf(original, tokens[2].span), "pay");
  EXPECT_EQ(SourceOf(original, tokens[3].span), "$5");
  EXPECT_EQ(SourceOf(original, tokens[4].span), "$5");
}

TEST(NormalizerSpanTest, VerbatimOffsetShiftsSpans) {
  std::vector<Token> tokens;
  Diagnostics diag;
  Normalize(SourceText::Verbatim("hi 42", 100), {}, tokens, diag);
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0].span, (Span{100, 102}));
  EXPECT_EQ(tokens[1].span, (Span{103, 105}));
}

TEST(NormalizerSpanTest, AppendsWithoutTouchingEarlierTokens) {
  std::vector<Token> tokens = NormalizeText("first.");
  Diagnostics diag;
  Normalize(SourceText::Verbatim("!second"), {}, tokens, diag);
  EXPECT_EQ(SpokenForm(tokens), "first.! second");
}

// --- Sentence ends ---------------------------------------------------------

std::vector<std::string> SentenceEnds(const std::string& text) {
  std::vector<std::string> marks;
  for (const Token& token : NormalizeText(text)) {
    if (token.kind == TokenKind::kPunctuation && token.sentence_end) {
      marks.push_back(SourceOf(text, token.span));
    }
  }
  return marks;
}

TEST(NormalizerSentenceTest, AbbreviationsDecimalsAndInitialsDoNotEndSentences) {
  EXPECT_EQ(SentenceEnds("Dr. Smith paid 3.50 to J. R. Tolkien, e.g. on Jan. 5 today"),
            std::vector<std::string>{});
  EXPECT_EQ(SentenceEnds("Visit www.example.com now"), std::vector<std::string>{});
}

TEST(NormalizerSentenceTest, PlainPeriodsAndMarksEndSentences) {
  EXPECT_EQ(SentenceEnds("One. Two! Three?"), (std::vector<std::string>{".", "!", "?"}));
  EXPECT_EQ(SentenceEnds("It costs $3.50. Pay now."), (std::vector<std::string>{".", "."}));
}

TEST(NormalizerSentenceTest, EtcAndAmEndSentencesBeforeCapitalOrEnd) {
  EXPECT_EQ(SentenceEnds("Bring pens, etc."), std::vector<std::string>{"."});
  EXPECT_EQ(SentenceEnds("Bring pens etc. We go."), (std::vector<std::string>{".", "."}));
  EXPECT_EQ(SentenceEnds("Bring pens etc. and paper"), std::vector<std::string>{});
  EXPECT_EQ(SentenceEnds("Up at 6 a.m. Then we ran"), std::vector<std::string>{"."});
  EXPECT_EQ(SentenceEnds("Up at 6 a.m. and then"), std::vector<std::string>{});
  EXPECT_EQ(SentenceEnds("Works at Acme Inc. She likes it"), std::vector<std::string>{"."});
}

TEST(NormalizerSentenceTest, EllipsisEndsSentenceOnlyBeforeCapital) {
  const std::vector<Token> lower = NormalizeText("well\xE2\x80\xA6 maybe");
  ASSERT_EQ(lower.size(), 3u);
  EXPECT_FALSE(lower[1].sentence_end);
  const std::vector<Token> upper = NormalizeText("well... Maybe");
  ASSERT_EQ(upper.size(), 3u);
  EXPECT_EQ(upper[1].text, "\xE2\x80\xA6");
  EXPECT_TRUE(upper[1].sentence_end);
}

// --- Bad input ------------------------------------------------------------

TEST(NormalizerBadInputTest, InvalidUtf8IsSkippedAndCounted) {
  Diagnostics diag;
  const std::vector<Token> tokens = NormalizeText("ab\xFF\xFE cd \xC3", {}, &diag);
  EXPECT_EQ(SpokenForm(tokens), "ab c d");
  EXPECT_EQ(diag.invalid_utf8, 3);
}

TEST(NormalizerBadInputTest, NulAndControlCharactersAreSkipped) {
  Diagnostics diag;
  const std::string text("one\0two\x07three", 13);
  const std::vector<Token> tokens = NormalizeText(text, {}, &diag);
  EXPECT_EQ(SpokenForm(tokens), "one two three");
  EXPECT_EQ(diag.skipped_characters, 2);
}

TEST(NormalizerBadInputTest, OnlyPunctuation) {
  const std::vector<Token> tokens = NormalizeText("?!... ,;:--()\"'");
  for (const Token& token : tokens) EXPECT_EQ(token.kind, TokenKind::kPunctuation);
  ExpectWellFormed(tokens, "punctuation");
  EXPECT_TRUE(NormalizeText("").empty());
  EXPECT_TRUE(NormalizeText("   \t\n").empty());
}

TEST(NormalizerBadInputTest, OnlyEmojiIsCounted) {
  Diagnostics diag;
  const std::vector<Token> tokens =
      NormalizeText("\xF0\x9F\x98\x80\xF0\x9F\x8E\x89 \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", {}, &diag);
  EXPECT_TRUE(tokens.empty());
  EXPECT_EQ(diag.skipped_characters, 4);
}

TEST(NormalizerBadInputTest, OtherScriptsAreCounted) {
  Diagnostics diag;
  EXPECT_EQ(SpokenForm(NormalizeText("\xE4\xB8\x96\xE7\x95\x8C hello \xD0\x94", {}, &diag)),
            "hello");
  EXPECT_EQ(diag.skipped_characters, 3);
}

TEST(NormalizerBadInputTest, HugeDigitStringsAreReadDigitByDigit) {
  const std::string digits(5000, '7');
  const std::vector<Token> tokens = NormalizeText(digits);
  ASSERT_EQ(tokens.size(), 5000u);
  EXPECT_EQ(tokens.front().text, "seven");
  const std::string grouped = "1,000,000,000,000,000,000";
  EXPECT_EQ(Spoken(grouped),
            "one zero zero zero zero zero zero zero zero zero zero zero zero zero "
            "zero zero zero zero zero");
  ExpectWellFormed(NormalizeText(std::string(3000, '9') + "." + std::string(3000, '1')),
                   "long decimal");
}

TEST(NormalizerBadInputTest, PathologicalRepeats) {
  for (const std::string piece : {"-", "$", "(", "1/", "a.", "St. ", "1-", ":", "@a.", "'"}) {
    std::string text;
    for (int i = 0; i < 20000; ++i) text += piece;
    const std::vector<Token> tokens = NormalizeText(text);
    ExpectWellFormed(tokens, piece);
  }
}

TEST(NormalizerBadInputTest, TenMegabytesFinish) {
  const std::string sentence =
      "Dr. Smith paid $3.50 on Jan. 5, 2020 at 10:30 am \xE2\x80\x94 call 555-123-4567, "
      "visit www.example.com or caf\xC3\xA9 NASA's FBI 12/25/2020 etc. ";
  std::string text;
  text.reserve(10 * 1024 * 1024 + sentence.size());
  while (text.size() < 10u * 1024 * 1024) text += sentence;
  Diagnostics diag;
  std::vector<Token> tokens;
  Normalize(SourceText::Verbatim(text), {}, tokens, diag);
  EXPECT_GT(tokens.size(), 1000000u);
  EXPECT_EQ(diag.invalid_utf8, 0);
}

// --- say-as and options ----------------------------------------------------

TEST(NormalizerSayAsTest, CharactersAreLetters) {
  NormalizeOptions options;
  options.say_as = SayAs::kCharacters;
  const std::vector<Token> tokens = NormalizeText("Hi", options);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].text, "h");
  EXPECT_EQ(tokens[0].flag, WordFlag::kLetter);
  EXPECT_EQ(tokens[1].span, (Span{1, 2}));
}

TEST(NormalizerSayAsTest, DateFormatsFallBackWhenTheyDoNotFit) {
  NormalizeOptions options;
  options.say_as = SayAs::kDate;
  options.format = "my";
  EXPECT_EQ(Spoken("12/2020", options), "december twenty twenty");
  options.format = "y";
  EXPECT_EQ(Spoken("1999", options), "nineteen ninety nine");
  options.format = "dmy";
  EXPECT_EQ(Spoken("not a date", options), "not a date");
}

// --- Number words ------------------------------------------------------------

TEST(NumberWordsTest, Basics) {
  const auto words = [](auto fn, std::string_view digits) {
    std::vector<std::string> out;
    fn(digits, out);
    std::string joined;
    for (const auto& w : out) joined += (joined.empty() ? "" : " ") + w;
    return joined;
  };
  EXPECT_EQ(words(AppendCardinalWords, "0"), "zero");
  EXPECT_EQ(words(AppendCardinalWords, "1000001"), "one million one");
  EXPECT_EQ(words(AppendCardinalWords, "000"), "zero");
  EXPECT_EQ(words(AppendOrdinalWords, "40"), "fortieth");
  EXPECT_EQ(words(AppendOrdinalWords, "1000000"), "one millionth");
  EXPECT_EQ(words(AppendYearWords, "2000"), "two thousand");
  EXPECT_EQ(words(AppendYearWords, "1800"), "eighteen hundred");
  EXPECT_EQ(words(AppendYearWords, "2019"), "twenty nineteen");
  EXPECT_EQ(PluralOfWord("six"), "sixes");
  EXPECT_EQ(PluralOfWord("twenty"), "twenties");
}

}  // namespace
}  // namespace voxlet
