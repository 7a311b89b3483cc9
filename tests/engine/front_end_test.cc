#include "voxlet/front_end.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "test_support.h"
#include "voxlet/chunk_planner.h"
#include "voxlet/segmenter.h"

namespace voxlet {
namespace {

using nlohmann::json;
using test_support::LoadedEngine;
using test_support::Parse;
using test_support::ReadGolden;

#define REQUIRE_LEXICON() \
  if (!test_support::HasLexicon()) GTEST_SKIP() << "lexicon asset not built (VOXLET_LEXICON_PATH)"

TEST(ChunkPlannerGolden, MatchesTable) {
  EngineApi api;
  const auto rows = ReadGolden("planner.jsonl");
  ASSERT_GE(rows.size(), 10u);
  for (const json& row : rows) {
    SCOPED_TRACE(row.dump());
    const json reply = Parse(api.PlanChunks(row.dump()));
    if (row.contains("error")) {
      EXPECT_EQ(reply["error"]["code"], row["error"]);
    } else {
      EXPECT_EQ(reply["chunks"], row["expected"]);
    }
  }
}

TEST(SegmentationGolden, SentenceAndWordSpans) {
  REQUIRE_LEXICON();
  auto api = LoadedEngine();
  const auto rows = ReadGolden("segmentation.jsonl");
  ASSERT_GE(rows.size(), 15u);
  for (const json& row : rows) {
    SCOPED_TRACE(row["input"].get<std::string>());
    const json reply = Parse(api->Phonemize(row["input"].get<std::string>(), ""));
    ASSERT_TRUE(reply.contains("sentences")) << reply.dump();
    json spans = json::array();
    json words = json::array();
    for (const json& sentence : reply["sentences"]) {
      spans.push_back(sentence["span"]);
      for (const json& word : sentence["words"]) {
        words.push_back({word["text"], word["span"][0], word["span"][1]});
      }
    }
    EXPECT_EQ(spans, row["sentences"]);
    if (row.contains("words")) EXPECT_EQ(words, row["words"]);
  }
}

// tests/golden/chunk_bounds.jsonl: hostile inputs (long words and phoneme
// runs, slow rates, many breaks, long say-as, bad options) and the chunks they
// must give. "input" is [[text, repeat], ...]; "expected" keys are each
// checked only when present.
TEST(ChunkBoundsGolden, EveryChunkWithinItsBudget) {
  REQUIRE_LEXICON();
  auto api = LoadedEngine();
  const auto rows = ReadGolden("chunk_bounds.jsonl");
  ASSERT_GE(rows.size(), 15u);
  for (const json& row : rows) {
    SCOPED_TRACE(row["name"].get<std::string>());
    std::string input;
    for (const json& part : row["input"]) {
      for (int i = 0; i < part[1].get<int>(); ++i) input += part[0].get<std::string>();
    }
    const json started = Parse(api->Start(input, row.value("options", json::object()).dump()));
    if (row.contains("error")) {
      ASSERT_TRUE(started.contains("error")) << started.dump();
      EXPECT_EQ(started["error"]["code"], row["error"]);
      const std::string message = started["error"]["message"];
      EXPECT_NE(message.find(row["message_contains"].get<std::string>()), std::string::npos)
          << message;
      continue;
    }
    ASSERT_FALSE(started.contains("error")) << started.dump();
    size_t chunks = 0, max_ids = 0, words = 0;
    int64_t break_ms = 0;
    std::set<std::vector<int>> spans;
    for (json chunk = Parse(api->Next()); !chunk.contains("done"); chunk = Parse(api->Next())) {
      ++chunks;
      max_ids = std::max(max_ids, chunk["ids"].size());
      words += chunk["words"].size();
      break_ms += chunk["break_after_ms"].get<int64_t>();
      for (const json& word : chunk["words"]) spans.insert(word["span"].get<std::vector<int>>());
      if (chunk["is_last"].get<bool>()) break;
    }
    const json& expected = row["expected"];
    if (expected.contains("chunks")) EXPECT_EQ(chunks, expected["chunks"].get<size_t>());
    if (expected.contains("min_chunks")) EXPECT_GE(chunks, expected["min_chunks"].get<size_t>());
    if (expected.contains("max_ids")) EXPECT_EQ(max_ids, expected["max_ids"].get<size_t>());
    if (expected.contains("max_ids_at_most")) {
      EXPECT_LE(max_ids, expected["max_ids_at_most"].get<size_t>());
    }
    if (expected.contains("words")) EXPECT_EQ(words, expected["words"].get<size_t>());
    if (expected.contains("word_spans")) {
      EXPECT_EQ(spans.size(), expected["word_spans"].get<size_t>());
    }
    if (expected.contains("break_ms")) EXPECT_EQ(break_ms, expected["break_ms"].get<int64_t>());
  }
}

std::vector<Chunk> AllChunks(FrontEnd& front_end, const std::string& text,
                             FrontEndOptions options = {}) {
  std::vector<Chunk> chunks;
  EXPECT_TRUE(front_end.Start(text, options).ok());
  Chunk chunk;
  while (front_end.Next(chunk)) chunks.push_back(chunk);
  return chunks;
}

class FrontEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_LEXICON();
    auto lexicon = Lexicon::FromBytes([] {
      const std::string bytes = test_support::ReadFile(VOXLET_LEXICON_PATH);
      return std::vector<uint8_t>(bytes.begin(), bytes.end());
    }());
    auto voice = VoiceConfig::Parse(
        test_support::ReadFile(test_support::kArpabetVoice));
    ASSERT_TRUE(lexicon.ok()) << lexicon.status().ToString();
    ASSERT_TRUE(voice.ok()) << voice.status().ToString();
    front_end_ = std::make_unique<FrontEnd>(
        std::make_shared<Lexicon>(std::move(lexicon).value()), std::move(voice).value());
  }
  std::unique_ptr<FrontEnd> front_end_;
};

TEST_F(FrontEndTest, ChunksCoverEveryWordInOrderAndOnlyTheLastIsLast) {
  const std::string text =
      "The quick brown fox jumps over the lazy dog, and then it runs far away into the "
      "forest. It was never seen again; nobody knows where it went.";
  const auto chunks = AllChunks(*front_end_, text);
  ASSERT_GE(chunks.size(), 3u);  // the first chunk is short, so the first sentence splits
  std::vector<std::string> words;
  uint32_t last_begin = 0;
  for (size_t i = 0; i < chunks.size(); ++i) {
    EXPECT_EQ(chunks[i].is_last, i + 1 == chunks.size());
    for (const ChunkWord& word : chunks[i].words) {
      words.push_back(word.text);
      EXPECT_GE(word.span.begin, last_begin);
      last_begin = word.span.begin;
      EXPECT_LT(word.id_begin, word.id_end);
      EXPECT_LE(word.id_end, static_cast<int>(chunks[i].ids.size()));
    }
  }
  EXPECT_EQ(words.size(), 28u);
  EXPECT_EQ(words.front(), "the");
  EXPECT_EQ(words.back(), "went");
  EXPECT_LE(chunks.front().ids.size(), 48u);
  for (const Chunk& chunk : chunks) EXPECT_LE(chunk.ids.size(), 400u);
}

TEST_F(FrontEndTest, ChunkIdsStartWithBosAndEndWithEos) {
  const auto chunks = AllChunks(*front_end_, "Hello there.");
  ASSERT_EQ(chunks.size(), 1u);
  const auto& voice = front_end_->voice();
  EXPECT_EQ(chunks[0].ids.front(), voice.IdsOf("^")->front());
  EXPECT_EQ(chunks[0].ids.back(), voice.IdsOf("$")->front());
  EXPECT_EQ(chunks[0].normalized, "hello there.");
}

TEST_F(FrontEndTest, BreaksEndChunksAndCarryTheirPause) {
  const auto chunks =
      AllChunks(*front_end_, "<speak>One two <break time=\"750ms\"/> three four.</speak>");
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].break_after_ms, 750);
  EXPECT_EQ(chunks[0].normalized, "one two");
  EXPECT_EQ(chunks[1].normalized, "three four.");
}

TEST_F(FrontEndTest, ProsodyChangesSplitChunks) {
  const auto chunks = AllChunks(
      *front_end_, "<speak>Normal words <prosody rate=\"slow\">slow words</prosody> end.</speak>");
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_FLOAT_EQ(chunks[0].prosody.rate, 1.0f);
  EXPECT_FLOAT_EQ(chunks[1].prosody.rate, 0.75f);
  EXPECT_FLOAT_EQ(chunks[2].prosody.rate, 1.0f);
}

TEST_F(FrontEndTest, MarksFireAtTheNextWord) {
  const auto chunks =
      AllChunks(*front_end_, "<speak>Hello <mark name=\"here\"/>world.</speak>");
  ASSERT_EQ(chunks.size(), 1u);
  ASSERT_EQ(chunks[0].marks.size(), 1u);
  EXPECT_EQ(chunks[0].marks[0].name, "here");
  ASSERT_EQ(chunks[0].words.size(), 2u);
  EXPECT_EQ(chunks[0].marks[0].id_position, chunks[0].words[1].id_begin);
}

TEST_F(FrontEndTest, PhonemeElementOverridesTheLexicon) {
  const auto chunks = AllChunks(
      *front_end_,
      "<speak><phoneme alphabet=\"x-arpabet\" ph=\"T AH0 M AA1 T OW0\">tomato</phoneme></speak>");
  ASSERT_EQ(chunks.size(), 1u);
  ASSERT_EQ(chunks[0].words.size(), 1u);
  EXPECT_EQ(chunks[0].words[0].phonemes, "T AH0 M AA1 T OW0");
}

TEST_F(FrontEndTest, RestartingCancelsTheUnfinishedUtterance) {
  ASSERT_TRUE(front_end_->Start("First sentence here. Second one there.", {}).ok());
  Chunk chunk;
  ASSERT_TRUE(front_end_->Next(chunk));
  const auto chunks = AllChunks(*front_end_, "Fresh start.");
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].normalized, "fresh start.");
}

TEST_F(FrontEndTest, NothingSpeakableGivesNoChunks) {
  EXPECT_TRUE(AllChunks(*front_end_, "").empty());
  EXPECT_TRUE(AllChunks(*front_end_, "?!... ,;").empty());
  EXPECT_TRUE(AllChunks(*front_end_, "\xF0\x9F\x98\x80\xF0\x9F\x98\x80").empty());
  EXPECT_EQ(front_end_->diagnostics().skipped_characters, 2);
}

TEST_F(FrontEndTest, InvalidUtf8AndNulBytesAreSkippedNotFatal) {
  const auto chunks = AllChunks(*front_end_, std::string("Good \xFF\xFE day\0 now.", 17));
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].normalized, "good day now.");
}

TEST_F(FrontEndTest, MalformedSsmlIsAnErrorWithAPosition) {
  const Status status = front_end_->Start("<speak>\n  <s>unclosed</speak>", {});
  EXPECT_EQ(status.code(), StatusCode::kMalformedSsml);
  EXPECT_NE(status.message().find("line 2"), std::string::npos) << status.message();
}

TEST_F(FrontEndTest, DeepNestingIsRefused) {
  std::string ssml = "<speak>";
  for (int i = 0; i < 10000; ++i) ssml += "<prosody rate=\"fast\">";
  ssml += "x";
  const Status status = front_end_->Start(ssml, {});
  EXPECT_EQ(status.code(), StatusCode::kLimitExceeded) << status.ToString();
}

TEST_F(FrontEndTest, OversizedInputIsRefusedWithTheLimit) {
  FrontEndOptions options;
  options.max_input_bytes = 1000;
  const Status status = front_end_->Start(std::string(1001, 'a'), options);
  EXPECT_EQ(status.code(), StatusCode::kLimitExceeded);
  EXPECT_NE(status.message().find("1000"), std::string::npos);
}

TEST_F(FrontEndTest, TenMegabytesStreamWithBoundedPendingWork) {
  std::string text;
  while (text.size() < (10u << 20)) text += "Call me at 10:30 am, or on Jan. 5 2024; it costs $3.50! ";
  ASSERT_TRUE(front_end_->Start(text, {}).ok());
  Chunk chunk;
  size_t chunks = 0;
  uint32_t last_end = 0;
  while (front_end_->Next(chunk)) {
    ++chunks;
    EXPECT_GE(chunk.span.begin + 1, last_end);  // spans advance
    last_end = chunk.span.end;
  }
  EXPECT_GT(chunks, 100000u);
  EXPECT_GT(last_end, text.size() - 100);
}

TEST_F(FrontEndTest, AHugeNumberReadDigitByDigitIsSplitAcrossChunks) {
  const auto chunks = AllChunks(*front_end_, std::string(3000, '7') + ".");
  ASSERT_GT(chunks.size(), 10u);
  size_t words = 0;
  for (const Chunk& chunk : chunks) {
    EXPECT_LE(chunk.ids.size(), 400u);
    words += chunk.words.size();
  }
  EXPECT_EQ(words, 3000u);  // "seven" per digit, none lost at the splits
}

TEST_F(FrontEndTest, TextWithoutPunctuationIsCutIntoBoundedSentences) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "word ";
  ASSERT_TRUE(front_end_->Start(text, {}).ok());
  SentenceResult sentence;
  size_t sentences = 0;
  while (front_end_->NextSentence(sentence)) {
    ++sentences;
    EXPECT_LE(sentence.words.size(), 1500u);
  }
  EXPECT_GE(sentences, 4u);
}

// A "text" voice reads letters, so a long word is cut by its letters: the
// parts' texts put back together are the word. 1,000 letters cost 2,003 ids
// alone; payload 40 - 3 = 37: 2,003 / 34 + 1 = 59 parts of 16-17 letters
// (37 ids each); the last (17 letters) takes the "." too: 2 + 34 + 2 + 1 = 39.
TEST_F(FrontEndTest, ALongWordForATextVoiceIsCutByItsLetters) {
  std::string map = R"({"_": [0], "^": [1], "$": [2], " ": [3], ".": [4])";
  for (char c = 'a'; c <= 'z'; ++c) {
    map += ", \"" + std::string(1, c) + "\": [" + std::to_string(c - 'a' + 5) + "]";
  }
  auto voice = VoiceConfig::Parse(R"({"phoneme_type": "text", "audio": {"sample_rate": 22050},
      "phoneme_id_map": )" + map + R"(}, "voxlet": {"max_chunk_tokens": 40}})");
  ASSERT_TRUE(voice.ok()) << voice.status().ToString();
  const std::string bytes = test_support::ReadFile(VOXLET_LEXICON_PATH);
  auto lexicon = Lexicon::FromBytes(std::vector<uint8_t>(bytes.begin(), bytes.end()));
  ASSERT_TRUE(lexicon.ok());
  FrontEnd front_end(std::make_shared<Lexicon>(std::move(lexicon).value()),
                     std::move(voice).value());
  std::string word;
  for (int i = 0; i < 100; ++i) word += "abcdefghij";
  const auto chunks = AllChunks(front_end, word + ".");
  ASSERT_EQ(chunks.size(), 59u);
  std::string joined;
  size_t max_ids = 0;
  for (const Chunk& chunk : chunks) {
    max_ids = std::max(max_ids, chunk.ids.size());
    for (const ChunkWord& part : chunk.words) {
      joined += part.text;
      EXPECT_EQ(part.span, (Span{0, 1000}));
    }
  }
  EXPECT_EQ(max_ids, 39u);
  EXPECT_EQ(joined, word);
}

TEST(Segmenter, DropsPunctuationOnlySentencesAndFindsClauses) {
  auto word = [](const char* text) { return Token{TokenKind::kWord, text}; };
  auto punct = [](const char* text, bool end) {
    Token token{TokenKind::kPunctuation, text};
    token.sentence_end = end;
    return token;
  };
  auto sentences = SplitSentences({word("a"), punct(",", false), word("b"), punct(".", true),
                                   punct("!", true), word("c")});
  ASSERT_EQ(sentences.size(), 2u);
  EXPECT_EQ(sentences[0].clause_ends, std::vector<size_t>{1});
  EXPECT_EQ(sentences[1].tokens.size(), 1u);
}

}  // namespace
}  // namespace voxlet
