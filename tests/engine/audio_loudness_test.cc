#include "voxlet/audio_loudness.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "voxlet/audio_common.h"
#include "voxlet/audio_pipeline.h"

namespace voxlet {
namespace {

constexpr double kPi = std::numbers::pi;

// Speech-like test signal: a 180 Hz tone with harmonics under a syllable-rate
// envelope, scaled so its peak is exactly `peak`.
std::vector<float> Speechy(size_t count, int rate, float peak, double seed = 0.0) {
  std::vector<float> out(count);
  for (size_t i = 0; i < count; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double envelope = 0.55 + 0.45 * std::sin(2.0 * kPi * 4.0 * t + seed);
    const double tone = std::sin(2.0 * kPi * 180.0 * t) + 0.5 * std::sin(2.0 * kPi * 360.0 * t + 1.0) +
                        0.25 * std::sin(2.0 * kPi * 900.0 * t + seed);
    out[i] = static_cast<float>(envelope * tone);
  }
  NormalizePeak(out, GainToDb(peak));
  return out;
}

double PeakDbfs(const std::vector<float>& audio) { return GainToDb(PeakOf(audio)); }

LoudnessNormalizer MakeNormalizer(LoudnessConfig config = {}) {
  Result<LoudnessNormalizer> made = LoudnessNormalizer::Create(config);
  EXPECT_TRUE(made.ok()) << made.status().ToString();
  return std::move(made).value();
}

std::vector<float> RunBlocks(LoudnessNormalizer& normalizer,
                             const std::vector<std::vector<float>>& blocks) {
  std::vector<float> out;
  for (const auto& block : blocks) {
    const std::vector<float> part = normalizer.Process(block);
    out.insert(out.end(), part.begin(), part.end());
  }
  const std::vector<float> tail = normalizer.Flush();
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

struct LevelRow {
  const char* name;
  std::vector<float> block_peaks_dbfs;  // one block of 0.3 s each
};

// Loud, quiet and mixed utterances (including a first block much quieter than
// a later one, which the ramp and the limiter must handle) all peak in
// [-3, -1] dBFS; nothing is lost or added (length preserved).
TEST(LoudnessTest, StreamingPeakLandsBetweenMinus3AndMinus1Dbfs) {
  const LevelRow rows[] = {
      {"quiet -30", {-30, -30, -30}},   {"quiet -20", {-20, -24}},  {"normal -6", {-6, -8, -7}},
      {"hot 0", {0, 0}},                {"overs +6", {6, 4, 6}},     {"huge +18", {18}},
      {"loud later", {-20, -3, 6}},     {"quiet later", {0, -30}},  {"one block", {-12}}};
  const int rate = 48000;
  for (const LevelRow& row : rows) {
    LoudnessNormalizer normalizer = MakeNormalizer();
    std::vector<std::vector<float>> blocks;
    size_t total = 0;
    for (float peak : row.block_peaks_dbfs) {
      blocks.push_back(Speechy(rate * 3 / 10, rate, DbToGain(peak), total));
      total += blocks.back().size();
    }
    const std::vector<float> out = RunBlocks(normalizer, blocks);
    ASSERT_EQ(out.size(), total) << row.name;
    EXPECT_GE(PeakDbfs(out), -3.0) << row.name;
    EXPECT_LE(PeakDbfs(out), -1.0) << row.name;
    std::printf("[ measured ] %-12s -> peak %.2f dBFS\n", row.name, PeakDbfs(out));
  }
}

// The worst case for the ramp: the loud block starts with its peak.
TEST(LoudnessTest, LimiterCatchesAPeakAtTheVeryStartOfALouderBlock) {
  LoudnessNormalizer normalizer = MakeNormalizer();
  std::vector<float> loud(4800, 0.0f);
  loud[0] = 0.95f;
  loud[1] = -0.9f;
  const std::vector<float> out = RunBlocks(normalizer, {Speechy(4800, 48000, 0.05f), loud});
  EXPECT_LE(PeakDbfs(out), -1.0 + 1e-4);
  EXPECT_GE(PeakDbfs(out), -3.0);
}

TEST(LoudnessTest, SilenceStaysSilentAndVeryQuietInputGetsAtMostMaxGain) {
  LoudnessNormalizer normalizer = MakeNormalizer();
  const std::vector<float> silence = RunBlocks(normalizer, {std::vector<float>(1000, 0.0f)});
  EXPECT_EQ(PeakOf(silence), 0.0f);
  // -50 dBFS is within min_peak_dbfs but 48 dB below target: boosted 30 dB.
  const std::vector<float> quiet = RunBlocks(normalizer, {Speechy(9600, 48000, DbToGain(-50))});
  EXPECT_NEAR(PeakDbfs(quiet), -20.0, 0.01);
}

TEST(LoudnessTest, NonFiniteAndHugeInputGiveFiniteOutputUnderTheCeiling) {
  LoudnessNormalizer normalizer = MakeNormalizer();
  std::vector<float> bad = Speechy(4800, 48000, 0.5f);
  bad[10] = std::numeric_limits<float>::quiet_NaN();
  bad[20] = std::numeric_limits<float>::infinity();
  bad[30] = -std::numeric_limits<float>::infinity();
  bad[40] = 1e38f;
  const std::vector<float> out = RunBlocks(normalizer, {bad, bad});
  for (float x : out) {
    ASSERT_TRUE(std::isfinite(x));
    ASSERT_LE(std::fabs(x), DbToGain(-1.0f));
  }
}

TEST(LoudnessTest, EmptyAndOneSampleBlocks) {
  LoudnessNormalizer normalizer = MakeNormalizer();
  EXPECT_TRUE(normalizer.Process({}).empty());
  EXPECT_TRUE(normalizer.Process(std::vector<float>{0.5f}).empty());  // in the look-ahead
  const std::vector<float> tail = normalizer.Flush();
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_NEAR(tail[0], DbToGain(-2.0f), 1e-4);
  EXPECT_TRUE(normalizer.Flush().empty());
}

TEST(LoudnessTest, NormalizePeakOffline) {
  struct Row {
    float input_peak;
    float target_dbfs;
    float expected_dbfs;
  };
  for (const Row& row : {Row{0.5f, -1.0f, -1.0f}, Row{2.0f, -3.0f, -3.0f},
                         Row{0.01f, -2.0f, -2.0f}, Row{1e-4f, -2.0f, -40.0f}}) {
    std::vector<float> audio = Speechy(2000, 22050, row.input_peak);
    const float gain = NormalizePeak(audio, row.target_dbfs);
    EXPECT_NEAR(PeakDbfs(audio), row.expected_dbfs, 1e-3) << row.input_peak;
    EXPECT_NEAR(gain * row.input_peak, DbToGain(row.expected_dbfs), 1e-4);
  }
  std::vector<float> zeros(100, 0.0f);
  EXPECT_EQ(NormalizePeak(zeros, -2.0f), 1.0f);
  std::vector<float> bad = {std::nanf(""), 0.5f, -std::numeric_limits<float>::infinity()};
  NormalizePeak(bad, -6.0f);
  EXPECT_EQ(bad[0], 0.0f);
  EXPECT_NEAR(bad[1], DbToGain(-6.0f), 1e-6);
  EXPECT_EQ(bad[2], 0.0f);
  std::vector<float> empty;
  EXPECT_EQ(NormalizePeak(empty, -2.0f), 1.0f);
}

TEST(LoudnessTest, RejectsBadConfigs) {
  LoudnessConfig bad{.target_peak_dbfs = 0.0f, .ceiling_dbfs = -1.0f, .lookahead_ms = 0.0f};
  EXPECT_EQ(bad.Validate().size(), 2u);
  EXPECT_FALSE(LoudnessNormalizer::Create(bad).ok());
  EXPECT_TRUE(LoudnessConfig{}.Validate().empty());
}

// The whole chain as the runtime drives it: chunks at 22,050 Hz with pauses
// and SSML volumes in, 48 kHz out, peak in [-3, -1] dBFS for quiet and loud
// voices, no NaN.
TEST(AudioPipelineTest, ChunksInPeakNormalizedDeviceRateAudioOut) {
  for (float voice_peak : {0.03f, 0.5f, 3.0f}) {
    Result<AudioPipeline> made = AudioPipeline::Create({});
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    AudioPipeline& pipeline = made.value();
    std::vector<float> out;
    size_t input = 0;
    for (int chunk = 0; chunk < 4; ++chunk) {
      std::vector<float> audio(800, 0.0f);  // leading silence to trim
      const std::vector<float> speech = Speechy(6000 + 1000 * chunk, 22050, voice_peak, chunk);
      audio.insert(audio.end(), speech.begin(), speech.end());
      input += audio.size();
      const std::vector<float> part =
          pipeline.Push(audio, chunk == 3, chunk == 1 ? 200.0f : 0.0f, chunk == 2 ? 0.7f : 1.0f)
              .samples;
      out.insert(out.end(), part.begin(), part.end());
    }
    for (float x : out) ASSERT_TRUE(std::isfinite(x));
    EXPECT_GE(PeakDbfs(out), -3.0) << voice_peak;
    EXPECT_LE(PeakDbfs(out), -1.0) << voice_peak;
    EXPECT_GT(out.size(), input * 48000 / 22050 / 2);  // trimming removed only silence
  }
  AudioPipelineConfig bad;
  bad.output_rate = 5;
  bad.joiner.crossfade_ms = -1;
  const Result<AudioPipeline> rejected = AudioPipeline::Create(bad);
  ASSERT_FALSE(rejected.ok());
  EXPECT_NE(rejected.status().message().find("joiner.crossfade_ms"), std::string::npos);
  EXPECT_NE(rejected.status().message().find("resampler.output_rate"), std::string::npos);
}

}  // namespace
}  // namespace voxlet
