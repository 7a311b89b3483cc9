// PitchShifter: pitch moves by the factor, duration, level and timing stay,
// factor 1 is an exact bypass, streaming in any split gives the same output.
#include "voxlet/audio_pitch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <span>
#include <vector>

namespace voxlet {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr int kRate = 22050;

// A voiced-speech-like harmonic tone: f0 and 4 overtones falling 1/h, peak
// about `amplitude`.
std::vector<float> Harmonic(double f0, double seconds, double amplitude = 0.5) {
  std::vector<float> out(static_cast<size_t>(seconds * kRate));
  for (size_t i = 0; i < out.size(); ++i) {
    double x = 0.0;
    for (int h = 1; h <= 5; ++h) x += std::sin(2.0 * kPi * f0 * h * i / kRate + 0.3 * h) / h;
    out[i] = static_cast<float>(amplitude * x / 1.6);
  }
  return out;
}

PitchShifter MakeShifter(PitchShifterConfig config = {}) {
  Result<PitchShifter> made = PitchShifter::Create(config);
  EXPECT_TRUE(made.ok()) << made.status().ToString();
  return std::move(made).value();
}

// Pushes `input` in pieces of the given sizes (the rest as one last piece),
// all at `factor`, then flushes.
std::vector<float> Shift(PitchShifter &shifter, std::span<const float> input, double factor,
                         const std::vector<size_t> &pieces = {}) {
  std::vector<float> out;
  size_t at = 0;
  for (size_t piece : pieces) {
    piece = std::min(piece, input.size() - at);
    const std::vector<float> got = shifter.Process(input.subspan(at, piece), factor);
    out.insert(out.end(), got.begin(), got.end());
    at += piece;
  }
  const std::vector<float> got = shifter.Process(input.subspan(at), factor);
  out.insert(out.end(), got.begin(), got.end());
  const std::vector<float> tail = shifter.Flush();
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

// f0 by normalized autocorrelation: the first lag (60 Hz .. 1 kHz) whose
// correlation is within 10 % of the best, refined by a parabola.
double MeasureF0(std::span<const float> audio) {
  const int min_lag = kRate / 1000, max_lag = kRate / 60;
  const size_t length = audio.size() - max_lag - 1;
  std::vector<double> r(max_lag + 2, 0.0);
  for (int lag = min_lag - 1; lag <= max_lag + 1; ++lag) {
    double dot = 0.0, e0 = 0.0, e1 = 0.0;
    for (size_t i = 0; i < length; ++i) {
      dot += audio[i] * audio[i + lag];
      e0 += audio[i] * audio[i];
      e1 += audio[i + lag] * audio[i + lag];
    }
    r[lag] = dot / std::sqrt(e0 * e1 + 1e-30);
  }
  const double best = *std::max_element(r.begin() + min_lag, r.begin() + max_lag + 1);
  for (int lag = min_lag; lag <= max_lag; ++lag) {
    if (r[lag] >= 0.9 * best && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) {
      const double a = r[lag - 1], b = r[lag], c = r[lag + 1];
      const double denominator = a - 2.0 * b + c;
      const double offset = denominator != 0.0 ? 0.5 * (a - c) / denominator : 0.0;
      return kRate / (lag + offset);
    }
  }
  return 0.0;
}

double Rms(std::span<const float> audio) {
  double sum = 0.0;
  for (float x : audio) sum += static_cast<double>(x) * x;
  return std::sqrt(sum / std::max<size_t>(1, audio.size()));
}

float MaxStep(std::span<const float> audio) {
  float step = 0.0f;
  for (size_t i = 1; i < audio.size(); ++i) step = std::max(step, std::fabs(audio[i] - audio[i - 1]));
  return step;
}

// The steady middle: 0.2 s in from each end.
std::span<const float> Steady(const std::vector<float> &audio) {
  const size_t margin = kRate / 5;
  return std::span<const float>(audio).subspan(margin, audio.size() - 2 * margin);
}

struct ShiftCase {
  double f0;
  double factor;
};

// The table of the issue: 0.5, 0.8, 1.25 and 2 at two fundamentals.
TEST(PitchShifterTest, ShiftsF0KeepsLengthLevelAndRange) {
  const ShiftCase cases[] = {{150, 0.5}, {150, 0.8}, {150, 1.25}, {150, 2.0},
                             {220, 0.5}, {220, 0.8}, {220, 1.25}, {220, 2.0}};
  for (const ShiftCase &c : cases) {
    PitchShifter shifter = MakeShifter();
    const std::vector<float> input = Harmonic(c.f0, 1.5);
    const std::vector<float> out = Shift(shifter, input, c.factor, {3000, 3000});
    ASSERT_EQ(out.size(), input.size()) << "factor " << c.factor;
    const double f0 = MeasureF0(Steady(out));
    const double expected = c.f0 * c.factor;
    EXPECT_NEAR(f0, expected, 0.02 * expected) << "f0 " << c.f0 << ", factor " << c.factor;
    const double level_db = 20.0 * std::log10(Rms(Steady(out)) / Rms(Steady(input)));
    EXPECT_NEAR(level_db, 0.0, 1.0) << "f0 " << c.f0 << ", factor " << c.factor;
    float peak = 0.0f;
    for (float x : out) {
      ASSERT_TRUE(std::isfinite(x));
      peak = std::max(peak, std::fabs(x));
    }
    EXPECT_LT(peak, 1.0f) << "factor " << c.factor;
    // No seams between frames: no step beyond twice the ideal shifted tone's.
    EXPECT_LE(MaxStep(Steady(out)), 2.0 * c.factor * MaxStep(input)) << "factor " << c.factor;
    std::printf("  f0 %.0f x %.2f: measured %.2f Hz (%+.2f %%), level %+.2f dB\n", c.f0,
                c.factor, f0, 100.0 * (f0 / expected - 1.0), level_db);
  }
}

// Factor 1 is the input itself, however it is split, with no delay.
TEST(PitchShifterTest, FactorOneIsAnExactBypass) {
  PitchShifter shifter = MakeShifter();
  const std::vector<float> input = Harmonic(180, 0.5);
  std::vector<float> out;
  for (size_t at = 0; at < input.size(); at += 777) {
    const size_t piece = std::min<size_t>(777, input.size() - at);
    const std::vector<float> got =
        shifter.Process(std::span<const float>(input).subspan(at, piece), 1.0);
    EXPECT_EQ(got.size(), piece) << "no samples held back";
    out.insert(out.end(), got.begin(), got.end());
  }
  EXPECT_TRUE(shifter.Flush().empty());
  EXPECT_EQ(out, input);
  EXPECT_EQ(shifter.latency_samples(1.0), 0);
  // NaN, infinities and non-positive factors mean 1.
  for (double factor : {std::nan(""), HUGE_VAL, 0.0, -2.0}) {
    EXPECT_EQ(Shift(shifter, input, factor), input) << factor;
  }
}

TEST(PitchShifterTest, FactorsAreClampedToAnOctave) {
  EXPECT_EQ(ClampPitchFactor(3.0), kMaxPitchFactor);
  EXPECT_EQ(ClampPitchFactor(0.1), kMinPitchFactor);
  EXPECT_EQ(ClampPitchFactor(1.3), 1.3f);
  EXPECT_EQ(ClampPitchFactor(std::nan("")), 1.0f);
  EXPECT_EQ(ClampPitchFactor(0.0), 1.0f);
  PitchShifter shifter = MakeShifter();
  const std::vector<float> out = Shift(shifter, Harmonic(150, 1.0), 5.0);
  EXPECT_NEAR(MeasureF0(Steady(out)), 300.0, 6.0) << "5 is clamped to 2";
}

// One push or seven uneven ones: the same output (state carries across).
TEST(PitchShifterTest, StreamingInAnySplitGivesTheOneGoResult) {
  const std::vector<float> input = Harmonic(170, 1.2);
  for (double factor : {0.5, 0.8, 1.25, 2.0}) {
    PitchShifter shifter = MakeShifter();
    const std::vector<float> whole = Shift(shifter, input, factor);
    const std::vector<float> split =
        Shift(shifter, input, factor, {1, 4000, 37, 5000, 0, 2900});  // + the rest: 7 pushes
    ASSERT_EQ(split.size(), whole.size());
    float difference = 0.0f;
    for (size_t i = 0; i < whole.size(); ++i) {
      difference = std::max(difference, std::fabs(whole[i] - split[i]));
    }
    EXPECT_LE(difference, 1e-6f) << "factor " << factor;
    EXPECT_LE(MaxStep(Steady(split)), 2.0 * factor * MaxStep(input)) << "factor " << factor;
  }
}

// Process never holds back more than latency_samples(factor).
TEST(PitchShifterTest, HeldBackSamplesStayWithinTheLatency) {
  const std::vector<float> input = Harmonic(140, 1.0);
  for (double factor : {0.5, 0.8, 1.25, 2.0}) {
    PitchShifter shifter = MakeShifter();
    size_t in = 0, out = 0, most = 0;
    for (size_t at = 0; at < input.size(); at += 64) {
      const size_t piece = std::min<size_t>(64, input.size() - at);
      out += shifter.Process(std::span<const float>(input).subspan(at, piece), factor).size();
      in += piece;
      most = std::max(most, in - out);
    }
    out += shifter.Flush().size();
    EXPECT_EQ(out, in);
    EXPECT_LE(most, static_cast<size_t>(shifter.latency_samples(factor))) << factor;
    std::printf("  factor %.2f: held back at most %zu samples (%.1f ms), bound %d\n", factor,
                most, 1000.0 * most / kRate, shifter.latency_samples(factor));
  }
}

// A tone burst between silences starts and ends where it did: duration is
// kept and the timeline does not move (word timings rely on it).
TEST(PitchShifterTest, BurstOnsetAndOffsetStayInPlace) {
  const size_t silence = kRate * 3 / 10;
  std::vector<float> input(silence, 0.0f);
  const std::vector<float> tone = Harmonic(160, 0.8);
  input.insert(input.end(), tone.begin(), tone.end());
  input.insert(input.end(), silence, 0.0f);
  const auto edges = [](const std::vector<float> &audio) {
    const float threshold = 0.1f * *std::max_element(audio.begin(), audio.end());
    const auto first = std::find_if(audio.begin(), audio.end(),
                                    [&](float x) { return std::fabs(x) > threshold; });
    const auto last = std::find_if(audio.rbegin(), audio.rend(),
                                   [&](float x) { return std::fabs(x) > threshold; });
    return std::pair<long, long>(first - audio.begin(), audio.rend() - last);
  };
  const auto [onset, offset] = edges(input);
  for (double factor : {0.5, 0.8, 1.25, 2.0}) {
    PitchShifter shifter = MakeShifter();
    const std::vector<float> out = Shift(shifter, input, factor, {5000, 5000});
    ASSERT_EQ(out.size(), input.size());
    const auto [out_onset, out_offset] = edges(out);
    const long tolerance = kRate * 15 / 1000;  // the +-10 ms search and a period
    EXPECT_NEAR(out_onset, onset, tolerance) << "factor " << factor;
    EXPECT_NEAR(out_offset, offset, tolerance) << "factor " << factor;
    const double duration_error = std::fabs(static_cast<double>(out_offset - out_onset) /
                                                (offset - onset) - 1.0);
    EXPECT_LE(duration_error, 0.03) << "factor " << factor;
    std::printf("  factor %.2f: onset %+.1f ms, offset %+.1f ms\n", factor,
                1000.0 * (out_onset - onset) / kRate, 1000.0 * (out_offset - offset) / kRate);
  }
}

// Per-chunk factors (SSML): bypass first, then shifting from that point on,
// then back to 1: every sample before the first change is the input's, and
// the changes do not click.
TEST(PitchShifterTest, FactorChangesBetweenPushesAreSeamless) {
  const std::vector<float> input = Harmonic(150, 2.0);
  const std::span<const float> all(input);
  const size_t pieces[] = {7000, 9000, 8000, 20100};
  const double factors[] = {1.0, 1.5, 0.7, 1.0};
  PitchShifter shifter = MakeShifter();
  std::vector<float> out;
  size_t at = 0;
  for (int i = 0; i < 4; ++i) {
    const std::vector<float> got = shifter.Process(all.subspan(at, pieces[i]), factors[i]);
    if (i == 0) EXPECT_EQ(got, std::vector<float>(input.begin(), input.begin() + 7000));
    out.insert(out.end(), got.begin(), got.end());
    at += pieces[i];
    EXPECT_TRUE(shifter.active() || i == 0);
  }
  const std::vector<float> tail = shifter.Flush();
  out.insert(out.end(), tail.begin(), tail.end());
  ASSERT_EQ(out.size(), input.size());
  // (Not the last 30 ms: the input stops dead there, which moves by the search.)
  EXPECT_LE(MaxStep(std::span<const float>(out).first(out.size() - 660)),
            2.0 * 1.5 * MaxStep(input));
  EXPECT_NEAR(MeasureF0(std::span<const float>(out).subspan(7000 + 2000, 5000)), 225.0, 4.5);
  EXPECT_NEAR(MeasureF0(std::span<const float>(out).subspan(16000 + 2000, 5000)), 105.0, 2.1);
  EXPECT_NEAR(MeasureF0(std::span<const float>(out).subspan(24000 + 2000, 5000)), 150.0, 3.0);
  EXPECT_FALSE(shifter.active()) << "Flush resets to bypass";
}

TEST(PitchShifterTest, DegenerateInputs) {
  PitchShifter shifter = MakeShifter();
  EXPECT_TRUE(shifter.Process({}, 1.5).empty());
  EXPECT_TRUE(shifter.Flush().empty());
  EXPECT_TRUE(shifter.Flush().empty());

  const float one[] = {0.5f};
  std::vector<float> out = shifter.Process(one, 1.5);
  const std::vector<float> tail = shifter.Flush();
  out.insert(out.end(), tail.begin(), tail.end());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(std::isfinite(out[0]));

  const std::vector<float> silence(5000, 0.0f);
  EXPECT_EQ(Shift(shifter, silence, 0.6, {100}), silence) << "silence stays exact zeros";

  std::vector<float> broken = Harmonic(150, 0.3);
  broken[100] = std::numeric_limits<float>::quiet_NaN();
  broken[2000] = std::numeric_limits<float>::infinity();
  broken[3000] = 1e30f;
  const std::vector<float> shifted = Shift(shifter, broken, 1.7, {2500});
  ASSERT_EQ(shifted.size(), broken.size());
  for (float x : shifted) ASSERT_TRUE(std::isfinite(x) && std::fabs(x) <= 16.0f);
}

TEST(PitchShifterTest, ConfigValidationNamesEachProblem) {
  EXPECT_TRUE(PitchShifterConfig{}.Validate().empty());
  const PitchShifterConfig bad{.sample_rate = 5, .frame_ms = 0.0f, .search_ms = -1.0f,
                               .zero_crossings = 1, .kaiser_beta = std::nanf("")};
  const std::vector<std::string> problems = bad.Validate();
  EXPECT_EQ(problems.size(), 5u);
  EXPECT_FALSE(PitchShifter::Create(bad).ok());
  EXPECT_NE(PitchShifterConfig{}.ToString().find("frame_ms=25"), std::string::npos);
  EXPECT_EQ(MakeShifter().hop_samples(), 276);
  EXPECT_EQ(MakeShifter().search_samples(), 221);
}

}  // namespace
}  // namespace voxlet
