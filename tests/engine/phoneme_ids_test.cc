#include "voxlet/phoneme_ids.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

namespace voxlet {
namespace {

using Json = nlohmann::json;

using test_support::kArpabetVoice;
using test_support::kPiperFixture;
using test_support::ReadFile;

std::vector<std::string> SplitWhitespace(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  for (std::string part; stream >> part;) parts.push_back(part);
  return parts;
}

// Golden config name -> parsed config; absent when its file is missing.
std::map<std::string, VoiceConfig> LoadConfigs() {
  std::map<std::string, VoiceConfig> configs;
  const std::pair<const char*, const char*> files[] = {
      {"piper-test-voice", kPiperFixture}, {"voxlet-test-arpabet", kArpabetVoice}};
  for (const auto& [name, path] : files) {
    if (!std::filesystem::exists(path)) continue;
    Result<VoiceConfig> config = VoiceConfig::Parse(ReadFile(path));
    EXPECT_TRUE(config.ok()) << path << ": " << config.status().ToString();
    if (config.ok()) configs.emplace(name, std::move(config).value());
  }
  return configs;
}

// {"word": "hello", "phonemes": "HH AH0"} | {"punct": "."} | {"break": 300} |
// {"mark": "m1"}. Phonemes are taken as written (no normalization), so rows
// can feed symbols a voice lacks.
Token RowToken(const Json& item) {
  Token token;
  if (item.contains("word")) {
    token.kind = TokenKind::kWord;
    token.text = item.value("word", std::string());
    token.phonemes = SplitWhitespace(item.value("phonemes", std::string()));
  } else if (item.contains("punct")) {
    token.kind = TokenKind::kPunctuation;
    token.text = item.value("punct", std::string());
  } else if (item.contains("break")) {
    token.kind = TokenKind::kBreak;
    token.break_ms = item.value("break", 0);
  } else {
    token.kind = TokenKind::kMark;
    token.text = item.value("mark", std::string());
  }
  return token;
}

template <typename T>
std::vector<T> RowArray(const Json& row, const char* key) {
  std::vector<T> out;
  const auto it = row.find(key);
  if (it == row.end() || !it->is_array()) return out;
  for (const Json& item : *it) out.push_back(item.get<T>());
  return out;
}

// Returns "" when the row passes, else every mismatch.
std::string CheckRow(const Json& row, const VoiceConfig& base_config) {
  VoiceConfig config = base_config;
  config.interspersed_pad = row.value("interspersed_pad", true);
  std::vector<Token> tokens;
  const auto items = row.find("tokens");
  if (items != row.end() && items->is_array()) {
    for (const Json& item : *items) tokens.push_back(RowToken(item));
  }
  Diagnostics diag;
  const PhonemeIds got = PhonemeIdMapper(config).Map(tokens, diag);
  std::string failures;
  const auto expected_ids = RowArray<int64_t>(row, "expected");
  if (got.ids != expected_ids) {
    failures += "ids " + ::testing::PrintToString(got.ids) + " != expected " +
                ::testing::PrintToString(expected_ids) + "; ";
  }
  if (got.symbols.size() != got.ids.size() || got.token_index.size() != got.ids.size()) {
    failures += "parallel arrays differ in length; ";
  }
  if (row.contains("symbols") && got.symbols != RowArray<std::string>(row, "symbols")) {
    failures += "symbols " + ::testing::PrintToString(got.symbols) + "; ";
  }
  if (row.contains("token_index") && got.token_index != RowArray<int32_t>(row, "token_index")) {
    failures += "token_index " + ::testing::PrintToString(got.token_index) + "; ";
  }
  if (diag.unknown_phonemes != row.value("unknown", 0)) {
    failures += "unknown " + std::to_string(diag.unknown_phonemes) + "; ";
  }
  if (row.contains("unknown_names") &&
      diag.unknown_phoneme_names != RowArray<std::string>(row, "unknown_names")) {
    failures += "unknown names " + ::testing::PrintToString(diag.unknown_phoneme_names) + "; ";
  }
  return failures;
}

TEST(PhonemeIdsTest, GoldenTable) {
  const std::map<std::string, VoiceConfig> configs = LoadConfigs();
  if (configs.count("piper-test-voice") == 0) {
    GTEST_SKIP() << "Piper fixture not found at " << kPiperFixture
                 << "; the golden table needs both voices";
  }
  ASSERT_EQ(configs.count("voxlet-test-arpabet"), 1u) << kArpabetVoice;
  const std::string path = std::string(VOXLET_GOLDEN_DIR) + "/phoneme_ids.jsonl";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot read " << path;
  int rows = 0;
  int line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (line.empty()) continue;
    const Json row = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    const std::string where = path + ":" + std::to_string(line_number);
    if (!row.is_object()) {
      ADD_FAILURE() << where << ": not a JSON object";
      continue;
    }
    const auto config = configs.find(row.value("config", std::string()));
    if (config == configs.end()) {
      ADD_FAILURE() << where << ": unknown config";
      continue;
    }
    ++rows;
    const std::string failure = CheckRow(row, config->second);
    if (!failure.empty()) {
      ADD_FAILURE() << where << " (" << row.value("desc", std::string()) << "): " << failure;
    }
  }
  EXPECT_GE(rows, 20);
}

// ---------------------------------------------------------------- hand-built voices

VoiceConfig TinyConfig(const std::string& phoneme_type) {
  VoiceConfig config;
  config.phoneme_type = phoneme_type;
  config.phoneme_id_map = {{"_", {0}}, {"^", {1}}, {"$", {2}}, {" ", {3}},
                           {"h", {4}}, {"i", {5}}, {"ˈ", {6}}, {"a", {7, 8}}};
  config.num_symbols = 9;
  return config;
}

Token Word(std::string text, std::vector<std::string> phonemes) {
  Token token;
  token.text = std::move(text);
  token.phonemes = std::move(phonemes);
  return token;
}

Token Punct(std::string mark) {
  Token token;
  token.kind = TokenKind::kPunctuation;
  token.text = std::move(mark);
  return token;
}

TEST(PhonemeIdsTest, MultiIdSymbolRepeatsItsSymbolAndIndex) {
  Diagnostics diag;
  const PhonemeIds out =
      PhonemeIdMapper(TinyConfig("espeak")).Map({Word("hi", {"HH", "AY1"})}, diag);
  // AY1 -> ˈ a ɪ; ɪ is missing from this map.
  EXPECT_EQ(out.ids, (std::vector<int64_t>{1, 0, 4, 0, 6, 0, 7, 8, 0, 2}));
  EXPECT_EQ(out.symbols,
            (std::vector<std::string>{"^", "", "h", "", "ˈ", "", "a", "a", "", "$"}));
  EXPECT_EQ(out.token_index, (std::vector<int32_t>{-1, -1, 0, -1, 0, -1, 0, 0, -1, -1}));
  EXPECT_EQ(diag.unknown_phonemes, 1);
  EXPECT_EQ(diag.unknown_phoneme_names, (std::vector<std::string>{"ɪ"}));
}

TEST(PhonemeIdsTest, TextVoiceMapsTheWordsCharacters) {
  Diagnostics diag;
  const PhonemeIds out = PhonemeIdMapper(TinyConfig("text"))
                             .Map({Word("hi", {"HH", "AY1"}), Word("ha", {})}, diag);
  EXPECT_EQ(out.ids, (std::vector<int64_t>{1, 0, 4, 0, 5, 0, 3, 0, 4, 0, 7, 8, 0, 2}));
  EXPECT_EQ(diag.unknown_phonemes, 0);
}

TEST(PhonemeIdsTest, PhonemeMapReplacesBeforeLookup) {
  VoiceConfig config = TinyConfig("espeak");
  config.phoneme_map = {{"ɪ", {"i"}}, {"ə", {"a", "h"}}};
  Diagnostics diag;
  const PhonemeIds out =
      PhonemeIdMapper(config).Map({Word("hi", {"HH", "AY1"}), Word("a", {"AH0"})}, diag);
  EXPECT_EQ(out.ids,
            (std::vector<int64_t>{1, 0, 4, 0, 6, 0, 7, 8, 0, 5, 0, 3, 0, 7, 8, 0, 4, 0, 2}));
  EXPECT_EQ(diag.unknown_phonemes, 0);
}

TEST(PhonemeIdsTest, PunctuationMissingFromTheMapIsSkippedQuietly) {
  Diagnostics diag;
  const PhonemeIds out =
      PhonemeIdMapper(TinyConfig("espeak")).Map({Word("hi", {"HH"}), Punct("?")}, diag);
  EXPECT_EQ(out.ids, (std::vector<int64_t>{1, 0, 4, 0, 2}));
  EXPECT_EQ(diag.unknown_phonemes, 0);
}

TEST(PhonemeIdsTest, PunctuationFallsBackToTheOtherMark) {
  VoiceConfig config = TinyConfig("espeak");
  config.phoneme_id_map["."] = {9};
  config.num_symbols = 10;
  Diagnostics diag;
  const PhonemeIds out = PhonemeIdMapper(config).Map({Word("hi", {"HH"}), Punct(";")}, diag);
  EXPECT_EQ(out.ids, (std::vector<int64_t>{1, 0, 4, 0, 9, 0, 2}));
  EXPECT_EQ(out.symbols[4], ".");
  EXPECT_EQ(out.token_index[4], 1);
}

TEST(PhonemeIdsTest, ConfigWithoutSpecialSymbolsDoesNotCrash) {
  VoiceConfig config;
  config.phoneme_type = "arpabet";
  config.phoneme_id_map = {{"HH", {5}}};
  Diagnostics diag;
  const PhonemeIds out =
      PhonemeIdMapper(config).Map({Word("h", {"HH"}), Word("h", {"HH"})}, diag);
  EXPECT_EQ(out.ids, (std::vector<int64_t>{5, 5}));
  EXPECT_EQ(diag.unknown_phonemes, 1);  // the space between the words
  EXPECT_EQ(diag.unknown_phoneme_names, (std::vector<std::string>{" "}));
}

}  // namespace
}  // namespace voxlet
