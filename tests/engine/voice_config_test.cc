#include "voxlet/voice_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.h"

#include "voxlet/phoneset.h"
#include "voxlet/utf8.h"

namespace voxlet {
namespace {

using Json = nlohmann::json;

using test_support::kArpabetVoice;
using test_support::kPiperFixture;
using test_support::ReadFile;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

const char* const kMinimal = R"({
  "audio": {"sample_rate": 22050},
  "phoneme_id_map": {"_": [0], "^": [1], "$": [2], " ": [3], "a": [4]},
  "num_symbols": 5
})";

VoiceConfig ValidConfig() {
  Result<VoiceConfig> config = VoiceConfig::Parse(kMinimal);
  EXPECT_TRUE(config.ok()) << config.status().ToString();
  return config.ok() ? std::move(config).value() : VoiceConfig();
}

// ---------------------------------------------------------------- real voices

TEST(VoiceConfigTest, LoadsPiperFixtureUnchanged) {
  if (!std::filesystem::exists(kPiperFixture)) {
    GTEST_SKIP() << "Piper fixture not found at " << kPiperFixture;
  }
  Result<VoiceConfig> config = VoiceConfig::Parse(ReadFile(kPiperFixture));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->phoneme_type, "espeak");
  EXPECT_EQ(config->sample_rate, 22050);
  EXPECT_EQ(config->quality, "medium");
  EXPECT_EQ(config->espeak_voice, "en-us");
  EXPECT_EQ(config->language_code, "en_US");
  EXPECT_EQ(config->num_symbols, 256);
  EXPECT_EQ(config->num_speakers, 1);
  EXPECT_EQ(config->piper_version, "1.0.0");
  EXPECT_FLOAT_EQ(config->noise_scale, 0.667f);
  EXPECT_FLOAT_EQ(config->length_scale, 1.0f);
  EXPECT_FLOAT_EQ(config->noise_w, 0.8f);
  EXPECT_EQ(config->phoneme_id_map.size(), 159u);
  ASSERT_NE(config->IdsOf("ə"), nullptr);
  EXPECT_EQ(*config->IdsOf("ə"), std::vector<int64_t>{59});
  EXPECT_EQ(*config->IdsOf("aɪ"), std::vector<int64_t>{161});
  EXPECT_EQ(*config->IdsOf("\""), std::vector<int64_t>{150});
  // No "voxlet" section: the Voxlet defaults apply.
  EXPECT_EQ(config->phonemizer, "builtin-en-us");
  EXPECT_TRUE(config->variants.empty());
  EXPECT_TRUE(config->interspersed_pad);
  EXPECT_EQ(config->max_chunk_tokens, 400);
  EXPECT_EQ(config->audio_output, "output");
  EXPECT_EQ(config->durations_output, "durations");
  EXPECT_TRUE(config->Validate().empty());
}

TEST(VoiceConfigTest, LoadsArpabetExampleVoice) {
  Result<VoiceConfig> config = VoiceConfig::Parse(ReadFile(kArpabetVoice));
  ASSERT_TRUE(config.ok()) << kArpabetVoice << ": " << config.status().ToString();
  EXPECT_EQ(config->phoneme_type, "arpabet");
  EXPECT_EQ(config->sample_rate, 22050);
  EXPECT_TRUE(config->variants.empty());
  for (const std::string& symbol : ArpabetSymbolsWithStress()) {
    EXPECT_NE(config->IdsOf(symbol), nullptr) << "missing " << symbol;
  }
  for (const char* symbol : {"_", "^", "$", " ", ".", ",", "?", "!", ";", ":", "…", "—"}) {
    EXPECT_NE(config->IdsOf(symbol), nullptr) << "missing " << symbol;
  }
}

// ---------------------------------------------------------------- golden table

// A row's "json" is either raw text (to express malformed JSON) or an object.
std::string RowJson(const Json& row) {
  const auto it = row.find("json");
  if (it == row.end()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// Returns "" when the row passes, else why it failed.
std::string CheckRow(const Json& row) {
  const Result<VoiceConfig> result = VoiceConfig::Parse(RowJson(row));
  const std::string got = result.ok() ? "OK" : result.status().ToString();
  if (row.value("ok", false)) {
    return result.ok() ? "" : "expected OK, got " + got;
  }
  const std::string expected_code = row.value("error", std::string("?"));
  if (result.ok() || StatusCodeName(result.status().code()) != expected_code) {
    return "expected " + expected_code + ", got " + got;
  }
  const std::string& message = result.status().message();
  std::string failures;
  const auto contains = row.find("problems_contain");
  if (contains != row.end() && contains->is_array()) {
    for (const Json& part : *contains) {
      if (part.is_string() && message.find(part.get<std::string>()) == std::string::npos) {
        failures += "message lacks \"" + part.get<std::string>() + "\"; ";
      }
    }
  }
  const auto count = row.find("problem_count");
  if (count != row.end() && count->is_number_integer() &&
      Lines(message).size() != count->get<size_t>()) {
    failures += "expected " + std::to_string(count->get<size_t>()) + " problems; ";
  }
  return failures.empty() ? "" : failures + "got " + got;
}

TEST(VoiceConfigTest, GoldenTable) {
  const std::string path = std::string(VOXLET_GOLDEN_DIR) + "/voice_config.jsonl";
  const std::vector<std::string> lines = Lines(ReadFile(path));
  ASSERT_FALSE(lines.empty()) << "no golden rows in " << path;
  int rows = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const Json row = Json::parse(lines[i], nullptr, /*allow_exceptions=*/false);
    if (!row.is_object()) {
      ADD_FAILURE() << path << ":" << i + 1 << ": not a JSON object";
      continue;
    }
    ++rows;
    const std::string failure = CheckRow(row);
    if (!failure.empty()) {
      ADD_FAILURE() << path << ":" << i + 1 << " (" << row.value("desc", std::string()) << "): "
                    << failure;
    }
  }
  EXPECT_GE(rows, 15);
}

// ---------------------------------------------------------------- validation

TEST(VoiceConfigTest, ValidateReturnsEveryProblem) {
  VoiceConfig config = ValidConfig();
  ASSERT_TRUE(config.Validate().empty());
  config.sample_rate = 0;
  config.phoneme_type = "klingon";
  config.phoneme_id_map.erase("$");
  const std::vector<std::string> problems = config.Validate();
  ASSERT_EQ(problems.size(), 3u) << ::testing::PrintToString(problems);
  EXPECT_NE(problems[0].find("klingon"), std::string::npos);
  EXPECT_NE(problems[1].find("EOS"), std::string::npos);
  EXPECT_NE(problems[2].find("audio.sample_rate 0 is not valid; expected 8000..192000"),
            std::string::npos);
}

TEST(VoiceConfigTest, ParseListsEveryProblemOnePerLine) {
  const Result<VoiceConfig> result = VoiceConfig::Parse(R"({
    "phoneme_type": "klingon",
    "audio": {"sample_rate": 0},
    "phoneme_id_map": {"_": [0], "^": [1], "$": [2], "a": "x"},
    "voxlet": {"variants": [{"precision": "fp32", "file": "m.onnx", "sha256": "00", "size": 1}]}
  })");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidConfig);
  const std::vector<std::string> lines = Lines(result.status().message());
  EXPECT_EQ(lines.size(), 4u) << result.status().message();
}

TEST(VoiceConfigTest, VariantsComponentsAndOutputsAreRead) {
  const Result<VoiceConfig> result = VoiceConfig::Parse(R"({
    "audio": {"sample_rate": 24000},
    "phoneme_id_map": {"_": [0], "^": [1], "$": [2]},
    "voxlet": {
      "phonemizer": "espeak", "max_chunk_tokens": 256, "interspersed_pad": false,
      "outputs": {"audio": "wav", "durations": "w"},
      "components": [{"name": "acoustic", "optional": false, "purpose": "mel"},
                     {"name": "vocoder", "optional": true}],
      "variants": [
        {"precision": "int8", "file": "a/m.onnx", "size": 99,
         "sha256": "0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef",
         "component": "acoustic", "quality": {"snr_db": 28.5}},
        {"precision": "fp16", "file": "m16.onnx", "size": 7,
         "sha256": "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"}]
    }
  })");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const VoiceConfig& c = result.value();
  EXPECT_EQ(c.sample_rate, 24000);
  EXPECT_EQ(c.num_symbols, 3);  // derived: largest id + 1
  EXPECT_EQ(c.phonemizer, "espeak");
  EXPECT_EQ(c.max_chunk_tokens, 256);
  EXPECT_FALSE(c.interspersed_pad);
  EXPECT_EQ(c.audio_output, "wav");
  EXPECT_EQ(c.durations_output, "w");
  ASSERT_EQ(c.components.size(), 2u);
  EXPECT_TRUE(c.components[1].optional);
  EXPECT_EQ(c.components[0].purpose, "mel");
  ASSERT_EQ(c.variants.size(), 2u);
  EXPECT_EQ(c.variants[0].component, "acoustic");
  EXPECT_EQ(c.variants[0].size, 99u);
  ASSERT_TRUE(c.variants[0].snr_db.has_value());
  EXPECT_DOUBLE_EQ(*c.variants[0].snr_db, 28.5);
  EXPECT_EQ(c.variants[1].component, "full");
  EXPECT_FALSE(c.variants[1].snr_db.has_value());
  EXPECT_NE(c.ToString().find("sample_rate=24000"), std::string::npos);
  EXPECT_NE(c.ToString().find("acoustic:int8"), std::string::npos);
}

TEST(VoiceConfigTest, PhonemeMapIsRead) {
  const Result<VoiceConfig> result = VoiceConfig::Parse(R"({
    "audio": {"sample_rate": 22050},
    "phoneme_id_map": {"_": [0], "^": [1], "$": [2], "a": [3], "b": [4]},
    "phoneme_map": {"x": ["a", "b"]}
  })");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->phoneme_map.count("x"), 1u);
  EXPECT_EQ(result->phoneme_map.at("x"), (std::vector<std::string>{"a", "b"}));
}

// ---------------------------------------------------------------- malformed input

TEST(VoiceConfigTest, MalformedJsonNamesLineColumnAndOffset) {
  const Result<VoiceConfig> result = VoiceConfig::Parse("{\n  \"audio\": {\n    \"sample_rate\": 22050,\n  }\n}");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kMalformedJson);
  const std::string& message = result.status().message();
  EXPECT_NE(message.find("line 4, column 3"), std::string::npos) << message;
  EXPECT_NE(message.find("byte offset"), std::string::npos) << message;
  EXPECT_EQ(message.find("[json.exception"), std::string::npos) << message;
}

TEST(VoiceConfigTest, InvalidUtf8IsMalformedAndTheMessageStaysValidUtf8) {
  const std::string text = "{\"phoneme_type\": \"esp\xff\xfe\"}";
  const Result<VoiceConfig> result = VoiceConfig::Parse(text);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kMalformedJson);
  EXPECT_TRUE(IsValidUtf8(result.status().message())) << result.status().message();
}

TEST(VoiceConfigTest, OversizedInputIsRefused) {
  std::string huge = "{\"pad\": \"" + std::string(kMaxVoiceConfigBytes, 'x') + "\"}";
  const Result<VoiceConfig> result = VoiceConfig::Parse(huge);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded);
}

TEST(VoiceConfigTest, TooManyMapEntriesAreRefused) {
  std::string text = R"({"audio": {"sample_rate": 22050}, "phoneme_id_map": {)";
  for (size_t i = 0; i <= kMaxPhonemeIdMapEntries; ++i) {
    if (i > 0) text += ',';
    text += "\"s" + std::to_string(i) + "\":[1]";
  }
  text += "}}";
  ASSERT_LE(text.size(), kMaxVoiceConfigBytes);
  const Result<VoiceConfig> result = VoiceConfig::Parse(text);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded);
  EXPECT_NE(result.status().message().find("phoneme_id_map"), std::string::npos);
}

TEST(VoiceConfigTest, DeepNestingIsRefused) {
  const std::string text = std::string(10000, '[') + std::string(10000, ']');
  const Result<VoiceConfig> result = VoiceConfig::Parse(text);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded);
}

TEST(VoiceConfigTest, ManyProblemsAreCappedInTheMessage) {
  std::string text = R"({"audio": {"sample_rate": 22050}, "num_symbols": 3, "phoneme_id_map": {"_": [0], "^": [1], "$": [2])";
  for (int i = 0; i < 500; ++i) text += ",\"s" + std::to_string(i) + "\":[7]";
  text += "}}";
  const Result<VoiceConfig> result = VoiceConfig::Parse(text);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidConfig);
  EXPECT_LE(Lines(result.status().message()).size(), 101u);
  EXPECT_NE(result.status().message().find("more problems"), std::string::npos);
}

}  // namespace
}  // namespace voxlet
