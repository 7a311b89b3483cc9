#include "voxlet/audio_joiner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "voxlet/audio_common.h"

namespace voxlet {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr int kRate = 22050;

std::vector<float> Sine(double hz, size_t count, double amplitude, double phase = 0.0) {
  std::vector<float> out(count);
  for (size_t i = 0; i < count; ++i) {
    out[i] = static_cast<float>(amplitude * std::sin(2.0 * kPi * hz * i / kRate + phase));
  }
  return out;
}

std::vector<float> Concat(std::initializer_list<std::vector<float>> parts) {
  std::vector<float> out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

AudioJoiner MakeJoiner(AudioJoinerConfig config = {}) {
  Result<AudioJoiner> joiner = AudioJoiner::Create(config);
  EXPECT_TRUE(joiner.ok()) << joiner.status().ToString();
  return std::move(joiner).value();
}

void Append(std::vector<float>& out, const std::vector<float>& more) {
  out.insert(out.end(), more.begin(), more.end());
}

float MaxJump(const std::vector<float>& audio) {
  float jump = 0.0f;
  for (size_t i = 1; i < audio.size(); ++i) jump = std::max(jump, std::fabs(audio[i] - audio[i - 1]));
  return jump;
}

struct JoinRow {
  double hz;
  double phase_jump;  // phase of the second chunk's sine, radians
  CrossfadeShape shape;
};

// Two sine chunks whose raw concatenation steps (phase jump) join with no
// sample-to-sample jump above what the crossfade can add to the sine's own
// slope: A*w for the sine, plus A*pi/N (raised cosine: |dw| <= pi/2N on a
// difference of at most 2A) or sqrt2*A*pi/2N on top of sqrt2*A*w (equal power).
TEST(AudioJoinerTest, SineChunksJoinWithoutDiscontinuity) {
  const JoinRow rows[] = {{200.0, kPi, CrossfadeShape::kRaisedCosine},
                          {200.0, 0.5 * kPi, CrossfadeShape::kRaisedCosine},
                          {1000.0, kPi, CrossfadeShape::kRaisedCosine},
                          {200.0, kPi, CrossfadeShape::kEqualPower},
                          {3000.0, kPi, CrossfadeShape::kEqualPower}};
  for (const JoinRow& row : rows) {
    AudioJoiner joiner = MakeJoiner({.crossfade_shape = row.shape, .dc_cutoff_hz = 0.0f});
    const double amplitude = 0.8;
    // The first chunk ends on a crest; the second starts phase_jump off the
    // sine's continuation.
    const double step = 2.0 * kPi * row.hz / kRate;
    const std::vector<float> first = Sine(row.hz, 6000, amplitude, 0.5 * kPi - 5999 * step);
    const std::vector<float> second = Sine(row.hz, 6000, amplitude, 0.5 * kPi + step + row.phase_jump);
    std::vector<float> out = joiner.Push(first, false).samples;
    Append(out, joiner.Push(second, true).samples);

    const double slope = amplitude * 2.0 * kPi * row.hz / kRate;
    const double n = joiner.latency_samples();
    const double bound = row.shape == CrossfadeShape::kRaisedCosine
                             ? slope + amplitude * kPi / n
                             : std::sqrt(2.0) * (slope + amplitude * kPi / (2.0 * n));
    EXPECT_LE(MaxJump(out), bound + 1e-6) << row.hz << " Hz, phase " << row.phase_jump;
    EXPECT_GT(MaxJump(Concat({first, second})), bound) << "the raw join must step";
    EXPECT_EQ(out.size(), first.size() + second.size() - joiner.latency_samples());
  }
}

TEST(AudioJoinerTest, DcOffsetRemovedAcrossChunksWithoutSteps) {
  AudioJoiner joiner = MakeJoiner();
  std::vector<float> out;
  for (int chunk = 0; chunk < 4; ++chunk) {
    std::vector<float> audio = Sine(200.0, 4410, 0.5, chunk * 0.7);
    for (float& x : audio) x += 0.2f;
    Append(out, joiner.Push(audio, chunk == 3).samples);
  }
  double sum = 0.0;
  const size_t settle = 4410;  // 200 ms = 25 time constants of the 20 Hz high-pass
  for (size_t i = settle; i < out.size(); ++i) sum += out[i];
  EXPECT_LT(std::fabs(sum / (out.size() - settle)), 2e-3);
  // The offset is primed away at the start, so the first sample does not step.
  EXPECT_LT(std::fabs(out.front()), 0.01f);
}

TEST(AudioJoinerTest, PauseIsExactSilenceOfExactLength) {
  for (float pause_ms : {0.0f, 1.0f, 10.0f, 250.0f, 333.3f}) {
    AudioJoiner joiner = MakeJoiner();
    const std::vector<float> chunk = Sine(300.0, 3000, 0.5);
    const std::vector<float> head = joiner.Push(chunk, false, pause_ms).samples;
    const long pause = MsToSamples(pause_ms, kRate);
    if (pause == 0) {
      EXPECT_EQ(head.size(), chunk.size() - joiner.latency_samples());
      continue;
    }
    ASSERT_EQ(static_cast<long>(head.size()), static_cast<long>(chunk.size()) + pause) << pause_ms;
    EXPECT_NE(head[chunk.size() - 1], 0.0f);  // faded, not cut early
    for (long i = 0; i < pause; ++i) ASSERT_EQ(head[chunk.size() + i], 0.0f) << pause_ms;
    const std::vector<float> tail = joiner.Push(chunk, true).samples;
    EXPECT_EQ(tail.size(), chunk.size());
    EXPECT_NE(tail[1], 0.0f);  // tail[0] is 0: the high-pass restarts primed
  }
}

// A chunk whose speech has an internal quiet gap, with quiet noise around it:
// every sample from the first to the last one above the threshold comes out
// unchanged and contiguous, and only the margin of near-silence is kept.
TEST(AudioJoinerTest, TrimmingKeepsEverythingFromFirstToLastLoudSample) {
  const AudioJoinerConfig config{.dc_cutoff_hz = 0.0f};
  std::vector<float> noise(4000);
  for (size_t i = 0; i < noise.size(); ++i) noise[i] = (i % 7 == 0 ? 1e-4f : -5e-5f);
  const std::vector<float> gap(1100, 0.0f);  // 50 ms inside the speech
  const std::vector<float> speech = Concat({Sine(300.0, 2000, 0.6), gap, Sine(450.0, 1500, 0.4)});
  const std::vector<float> chunk = Concat({noise, speech, noise});
  const float threshold = PeakOf(chunk) * DbToGain(config.silence_threshold_db);
  size_t first = 0, last = chunk.size() - 1;
  while (std::fabs(chunk[first]) <= threshold) ++first;
  while (std::fabs(chunk[last]) <= threshold) --last;
  const std::vector<float> loud(chunk.begin() + first, chunk.begin() + last + 1);

  for (const char* position : {"alone", "middle"}) {
    AudioJoiner joiner = MakeJoiner(config);
    const bool middle = std::string(position) == "middle";
    std::vector<float> out;
    if (middle) Append(out, joiner.Push(Sine(200.0, 3000, 0.5), false).samples);
    Append(out, joiner.Push(chunk, !middle).samples);
    if (middle) Append(out, joiner.Push(Sine(200.0, 3000, 0.5), true).samples);

    const auto found = std::search(out.begin(), out.end(), loud.begin(), loud.end());
    ASSERT_NE(found, out.end()) << position << ": loud part changed or split";
    const long margin = MsToSamples(middle ? config.join_margin_ms : config.edge_margin_ms, kRate);
    const long kept = static_cast<long>(loud.size()) + 2 * margin;
    const long expected = middle ? 3000 + kept + 3000 - 2 * joiner.latency_samples() : kept;
    EXPECT_EQ(static_cast<long>(out.size()), expected) << position;
  }
}

TEST(AudioJoinerTest, AllSilentChunkAddsOnlyItsPause) {
  AudioJoiner joiner = MakeJoiner();
  const std::vector<float> speech = Sine(250.0, 2000, 0.5);
  std::vector<float> out = joiner.Push(speech, false).samples;
  Append(out, joiner.Push(std::vector<float>(5000, 0.0f), false).samples);
  Append(out, joiner.Push(std::vector<float>(5000, 1e-5f), false, 100.0f).samples);
  EXPECT_EQ(out.size(), speech.size() + MsToSamples(100.0, kRate));
}

TEST(AudioJoinerTest, GainChangesRampWithoutZipper) {
  AudioJoiner joiner = MakeJoiner({.dc_cutoff_hz = 0.0f});
  const double amplitude = 0.8, hz = 200.0;
  // One continuous sine split in two: any step would come from the gain.
  const std::vector<float> sine = Sine(hz, 8000, amplitude);
  const std::vector<float> a(sine.begin(), sine.begin() + 4000), b(sine.begin() + 4000, sine.end());
  std::vector<float> out = joiner.Push(a, false, 0.0f, 1.0f).samples;
  Append(out, joiner.Push(b, true, 0.0f, 0.25f).samples);
  const long ramp = MsToSamples(10.0, kRate);
  const double bound = amplitude * 2.0 * kPi * hz / kRate + amplitude * 0.75 / ramp + 1e-6;
  EXPECT_LE(MaxJump(out), bound);
  const std::vector<float> late(out.end() - 2000, out.end() - 200);
  EXPECT_NEAR(PeakOf(late), 0.25 * amplitude, 0.01);
}

TEST(AudioJoinerTest, EmptyAndOneSampleChunks) {
  AudioJoiner joiner = MakeJoiner();
  EXPECT_TRUE(joiner.Push({}, false).samples.empty());
  EXPECT_TRUE(joiner.Push(std::vector<float>{0.5f}, false).samples.empty());  // held back
  const std::vector<float> speech = Sine(300.0, 3000, 0.5);
  std::vector<float> out = joiner.Push(speech, false).samples;
  Append(out, joiner.Push(std::vector<float>{0.3f}, false).samples);
  Append(out, joiner.Push({}, true).samples);  // an empty last chunk flushes the tail
  ASSERT_FALSE(out.empty());
  for (float x : out) ASSERT_TRUE(std::isfinite(x));
  EXPECT_LT(std::fabs(out.back()), 0.01f);  // faded out
  EXPECT_TRUE(joiner.Push({}, true).samples.empty());
  // One sample alone is indistinguishable from a DC offset: silence.
  EXPECT_TRUE(joiner.Push(std::vector<float>{0.5f}, true).samples.empty());
  AudioJoiner no_dc = MakeJoiner({.dc_cutoff_hz = 0.0f});
  EXPECT_EQ(no_dc.Push(std::vector<float>{0.5f}, true).samples.size(), 1u);
}

TEST(AudioJoinerTest, VeryLongChunkPassesThroughWhole) {
  AudioJoiner joiner = MakeJoiner();
  const std::vector<float> speech = Sine(220.0, 60 * kRate, 0.5);  // one minute
  const std::vector<float> out = joiner.Push(speech, true).samples;
  EXPECT_EQ(out.size(), speech.size());
  EXPECT_LE(PeakOf(out), 0.5f * 1.05f);  // the high-pass's start transient
}

TEST(AudioJoinerTest, NonFiniteAndHugeInputAndArgumentsAreSanitized) {
  AudioJoiner joiner = MakeJoiner();
  std::vector<float> bad = Sine(300.0, 3000, 0.5);
  bad[10] = std::numeric_limits<float>::quiet_NaN();
  bad[500] = std::numeric_limits<float>::infinity();
  bad[900] = -1e30f;
  std::vector<float> out = joiner.Push(bad, false, std::nanf(""), std::nanf("")).samples;
  Append(out, joiner.Push(bad, false, -50.0f, std::numeric_limits<float>::infinity()).samples);
  Append(out, joiner.Push(bad, false, std::numeric_limits<float>::infinity(), 1e9f).samples);
  Append(out, joiner.Push(bad, true, 0.0f, -3.0f).samples);
  ASSERT_FALSE(out.empty());
  for (float x : out) {
    ASSERT_TRUE(std::isfinite(x));
    ASSERT_LE(std::fabs(x), 2.0f * kMaxSampleMagnitude * kMaxChunkGain);
  }
}

TEST(AudioJoinerTest, EachUtteranceStartsFresh) {
  AudioJoiner joiner = MakeJoiner();
  const std::vector<float> chunk = Sine(300.0, 3000, 0.5, 0.2);
  std::vector<float> first = joiner.Push(chunk, false, 0.0f, 0.5f).samples;
  Append(first, joiner.Push(chunk, true).samples);
  std::vector<float> second = joiner.Push(chunk, false, 0.0f, 0.5f).samples;
  Append(second, joiner.Push(chunk, true).samples);
  EXPECT_EQ(first, second);
  joiner.Push(chunk, false);
  joiner.Reset();
  EXPECT_EQ(joiner.Push(chunk, true).samples, MakeJoiner().Push(chunk, true).samples);
}

// Exact-copy settings for the timeline tests: no fades or high-pass, so every
// kept input sample comes out unchanged (times the gain) at origin + k.
AudioJoinerConfig PlainConfig() { return {.edge_fade_ms = 0.0f, .dc_cutoff_hz = 0.0f}; }

// Asserts the chunk's samples [from, to) are at out[origin + k], times gain.
void ExpectChunkAt(const std::vector<float>& out, const std::vector<float>& chunk, double origin,
                   size_t from, size_t to, float gain = 1.0f) {
  ASSERT_EQ(origin, std::floor(origin)) << "a joiner origin is a whole sample";
  for (size_t k = from; k < to; ++k) {
    const long at = static_cast<long>(origin) + static_cast<long>(k);
    ASSERT_GE(at, 0);
    ASSERT_LT(at, static_cast<long>(out.size()));
    ASSERT_FLOAT_EQ(out[at], chunk[k] * gain) << "input sample " << k;
  }
}

// 100 ms of leading silence is trimmed to the 40 ms edge margin, so input
// sample 0 lies 60 ms before the output's start.
TEST(AudioJoinerTest, OriginAccountsForTrimmedLeadingSilence) {
  AudioJoiner joiner = MakeJoiner(PlainConfig());
  const long silence = MsToSamples(100.0, kRate), margin = MsToSamples(40.0, kRate);
  const std::vector<float> chunk =
      Concat({std::vector<float>(silence, 0.0f), Sine(300.0, 4000, 0.5, 0.5 * kPi)});
  const PushedAudio pushed = joiner.Push(chunk, true);
  EXPECT_EQ(pushed.chunk_origin, static_cast<double>(margin - silence));
  EXPECT_EQ(pushed.chunk_end, static_cast<double>(margin + 4000));
  EXPECT_EQ(static_cast<long>(pushed.samples.size()), margin + 4000);
  ExpectChunkAt(pushed.samples, chunk, pushed.chunk_origin, silence - margin, chunk.size());
}

// A second chunk's leading silence is trimmed to the 10 ms join margin and
// that margin is crossfaded with the first chunk's held tail: its speech
// starts right where the first chunk's audio ended.
TEST(AudioJoinerTest, OriginOfAJoinedChunkAccountsForTrimAndCrossfade) {
  AudioJoiner joiner = MakeJoiner(PlainConfig());
  const std::vector<float> first = Sine(200.0, 6000, 0.5, 0.5 * kPi);
  const long silence = MsToSamples(100.0, kRate);
  const std::vector<float> second =
      Concat({std::vector<float>(silence, 0.0f), Sine(300.0, 4000, 0.5, 0.5 * kPi)});
  const PushedAudio a = joiner.Push(first, false);
  const PushedAudio b = joiner.Push(second, true);
  EXPECT_EQ(a.chunk_origin, 0.0);
  EXPECT_EQ(b.chunk_origin, static_cast<double>(6000 - silence));
  EXPECT_EQ(a.chunk_end, 6000.0);
  EXPECT_EQ(b.chunk_end, 10000.0);
  const std::vector<float> out = Concat({a.samples, b.samples});
  EXPECT_EQ(out.size(), 10000u) << "the timeline ends with the second chunk's last sample";
  ExpectChunkAt(out, first, a.chunk_origin, 0, first.size() - joiner.latency_samples());
  ExpectChunkAt(out, second, b.chunk_origin, silence, second.size());
}

// After a pause nothing is held back: the next chunk starts after the pause's
// exact silence. Gains do not move anything. Each utterance restarts at 0.
TEST(AudioJoinerTest, OriginsAfterPausesAndAcrossUtterances) {
  AudioJoiner joiner = MakeJoiner(PlainConfig());
  const std::vector<float> chunk = Sine(250.0, 3000, 0.5, 0.5 * kPi);
  const long pause = MsToSamples(100.0, kRate);
  const PushedAudio a = joiner.Push(chunk, false, 100.0f, 0.5f);
  const PushedAudio b = joiner.Push(chunk, false, 0.0f, 2.0f);
  const PushedAudio silent = joiner.Push(std::vector<float>(500, 0.0f), false);
  const PushedAudio c = joiner.Push(chunk, true);
  EXPECT_EQ(b.chunk_origin, static_cast<double>(3000 + pause));
  EXPECT_EQ(silent.chunk_origin, static_cast<double>(3000 + pause + 3000));
  EXPECT_EQ(a.chunk_end, 3000.0) << "the pause follows the chunk's end";
  EXPECT_EQ(silent.chunk_end, silent.chunk_origin) << "nothing kept";
  EXPECT_EQ(c.chunk_origin, static_cast<double>(3000 + pause + 3000 - joiner.latency_samples()));
  const std::vector<float> out = Concat({a.samples, b.samples, silent.samples, c.samples});
  EXPECT_EQ(static_cast<double>(out.size()), c.chunk_origin + chunk.size());
  ExpectChunkAt(out, chunk, a.chunk_origin, 0, 3000, 0.5f);
  // After a pause the gain applies at once (nothing to ramp from).
  ExpectChunkAt(out, chunk, b.chunk_origin, 0, 3000 - joiner.latency_samples(), 2.0f);
  EXPECT_EQ(joiner.Push(chunk, true).chunk_origin, 0.0);
}

TEST(AudioJoinerTest, RejectsBadConfigsWithEveryProblem) {
  AudioJoinerConfig bad;
  bad.sample_rate = 10;
  bad.crossfade_ms = -1.0f;
  bad.dc_cutoff_hz = std::nanf("");
  EXPECT_EQ(bad.Validate().size(), 3u);
  Result<AudioJoiner> made = AudioJoiner::Create(bad);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().code(), StatusCode::kInvalidConfig);
  EXPECT_NE(made.status().message().find("crossfade_ms"), std::string::npos);
  EXPECT_TRUE(AudioJoinerConfig{}.Validate().empty());
  EXPECT_NE(AudioJoinerConfig{}.ToString().find("raised_cosine"), std::string::npos);
}

}  // namespace
}  // namespace voxlet
