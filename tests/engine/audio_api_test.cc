// EngineApi's audio methods: the pipeline and WAV encoder as JS reaches them
// (samples as vectors, metadata and errors as JSON in AudioReply()).
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numbers>
#include <vector>

#include "test_support.h"
#include "voxlet/audio_pipeline.h"
#include "voxlet/engine_api.h"
#include "voxlet/wav.h"

namespace voxlet {
namespace {

using nlohmann::json;

std::vector<float> Tone(size_t count, double phase) {
  std::vector<float> out(count);
  for (size_t i = 0; i < count; ++i) {
    out[i] = static_cast<float>(0.3 * std::sin(2.0 * std::numbers::pi * 220.0 * i / 22050 + phase));
  }
  return out;
}

std::string ErrorCode(const std::string &reply) {
  const json parsed = json::parse(reply);
  return parsed.contains("error") ? parsed["error"]["code"].get<std::string>() : "";
}

TEST(AudioApiTest, CreateReportsRatesAndLatency) {
  EngineApi api;
  const json reply =
      json::parse(api.CreateAudioPipeline(R"({"voice_rate":22050,"output_rate":48000})"));
  EXPECT_EQ(reply["ok"], true);
  EXPECT_EQ(reply["voice_rate"], 22050);
  EXPECT_EQ(reply["output_rate"], 48000);
  EXPECT_GT(reply["latency_samples"].get<int>(), 0);
  // Output rate defaults to the voice rate.
  EXPECT_EQ(json::parse(api.CreateAudioPipeline(R"({"voice_rate":16000})"))["output_rate"], 16000);
}

TEST(AudioApiTest, VoiceRateDefaultsToTheLoadedVoice) {
  EngineApi api;
  EXPECT_EQ(ErrorCode(api.CreateAudioPipeline("{}")), "FAILED_PRECONDITION");
  api.LoadVoice(test_support::ReadFile(test_support::kArpabetVoice));
  const json reply = json::parse(api.CreateAudioPipeline(R"({"normalize":false})"));
  ASSERT_EQ(reply.value("ok", false), true) << reply.dump();
  EXPECT_EQ(reply["voice_rate"], 22050);
}

TEST(AudioApiTest, BadConfigsAreErrorsThatNameTheProblem) {
  EngineApi api;
  EXPECT_EQ(ErrorCode(api.CreateAudioPipeline("[1]")), "INVALID_ARGUMENT");
  EXPECT_EQ(ErrorCode(api.CreateAudioPipeline(R"({"voice_rate":"22050"})")), "INVALID_ARGUMENT");
  EXPECT_EQ(ErrorCode(api.CreateAudioPipeline(R"({"voice_rate":22050.5})")), "INVALID_ARGUMENT");
  EXPECT_EQ(ErrorCode(api.CreateAudioPipeline(R"({"voice_rate":22050,"normalize":1})")),
            "INVALID_ARGUMENT");
  EXPECT_EQ(ErrorCode(api.CreateAudioPipeline(R"({"voice_rate":22050,"gain":"x"})")),
            "INVALID_ARGUMENT");
  const std::string rate = api.CreateAudioPipeline(R"({"voice_rate":22050,"output_rate":5})");
  EXPECT_EQ(ErrorCode(rate), "INVALID_CONFIG");
  EXPECT_NE(rate.find("output_rate"), std::string::npos) << rate;
  EXPECT_EQ(ErrorCode(api.CreateAudioPipeline(R"({"voice_rate":22050,"gain":-1})")),
            "INVALID_CONFIG");
  EXPECT_EQ(ErrorCode(api.CreateAudioPipeline(R"({"voice_rate":22050,"gain":1e300})")),
            "INVALID_CONFIG");
}

// Arguments straight from JS may be anything a double holds.
TEST(AudioApiTest, AbsurdPushArgumentsAreSanitized) {
  EngineApi api;
  api.CreateAudioPipeline(R"({"voice_rate":22050})");
  for (double value : {1e300, -1e300, std::nan(""), HUGE_VAL}) {
    const std::vector<float> out = api.PushAudio(Tone(3000, 0.0), true, value, value);
    for (float x : out) ASSERT_TRUE(std::isfinite(x)) << value;
    EXPECT_EQ(ErrorCode(api.AudioReply()), "") << value;
  }
}

// "pitch" in the config and PushAudio's pitch reach the pipeline's.
TEST(AudioApiTest, PitchReachesThePipeline) {
  EngineApi api;
  ASSERT_EQ(ErrorCode(api.CreateAudioPipeline(
                R"({"voice_rate":22050,"output_rate":48000,"pitch":1.5})")),
            "");
  Result<AudioPipeline> direct =
      AudioPipeline::Create({.voice_rate = 22050, .output_rate = 48000, .pitch = 1.5f});
  ASSERT_TRUE(direct.ok());
  for (int chunk = 0; chunk < 3; ++chunk) {
    const bool last = chunk == 2;
    const std::vector<float> audio = Tone(4000, chunk);
    EXPECT_EQ(api.PushAudio(audio, last, 0.0, 1.0, 0.8),
              direct->Push(audio, last, 0.0f, 1.0f, 0.8f).samples)
        << chunk;
  }
  EXPECT_EQ(ErrorCode(api.CreateAudioPipeline(R"({"voice_rate":22050,"pitch":"high"})")),
            "INVALID_ARGUMENT");
  EXPECT_EQ(ErrorCode(api.CreateAudioPipeline(R"({"voice_rate":22050,"pitch":0})")),
            "INVALID_CONFIG");
  api.CreateAudioPipeline(R"({"voice_rate":22050})");
  for (double pitch : {1e300, -1e300, std::nan(""), HUGE_VAL, 0.0}) {
    const std::vector<float> out = api.PushAudio(Tone(3000, 0.0), true, 0.0, 1.0, pitch);
    EXPECT_EQ(out.size(), api.PushAudio(Tone(3000, 0.0), true, 0.0, 1.0, 1.0).size()) << pitch;
    for (float x : out) ASSERT_TRUE(std::isfinite(x)) << pitch;
  }
}

TEST(AudioApiTest, PushBeforeCreateIsAnErrorWithNoSamples) {
  EngineApi api;
  EXPECT_TRUE(api.PushAudio(Tone(1000, 0.0), true, 0.0, 1.0).empty());
  EXPECT_EQ(ErrorCode(api.AudioReply()), "FAILED_PRECONDITION");
}

// The API gives exactly what AudioPipeline gives, origins included.
TEST(AudioApiTest, PushMatchesThePipelineAndReportsOrigins) {
  EngineApi api;
  ASSERT_EQ(
      ErrorCode(api.CreateAudioPipeline(R"({"voice_rate":22050,"output_rate":48000,"gain":0.5})")),
      "");
  Result<AudioPipeline> direct =
      AudioPipeline::Create({.voice_rate = 22050, .output_rate = 48000, .output_gain = 0.5f});
  ASSERT_TRUE(direct.ok());
  for (int chunk = 0; chunk < 3; ++chunk) {
    std::vector<float> audio(1500, 0.0f);  // leading silence to trim
    const std::vector<float> tone = Tone(5000, chunk);
    audio.insert(audio.end(), tone.begin(), tone.end());
    const bool last = chunk == 2;
    const std::vector<float> got = api.PushAudio(audio, last, 80.0, 0.7);
    const PushedAudio expected = direct->Push(audio, last, 80.0f, 0.7f);
    EXPECT_EQ(got, expected.samples) << "chunk " << chunk;
    const json reply = json::parse(api.AudioReply());
    EXPECT_DOUBLE_EQ(reply["origin"].get<double>(), expected.chunk_origin);
    EXPECT_DOUBLE_EQ(reply["end"].get<double>(), expected.chunk_end);
    EXPECT_EQ(reply["samples"], got.size());
  }
}

TEST(AudioApiTest, ResetStartsANewUtterance) {
  EngineApi api;
  api.CreateAudioPipeline(R"({"voice_rate":22050,"output_rate":44100})");
  const std::vector<float> chunk = Tone(4000, 0.3);
  const std::vector<float> fresh = api.PushAudio(chunk, true, 0.0, 1.0);
  api.PushAudio(chunk, false, 0.0, 1.0);
  EXPECT_EQ(api.ResetAudioPipeline(), R"({"ok":true})");
  EXPECT_EQ(api.PushAudio(chunk, true, 0.0, 1.0), fresh);
  EXPECT_EQ(json::parse(api.AudioReply())["origin"], 0.0);
}

TEST(AudioApiTest, EncodeWavIsTheEnginesEncoder) {
  EngineApi api;
  const std::vector<float> audio = Tone(300, 0.0);
  const std::vector<uint8_t> bytes = api.EncodeWav(audio, 24000);
  EXPECT_EQ(bytes, EncodeWav16(audio, 24000).value());
  EXPECT_EQ(json::parse(api.AudioReply())["bytes"], 44 + 2 * audio.size());
  EXPECT_EQ(api.EncodeWav({}, 16000).size(), 44u);
  EXPECT_TRUE(api.EncodeWav(audio, 0).empty());
  EXPECT_EQ(ErrorCode(api.AudioReply()), "INVALID_ARGUMENT");
}

}  // namespace
}  // namespace voxlet
