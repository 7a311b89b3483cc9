// The pipeline's timeline: where each chunk lands in the output after the
// joiner trimmed and crossfaded it and the resampler scaled it.
#include "voxlet/audio_pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "voxlet/audio_common.h"

namespace voxlet {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr int kVoiceRate = 22050;
constexpr int kOutputRate = 48000;
constexpr long kLeadingSilence = 2205;  // 100 ms at the voice rate
constexpr long kPulseAt = kLeadingSilence + 1500;

// 100 ms of silence, then a quiet tone carrying one loud Gaussian pulse at
// kPulseAt: a landmark whose output position can be measured.
std::vector<float> LandmarkChunk(double seed) {
  std::vector<float> chunk(kLeadingSilence + 3000, 0.0f);
  for (long i = kLeadingSilence; i < static_cast<long>(chunk.size()); ++i) {
    const double tone =
        0.05 * std::cos(2.0 * kPi * 150.0 * (i - kLeadingSilence) / kVoiceRate + seed);
    const double pulse = 0.8 * std::exp(-0.5 * std::pow((i - kPulseAt) / 3.0, 2));
    chunk[i] = static_cast<float>(tone + pulse);
  }
  return chunk;
}

AudioPipeline MakePipeline(AudioPipelineConfig config) {
  Result<AudioPipeline> made = AudioPipeline::Create(config);
  EXPECT_TRUE(made.ok()) << made.status().ToString();
  return std::move(made).value();
}

void Append(std::vector<float> &out, const std::vector<float> &more) {
  out.insert(out.end(), more.begin(), more.end());
}

// Index of the largest |sample| within `radius` of `around`.
long PeakNear(const std::vector<float> &audio, double around, long radius) {
  const long center = std::lround(around);
  long best = center;
  for (long i = std::max(0L, center - radius); i < std::min<long>(audio.size(), center + radius);
       ++i) {
    if (std::fabs(audio[i]) > std::fabs(audio[best])) best = i;
  }
  return best;
}

struct PushedUtterance {
  std::vector<float> audio;
  std::vector<double> origins;
  std::vector<double> ends;
};

PushedUtterance PushLandmarks(AudioPipeline &pipeline, int chunks, float pause_ms = 0.0f) {
  PushedUtterance result;
  for (int chunk = 0; chunk < chunks; ++chunk) {
    const bool last = chunk == chunks - 1;
    PushedAudio pushed = pipeline.Push(LandmarkChunk(chunk), last, last ? 0.0f : pause_ms);
    Append(result.audio, pushed.samples);
    result.origins.push_back(pushed.chunk_origin);
    result.ends.push_back(pushed.chunk_end);
  }
  return result;
}

// Every chunk's pulse is found where its origin says, at 22,050 -> 48,000 Hz,
// with and without loudness normalization (which delays but never shifts).
TEST(AudioPipelineTimelineTest, ResampledOriginsLocateEachChunksAudio) {
  for (bool normalize : {false, true}) {
    for (float pause_ms : {0.0f, 120.0f}) {
      AudioPipeline pipeline = MakePipeline(
          {.voice_rate = kVoiceRate, .output_rate = kOutputRate, .normalize = normalize});
      const PushedUtterance out = PushLandmarks(pipeline, 4, pause_ms);
      const double ratio = static_cast<double>(kOutputRate) / kVoiceRate;
      for (size_t chunk = 0; chunk < out.origins.size(); ++chunk) {
        const double expected = out.origins[chunk] + kPulseAt * ratio;
        EXPECT_NEAR(PeakNear(out.audio, expected, 200), expected, 1.0)
            << "chunk " << chunk << ", normalize " << normalize << ", pause " << pause_ms;
        EXPECT_GT(out.ends[chunk], expected) << "the chunk's kept audio ends after its pulse";
      }
      EXPECT_LT(out.origins[0], 0.0) << "leading silence beyond the edge margin was trimmed";
      EXPECT_LE(out.ends.back(), static_cast<double>(out.audio.size()));
    }
  }
}

// The pipeline's origins are the joiner's scaled by output/voice rate, and
// the concatenated output is the joiner's timeline resampled: ceil(N * L / M).
TEST(AudioPipelineTimelineTest, OriginsAndLengthAreTheJoinersScaled) {
  for (int output_rate : {kVoiceRate, 16000, 44100, kOutputRate}) {
    AudioPipeline pipeline = MakePipeline({.voice_rate = kVoiceRate, .output_rate = output_rate});
    Result<AudioJoiner> joiner = AudioJoiner::Create({.sample_rate = kVoiceRate});
    ASSERT_TRUE(joiner.ok());
    const PushedUtterance out = PushLandmarks(pipeline, 3, 50.0f);
    long joined = 0;
    for (int chunk = 0; chunk < 3; ++chunk) {
      const PushedAudio reference =
          joiner->Push(LandmarkChunk(chunk), chunk == 2, chunk == 2 ? 0.0f : 50.0f);
      EXPECT_DOUBLE_EQ(out.origins[chunk], reference.chunk_origin * output_rate / kVoiceRate)
          << output_rate << " Hz, chunk " << chunk;
      EXPECT_DOUBLE_EQ(out.ends[chunk], reference.chunk_end * output_rate / kVoiceRate);
      joined += static_cast<long>(reference.samples.size());
    }
    const long expected =
        static_cast<long>(std::ceil(static_cast<double>(joined) * output_rate / kVoiceRate));
    EXPECT_EQ(static_cast<long>(out.audio.size()), expected) << output_rate << " Hz";
  }
}

// 48 kHz output of the whole chain: no DC, peak in [-3, -1] dBFS.
TEST(AudioPipelineTimelineTest, NormalizedOutputHasNoDcAndTargetPeak) {
  AudioPipeline pipeline = MakePipeline({.voice_rate = kVoiceRate, .output_rate = kOutputRate});
  std::vector<float> out;
  for (int chunk = 0; chunk < 4; ++chunk) {
    std::vector<float> audio = LandmarkChunk(chunk);
    for (long i = kLeadingSilence; i < static_cast<long>(audio.size()); ++i)
      audio[i] += 0.1f;  // DC
    Append(out, pipeline.Push(audio, chunk == 3).samples);
  }
  double sum = 0.0;
  for (float x : out) sum += x;
  EXPECT_LT(std::fabs(sum / out.size()), 5e-3);
  EXPECT_GE(GainToDb(PeakOf(out)), -3.0);
  EXPECT_LE(GainToDb(PeakOf(out)), -1.0);
}

// output_gain scales the finished audio exactly and is validated.
TEST(AudioPipelineTimelineTest, OutputGainScalesAfterNormalization) {
  AudioPipeline unit = MakePipeline({.voice_rate = kVoiceRate, .output_rate = kOutputRate});
  AudioPipeline half =
      MakePipeline({.voice_rate = kVoiceRate, .output_rate = kOutputRate, .output_gain = 0.5f});
  const PushedUtterance a = PushLandmarks(unit, 2);
  const PushedUtterance b = PushLandmarks(half, 2);
  ASSERT_EQ(a.audio.size(), b.audio.size());
  for (size_t i = 0; i < a.audio.size(); ++i) ASSERT_FLOAT_EQ(b.audio[i], 0.5f * a.audio[i]);
  EXPECT_EQ(a.origins, b.origins);
  const AudioPipelineConfig bad{.output_gain = -1.0f};
  ASSERT_EQ(bad.Validate().size(), 1u);
  EXPECT_NE(bad.Validate().front().find("output_gain"), std::string::npos);
}

// Pitch 1 (the default, and every chunk's) is an exact bypass: the pipeline's
// output is the joiner -> resampler -> loudness chain's, sample for sample.
TEST(AudioPipelinePitchTest, PitchOneIsTheChainWithoutAPitchStage) {
  AudioPipeline pipeline = MakePipeline({.voice_rate = kVoiceRate, .output_rate = kOutputRate});
  Result<AudioJoiner> joiner = AudioJoiner::Create({.sample_rate = kVoiceRate});
  Result<Resampler> resampler =
      Resampler::Create({.input_rate = kVoiceRate, .output_rate = kOutputRate});
  Result<LoudnessNormalizer> loudness = LoudnessNormalizer::Create({.sample_rate = kOutputRate});
  ASSERT_TRUE(joiner.ok() && resampler.ok() && loudness.ok());
  for (int chunk = 0; chunk < 3; ++chunk) {
    const bool last = chunk == 2;
    const PushedAudio got = pipeline.Push(LandmarkChunk(chunk), last, 40.0f, 0.8f, 1.0f);
    std::vector<float> resampled = resampler->Process(
        joiner->Push(LandmarkChunk(chunk), last, 40.0f, 0.8f).samples);
    if (last) Append(resampled, resampler->Flush());
    std::vector<float> expected = loudness->Process(resampled);
    if (last) Append(expected, loudness->Flush());
    EXPECT_EQ(got.samples, expected) << "chunk " << chunk;
  }
  EXPECT_EQ(pipeline.latency_samples(),
            MakePipeline({.voice_rate = kVoiceRate, .output_rate = kOutputRate, .pitch = 1.0f})
                .latency_samples());
}

// Pitch keeps duration and the timeline: the same origins, ends and length as
// without it, and each chunk's tone (after a pause, so its onset is visible)
// starts where its origin says, within the shifter's +-10 ms search.
TEST(AudioPipelinePitchTest, ShiftedChunksKeepTheirOriginsAndLength) {
  const double ratio = static_cast<double>(kOutputRate) / kVoiceRate;
  AudioPipeline plain =
      MakePipeline({.voice_rate = kVoiceRate, .output_rate = kOutputRate, .normalize = false});
  const PushedUtterance reference = PushLandmarks(plain, 4, 120.0f);
  for (float pitch : {0.5f, 0.8f, 1.25f, 2.0f}) {
    AudioPipeline pipeline = MakePipeline({.voice_rate = kVoiceRate,
                                           .output_rate = kOutputRate,
                                           .normalize = false,
                                           .pitch = pitch});
    EXPECT_GT(pipeline.latency_samples(), plain.latency_samples());
    const PushedUtterance out = PushLandmarks(pipeline, 4, 120.0f);
    EXPECT_EQ(out.origins, reference.origins) << pitch;
    EXPECT_EQ(out.ends, reference.ends) << pitch;
    ASSERT_EQ(out.audio.size(), reference.audio.size()) << pitch;
    for (size_t chunk = 0; chunk < out.origins.size(); ++chunk) {
      const double onset = out.origins[chunk] + kLeadingSilence * ratio;
      // From the middle of the 120 ms pause (the previous chunk's shifted tail may
      // reach a little past its end).
      long found = chunk == 0 ? 0 : std::lround(out.ends[chunk - 1] + 0.06 * kOutputRate);
      while (found < static_cast<long>(out.audio.size()) && std::fabs(out.audio[found]) < 0.02f) {
        ++found;
      }
      EXPECT_NEAR(found, onset, 0.015 * kOutputRate) << "pitch " << pitch << ", chunk " << chunk;
    }
    for (float x : out.audio) ASSERT_TRUE(std::isfinite(x));
  }
}

// The per-push pitch multiplies the config's; bad config values are named.
TEST(AudioPipelinePitchTest, PushPitchMultipliesTheDefault) {
  AudioPipeline doubled =
      MakePipeline({.voice_rate = kVoiceRate, .output_rate = kOutputRate, .pitch = 2.0f});
  AudioPipeline per_chunk = MakePipeline({.voice_rate = kVoiceRate, .output_rate = kOutputRate});
  AudioPipeline product =
      MakePipeline({.voice_rate = kVoiceRate, .output_rate = kOutputRate, .pitch = 4.0f});
  for (int chunk = 0; chunk < 2; ++chunk) {
    const std::vector<float> a = doubled.Push(LandmarkChunk(chunk), chunk == 1).samples;
    const std::vector<float> b =
        per_chunk.Push(LandmarkChunk(chunk), chunk == 1, 0.0f, 1.0f, 2.0f).samples;
    const std::vector<float> c =
        product.Push(LandmarkChunk(chunk), chunk == 1, 0.0f, 1.0f, 0.5f).samples;
    EXPECT_EQ(a, b) << chunk;
    EXPECT_EQ(a, c) << "4 x 0.5 = 2, chunk " << chunk;
  }
  for (float bad : {0.0f, -1.0f, std::nanf("")}) {
    const AudioPipelineConfig config{.pitch = bad};
    ASSERT_EQ(config.Validate().size(), 1u) << bad;
    EXPECT_NE(config.Validate().front().find("pitch"), std::string::npos);
  }
  EXPECT_NE(AudioPipelineConfig{.pitch = 1.5f}.ToString().find("pitch=1.5"), std::string::npos);
}

}  // namespace
}  // namespace voxlet
