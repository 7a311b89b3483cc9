#include "voxlet/audio_resampler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <vector>

namespace voxlet {
namespace {

constexpr double kPi = std::numbers::pi;

std::vector<float> Sine(double hz, int rate, size_t count, double amplitude = 0.5) {
  std::vector<float> out(count);
  for (size_t i = 0; i < count; ++i) {
    out[i] = static_cast<float>(amplitude * std::sin(2.0 * kPi * hz * i / rate + 0.3));
  }
  return out;
}

Resampler Make(int in, int out) {
  Result<Resampler> resampler = Resampler::Create({.input_rate = in, .output_rate = out});
  EXPECT_TRUE(resampler.ok()) << resampler.status().ToString();
  return std::move(resampler).value();
}

std::vector<float> ResampleAll(Resampler& resampler, const std::vector<float>& input) {
  std::vector<float> out = resampler.Process(input);
  std::vector<float> tail = resampler.Flush();
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

// Least-squares fit of a sine at `hz` to y[begin, end): returns the fitted
// amplitude and the RMS of what is left after subtracting it.
struct SineFit {
  double amplitude = 0.0;
  double residual_rms = 0.0;
};

SineFit FitSine(const std::vector<float>& y, double hz, int rate, size_t begin, size_t end) {
  const double w = 2.0 * kPi * hz / rate;
  double ss = 0, sc = 0, cc = 0, ys = 0, yc = 0;
  for (size_t n = begin; n < end; ++n) {
    const double s = std::sin(w * n), c = std::cos(w * n);
    ss += s * s; sc += s * c; cc += c * c; ys += y[n] * s; yc += y[n] * c;
  }
  const double det = ss * cc - sc * sc;
  const double a = (ys * cc - yc * sc) / det, b = (yc * ss - ys * sc) / det;
  double residual = 0.0;
  for (size_t n = begin; n < end; ++n) {
    const double e = y[n] - a * std::sin(w * n) - b * std::cos(w * n);
    residual += e * e;
  }
  return {std::hypot(a, b), std::sqrt(residual / (end - begin))};
}

double Db(double ratio) { return 20.0 * std::log10(std::max(ratio, 1e-30)); }

struct Ratio {
  int in;
  int out;
};

const Ratio kRatios[] = {{22050, 48000}, {22050, 44100}, {22050, 16000}, {22050, 24000},
                         {24000, 48000}, {16000, 22050}, {48000, 22050}, {44100, 48000},
                         {22050, 8000}};

TEST(ResamplerTest, ReducesRatiosAndYieldsCeilNTimesRatioSamples) {
  struct Row {
    int in, out, up, down;
  };
  for (const Row& row : {Row{22050, 48000, 320, 147}, Row{22050, 44100, 2, 1},
                         Row{22050, 16000, 320, 441}, Row{22050, 24000, 160, 147},
                         Row{24000, 48000, 2, 1}, Row{48000, 22050, 147, 320}}) {
    Resampler resampler = Make(row.in, row.out);
    EXPECT_EQ(resampler.interpolation(), row.up) << row.in << "->" << row.out;
    EXPECT_EQ(resampler.decimation(), row.down) << row.in << "->" << row.out;
    for (size_t count : {0u, 1u, 2u, 147u, 1000u, 22050u}) {
      const std::vector<float> out = ResampleAll(resampler, std::vector<float>(count, 0.1f));
      const size_t expected = (count * row.up + row.down - 1) / row.down;
      EXPECT_EQ(out.size(), expected) << row.in << "->" << row.out << " n=" << count;
    }
  }
}

TEST(ResamplerTest, RandomPiecesEqualOneGoSampleForSample) {
  std::mt19937 random(7);
  for (const Ratio& ratio : kRatios) {
    const std::vector<float> input = Sine(440.0, ratio.in, 20000);
    Resampler whole = Make(ratio.in, ratio.out);
    const std::vector<float> expected = ResampleAll(whole, input);

    Resampler pieces = Make(ratio.in, ratio.out);
    std::vector<float> got;
    for (size_t at = 0; at < input.size();) {
      const size_t size = std::min<size_t>(input.size() - at, random() % 700);  // 0 included
      const std::vector<float> piece(input.begin() + at, input.begin() + at + size);
      const std::vector<float> out = pieces.Process(piece);
      got.insert(got.end(), out.begin(), out.end());
      at += size;
    }
    const std::vector<float> tail = pieces.Flush();
    got.insert(got.end(), tail.begin(), tail.end());

    ASSERT_EQ(got.size(), expected.size()) << ratio.in << "->" << ratio.out;
    float worst = 0.0f;
    for (size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::fabs(got[i] - expected[i]));
    EXPECT_LE(worst, 1e-6f) << ratio.in << "->" << ratio.out;
  }
}

TEST(ResamplerTest, FlushResetsForTheNextStream) {
  Resampler resampler = Make(22050, 48000);
  const std::vector<float> input = Sine(300.0, 22050, 5000);
  const std::vector<float> first = ResampleAll(resampler, input);
  const std::vector<float> second = ResampleAll(resampler, input);
  EXPECT_EQ(first, second);
}

// Passband: sines up to 98% of the design's passband edge come out with their
// amplitude within 0.02 dB. Stopband: what is left after removing the fitted
// sine (images when upsampling, aliases when downsampling) is at least 70 dB
// below it; sines between the lower Nyquist and the input Nyquist (only
// present when downsampling) come out at least 70 dB down.
TEST(ResamplerTest, SineSweepPassbandFlatAndStopbandBelowMinus70Db) {
  for (const Ratio& ratio : kRatios) {
    Resampler resampler = Make(ratio.in, ratio.out);
    const double edge = resampler.passband_edge_hz();
    const size_t count = static_cast<size_t>(ratio.in) / 2;  // 0.5 s
    double worst_ripple_db = 0.0, worst_spurious_db = -300.0, worst_stopband_db = -300.0;
    for (double hz = 50.0; hz <= 0.98 * edge; hz += 0.98 * edge / 37.0) {
      const std::vector<float> out = ResampleAll(resampler, Sine(hz, ratio.in, count));
      const size_t margin = 4 * static_cast<size_t>(resampler.taps_per_phase()) * ratio.out / ratio.in;
      const SineFit fit = FitSine(out, hz, ratio.out, margin, out.size() - margin);
      worst_ripple_db = std::max(worst_ripple_db, std::fabs(Db(fit.amplitude / 0.5)));
      worst_spurious_db = std::max(worst_spurious_db, Db(fit.residual_rms / (0.5 / std::sqrt(2.0))));
    }
    for (double hz = resampler.stopband_edge_hz(); hz < 0.5 * ratio.in; hz += 97.0) {
      const std::vector<float> out = ResampleAll(resampler, Sine(hz, ratio.in, count));
      const size_t margin = 4 * static_cast<size_t>(resampler.taps_per_phase());
      double energy = 0.0;
      for (size_t n = margin; n + margin < out.size(); ++n) energy += double(out[n]) * out[n];
      const double rms = std::sqrt(energy / (out.size() - 2 * margin));
      worst_stopband_db = std::max(worst_stopband_db, Db(rms / (0.5 / std::sqrt(2.0))));
    }
    EXPECT_LE(worst_ripple_db, 0.02) << ratio.in << "->" << ratio.out;
    EXPECT_LE(worst_spurious_db, -70.0) << ratio.in << "->" << ratio.out;
    EXPECT_LE(worst_stopband_db, -70.0) << ratio.in << "->" << ratio.out;
    std::printf("[ measured ] %d->%d Hz: L/M=%d/%d taps/phase=%d passband 0-%.0f Hz ripple %.4f dB, "
                "images/aliases %.1f dB, stopband (downsampling) %.1f dB\n",
                ratio.in, ratio.out, resampler.interpolation(), resampler.decimation(),
                resampler.taps_per_phase(), edge, worst_ripple_db, worst_spurious_db,
                ratio.in > ratio.out ? worst_stopband_db : 0.0);
  }
}

TEST(ResamplerTest, ConstantStaysConstant) {
  for (const Ratio& ratio : kRatios) {
    Resampler resampler = Make(ratio.in, ratio.out);
    const std::vector<float> out = ResampleAll(resampler, std::vector<float>(8000, 0.25f));
    for (size_t n = 200; n + 200 < out.size(); ++n) {
      ASSERT_NEAR(out[n], 0.25f, 1e-6f) << ratio.in << "->" << ratio.out << " at " << n;
    }
  }
}

TEST(ResamplerTest, EqualRatesPassThrough) {
  Resampler resampler = Make(22050, 22050);
  const std::vector<float> input = Sine(1000.0, 22050, 1234);
  EXPECT_EQ(ResampleAll(resampler, input), input);
}

TEST(ResamplerTest, NonFiniteAndHugeInputGiveFiniteBoundedOutput) {
  Resampler resampler = Make(22050, 48000);
  std::vector<float> input = Sine(200.0, 22050, 4000);
  input[100] = std::numeric_limits<float>::quiet_NaN();
  input[900] = std::numeric_limits<float>::infinity();
  input[1500] = -std::numeric_limits<float>::infinity();
  input[2000] = 1e30f;
  for (float x : ResampleAll(resampler, input)) {
    ASSERT_TRUE(std::isfinite(x));
    ASSERT_LE(std::fabs(x), 10.0f);  // clamp at 8 plus sinc overshoot
  }
}

TEST(ResamplerTest, OneSamplePiecesAndEmptyPieces) {
  const std::vector<float> input = Sine(500.0, 24000, 300);
  Resampler whole = Make(24000, 48000);
  const std::vector<float> expected = ResampleAll(whole, input);
  Resampler pieces = Make(24000, 48000);
  std::vector<float> got;
  for (float x : input) {
    std::vector<float> out = pieces.Process(std::vector<float>{x});
    got.insert(got.end(), out.begin(), out.end());
    EXPECT_TRUE(pieces.Process({}).empty());
  }
  std::vector<float> tail = pieces.Flush();
  got.insert(got.end(), tail.begin(), tail.end());
  EXPECT_EQ(got, expected);
}

TEST(ResamplerTest, RejectsBadConfigsWithEveryProblem) {
  ResamplerConfig bad{.input_rate = 0, .output_rate = 1000000, .zero_crossings = 2,
                      .kaiser_beta = std::nanf("")};
  EXPECT_EQ(bad.Validate().size(), 4u);
  Result<Resampler> made = Resampler::Create(bad);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.status().code(), StatusCode::kInvalidConfig);
  EXPECT_NE(made.status().message().find("input_rate"), std::string::npos);

  const std::vector<std::string> complex =
      ResamplerConfig{.input_rate = 22050, .output_rate = 47993}.Validate();
  ASSERT_EQ(complex.size(), 1u);
  EXPECT_NE(complex[0].find("filter phases"), std::string::npos) << complex[0];
  EXPECT_TRUE(ResamplerConfig{}.Validate().empty());
}

// Ten seconds of 22,050 Hz audio to 48 kHz must take well under real time even
// under sanitizers; the measured rate is printed for docs/audio.md.
TEST(ResamplerTest, ThroughputFarAboveRealTime) {
  Resampler resampler = Make(22050, 48000);
  const std::vector<float> input = Sine(300.0, 22050, 220500);
  const auto start = std::chrono::steady_clock::now();
  const std::vector<float> out = ResampleAll(resampler, input);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(out.size(), 480000u);
  EXPECT_LT(seconds, 5.0);
  std::printf("[ measured ] 10 s 22050->48000 in %.1f ms (%.0fx real time)\n", seconds * 1e3,
              10.0 / seconds);
}

}  // namespace
}  // namespace voxlet
