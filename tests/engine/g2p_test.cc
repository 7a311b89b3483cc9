#include "voxlet/g2p.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "voxlet/lexicon_format.h"

namespace voxlet {
namespace {

namespace fmt = lexicon_format;
using Bytes = std::vector<uint8_t>;
using Phones = std::vector<std::string>;

std::optional<Bytes> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

#ifdef VOXLET_LEXICON_PATH
constexpr const char* kLexiconPath = VOXLET_LEXICON_PATH;
#else
constexpr const char* kLexiconPath = nullptr;
#endif

// The asset bytes, read once; nullopt when the build did not make one.
const std::optional<Bytes>& AssetBytes() {
  static const std::optional<Bytes> bytes =
      kLexiconPath ? ReadFile(kLexiconPath) : std::optional<Bytes>();
  return bytes;
}

#define REQUIRE_ASSET()                                                              \
  if (!AssetBytes()) {                                                               \
    GTEST_SKIP() << "lexicon asset not built (VOXLET_LEXICON_PATH unset or missing); " \
                    "run scripts/lexicon/build-lexicon.mjs";                         \
  }

std::shared_ptr<const Lexicon> LoadLexicon() {
  static std::shared_ptr<const Lexicon> lexicon = [] {
    auto result = Lexicon::FromBytes(*AssetBytes());
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? std::make_shared<const Lexicon>(std::move(result).value()) : nullptr;
  }();
  return lexicon;
}

std::string Join(const Phones& phones) {
  std::string out;
  for (const auto& p : phones) out += (out.empty() ? "" : " ") + p;
  return out;
}

Phones Split(const std::string& spaced) {
  std::istringstream in(spaced);
  return Phones(std::istream_iterator<std::string>(in), std::istream_iterator<std::string>());
}

size_t EditDistance(const Phones& a, const Phones& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<Token> WordTokens(const std::string& input, bool letters) {
  std::vector<Token> tokens;
  std::istringstream in(input);
  for (std::string word; in >> word;) {
    Token token;
    token.text = word;
    token.flag = letters ? WordFlag::kLetter : WordFlag::kNone;
    tokens.push_back(token);
  }
  return tokens;
}

// Bound on the phone error rate (stress included) over the hand-transcribed
// out-of-lexicon rows; the held-out CMUdict figure is in docs/g2p.md.
constexpr double kMaxOovPhoneErrorRate = 0.35;

TEST(G2pGoldenTest, MatchesTable) {
  REQUIRE_ASSET();
  G2p g2p(LoadLexicon());
  std::ifstream file(std::string(VOXLET_GOLDEN_DIR) + "/g2p.jsonl");
  ASSERT_TRUE(file) << "missing tests/golden/g2p.jsonl";
  int rows = 0;
  size_t oov_errors = 0, oov_phones = 0;
  for (std::string line; std::getline(file, line);) {
    if (line.empty()) continue;
    ++rows;
    auto row = nlohmann::json::parse(line);
    std::string input = row["input"];
    bool oov = row.value("oov", false);
    std::vector<Token> tokens = WordTokens(input, row.value("flags", "") == "letters");
    Diagnostics diag;
    g2p.Phonemize(tokens, diag);
    auto expected = row["expected"].get<std::vector<std::string>>();
    ASSERT_EQ(tokens.size(), expected.size()) << "row " << rows << ": " << input;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (oov) {
        oov_errors += EditDistance(tokens[i].phonemes, Split(expected[i]));
        oov_phones += Split(expected[i]).size();
      } else {
        EXPECT_EQ(Join(tokens[i].phonemes), expected[i])
            << "row " << rows << " \"" << input << "\", word \"" << tokens[i].text << "\"";
      }
    }
    if (oov) {
      EXPECT_GT(diag.out_of_lexicon_words, 0) << input;
    }
  }
  EXPECT_GE(rows, 80);
  ASSERT_GT(oov_phones, 0u);
  double rate = static_cast<double>(oov_errors) / oov_phones;
  std::cout << "[ info     ] out-of-lexicon rows: phone error rate " << 100 * rate << "% ("
            << oov_errors << "/" << oov_phones << ")\n";
  EXPECT_LE(rate, kMaxOovPhoneErrorRate);
}

TEST(LexiconTest, LooksUpWordsAndOnlyThoseListed) {
  REQUIRE_ASSET();
  auto lexicon = LoadLexicon();
  EXPECT_GT(lexicon->word_count(), 100000u);
  EXPECT_EQ(Join(lexicon->Lookup("hello")), "HH AH0 L OW1");
  EXPECT_EQ(Join(lexicon->Lookup("'bout")), "B AW1 T");  // sorts first
  EXPECT_EQ(Join(lexicon->Lookup("don't")), "D OW1 N T");
  for (const char* absent : {"", "'", "blorf", "zzzzzzzzzzzzzz", "hellox", "hell0", "HELLO",
                             "a.d.", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}) {
    EXPECT_TRUE(lexicon->Lookup(absent).empty()) << absent;
  }
}

TEST(LexiconTest, PredictionsArePlausible) {
  REQUIRE_ASSET();
  auto lexicon = LoadLexicon();
  for (const char* word : {"blorf", "zoomification", "voxlet", "kubernetes", "q", "'", "xyzzy",
                           "brrr", "strengths", "pneumonoultramicroscopicsilicovolcanoconiosis"}) {
    Phones phones = lexicon->Predict(word);
    ASSERT_FALSE(phones.empty()) << word;
    int vowels = 0, primaries = 0;
    for (const auto& p : phones) {
      int code = fmt::PhoneCode(p);
      ASSERT_NE(code, 0) << word << ": " << p;
      vowels += fmt::IsVowelCode(code);
      primaries += fmt::IsVowelCode(code) && fmt::StressOf(code) == 1;
    }
    EXPECT_EQ(primaries, vowels > 0 ? 1 : 0) << word << ": " << Join(phones);
  }
  EXPECT_TRUE(lexicon->Predict("").empty());
}

TEST(G2pTest, CountsOutOfLexiconWordsAndLeavesOtherTokensAlone) {
  REQUIRE_ASSET();
  G2p g2p(LoadLexicon());
  std::vector<Token> tokens = WordTokens("hello blorf there", false);
  tokens[2].phonemes = {"D AH1"};  // an SSML override stays as given
  Token comma;
  comma.kind = TokenKind::kPunctuation;
  comma.text = ",";
  tokens.insert(tokens.begin() + 1, comma);
  Diagnostics diag;
  g2p.Phonemize(tokens, diag);
  EXPECT_EQ(diag.out_of_lexicon_words, 1);
  EXPECT_EQ(Join(tokens[0].phonemes), "HH AH0 L OW1");
  EXPECT_TRUE(tokens[1].phonemes.empty());
  EXPECT_FALSE(tokens[2].phonemes.empty());
  EXPECT_EQ(Join(tokens[3].phonemes), "D AH1");
}

TEST(G2pTest, PunctuationCutsHomographContext) {
  REQUIRE_ASSET();
  G2p g2p(LoadLexicon());
  std::vector<Token> tokens = WordTokens("the wind", false);
  Token period;
  period.kind = TokenKind::kPunctuation;
  period.text = ".";
  tokens.insert(tokens.begin() + 1, period);
  Diagnostics diag;
  g2p.Phonemize(tokens, diag);
  EXPECT_EQ(Join(tokens[2].phonemes), "W IH1 N D");  // fallback reading, not a cue
}

TEST(G2pTest, WithoutLexiconSpellsLettersOnly) {
  G2p g2p(nullptr);
  std::vector<Token> tokens = WordTokens("x", true);
  Diagnostics diag;
  g2p.Phonemize(tokens, diag);
  EXPECT_EQ(Join(tokens[0].phonemes), "EH1 K S");
  EXPECT_TRUE(g2p.PhonemizeWord("hello").empty());
}

// ---- corrupt and hostile assets ----

void ExpectInvalid(const Bytes& bytes, const std::string& message_part) {
  auto result = Lexicon::FromBytes(bytes);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidAsset);
  EXPECT_NE(result.status().message().find(message_part), std::string::npos)
      << result.status().message();
}

TEST(LexiconAssetTest, RejectsEmptyAndForeignData) {
  ExpectInvalid({}, "truncated");
  Bytes foreign(100, 0);
  std::string png = "\x89PNG\r\n\x1a\n";
  std::copy(png.begin(), png.end(), foreign.begin());
  ExpectInvalid(foreign, "magic");
}

void Reseal(Bytes& bytes) {
  if (bytes.size() < fmt::kHeaderSize) return;
  uint32_t sum = fmt::AssetChecksum(bytes.data(), bytes.size());
  for (int i = 0; i < 4; ++i) bytes[fmt::kChecksumOffset + i] = static_cast<uint8_t>(sum >> (8 * i));
}

TEST(LexiconAssetTest, RejectsWrongMagicVersionAndTruncation) {
  REQUIRE_ASSET();
  const Bytes& good = *AssetBytes();
  Bytes bad_magic = good;
  bad_magic[0] = 'X';
  ExpectInvalid(bad_magic, "magic");
  Bytes bad_version = good;
  bad_version[4] = 99;
  ExpectInvalid(bad_version, "version");
  // Many cut points, dense at the start where the header and tables are.
  for (size_t cut = 0; cut < good.size(); cut += cut < 512 ? 1 : 4099) {
    Bytes truncated(good.begin(), good.begin() + cut);
    auto result = Lexicon::FromBytes(truncated);
    ASSERT_FALSE(result.ok()) << "cut at " << cut;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidAsset);
  }
  Bytes padded = good;
  padded.push_back(0);
  ExpectInvalid(padded, "padded");
}

TEST(LexiconAssetTest, ChecksumCatchesFlippedBytes) {
  REQUIRE_ASSET();
  const Bytes& good = *AssetBytes();
  for (size_t pos = 0; pos < good.size(); pos += 7919) {
    Bytes flipped = good;
    flipped[pos] ^= 0x41;
    EXPECT_FALSE(Lexicon::FromBytes(flipped).ok()) << "flip at " << pos;
  }
}

// Corruption with a recomputed checksum reaches the section parsers: they
// must reject it or yield a lexicon that is still safe to use (run under
// ASan/UBSan to make this meaningful).
TEST(LexiconAssetTest, ResealedCorruptionIsRejectedOrHarmless) {
  REQUIRE_ASSET();
  const Bytes& good = *AssetBytes();
  uint32_t state = 12345;
  auto next = [&state] { return state = state * 1664525u + 1013904223u; };
  int accepted = 0;
  for (int trial = 0; trial < 300; ++trial) {
    Bytes bytes = good;
    // Half the trials hit the header and small tables, half anywhere.
    size_t span = trial % 2 ? bytes.size() : std::min<size_t>(bytes.size(), 1024);
    for (int k = 0; k < 1 + trial % 4; ++k) bytes[next() % span] = static_cast<uint8_t>(next() >> 24);
    Reseal(bytes);
    auto result = Lexicon::FromBytes(std::move(bytes));
    if (!result.ok()) {
      EXPECT_EQ(result.status().code(), StatusCode::kInvalidAsset);
      continue;
    }
    ++accepted;
    for (const char* word : {"hello", "zebra", "'bout", "blorf", "", "zzzz"}) {
      result->Lookup(word);
      result->Predict(word);
    }
  }
  std::cout << "[ info     ] resealed corruptions accepted as harmless: " << accepted << "/300\n";
}

}  // namespace
}  // namespace voxlet
