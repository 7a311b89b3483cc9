#include "voxlet/audio_resampler.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <sstream>

#include "voxlet/audio_common.h"

namespace voxlet {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr int kLanes = 8;  // taps are padded to a multiple of this for SIMD

// Zeroth-order modified Bessel function of the first kind (power series).
double BesselI0(double x) {
  double sum = 1.0, term = 1.0;
  const double quarter_x2 = 0.25 * x * x;
  for (int k = 1; k < 200 && term > 1e-14 * sum; ++k) {
    term *= quarter_x2 / (static_cast<double>(k) * k);
    sum += term;
  }
  return sum;
}

double Sinc(double x) {
  if (std::fabs(x) < 1e-12) return 1.0;
  return std::sin(kPi * x) / (kPi * x);
}

// Stopband attenuation (dB) a Kaiser window with this beta gives: the inverse
// of Kaiser's beta formula for A > 50 dB, a floor below that.
double KaiserAttenuationDb(double beta) { return std::max(21.0, beta / 0.1102 + 8.7); }

// Transition width (Hz) of a Kaiser-windowed sinc spanning 2 * zero_crossings
// samples of the lower rate (Kaiser's length formula solved for the width).
double TransitionWidthHz(const ResamplerConfig& config) {
  const double lower_rate = std::min(config.input_rate, config.output_rate);
  return (KaiserAttenuationDb(config.kaiser_beta) - 7.95) * lower_rate /
         (2.285 * 2.0 * kPi * 2.0 * config.zero_crossings);
}

// Taps per phase: the window's span in input samples, padded to whole lanes.
int TapsPerPhase(const ResamplerConfig& config) {
  const double lower_rate = std::min(config.input_rate, config.output_rate);
  const double half_width = config.zero_crossings * config.input_rate / lower_rate;
  const int taps = 2 * static_cast<int>(std::ceil(half_width));
  return (taps + kLanes - 1) / kLanes * kLanes;
}

}  // namespace

std::vector<std::string> ResamplerConfig::Validate() const {
  std::vector<std::string> problems;
  CheckSampleRate(problems, "input_rate", input_rate);
  CheckSampleRate(problems, "output_rate", output_rate);
  if (zero_crossings < 8 || zero_crossings > 256) {
    problems.push_back("zero_crossings = " + std::to_string(zero_crossings) +
                       " is outside [8, 256]");
  }
  if (!(kaiser_beta >= 0.0f && kaiser_beta <= 20.0f)) {
    problems.push_back("kaiser_beta = " + FormatNumber(kaiser_beta) + " is outside [0, 20]");
  }
  if (problems.empty()) {
    const long up = output_rate / std::gcd(input_rate, output_rate);
    const long coefficients = up * TapsPerPhase(*this);
    if (coefficients > kMaxResamplerCoefficients) {
      problems.push_back("the ratio " + std::to_string(output_rate) + "/" +
                         std::to_string(input_rate) + " needs " + std::to_string(up) +
                         " filter phases (" + std::to_string(coefficients) +
                         " coefficients, limit " + std::to_string(kMaxResamplerCoefficients) +
                         "); resample through a rate with a simpler ratio");
    }
  }
  return problems;
}

std::string ResamplerConfig::ToString() const {
  std::ostringstream out;
  out << "ResamplerConfig(input_rate=" << input_rate << ", output_rate=" << output_rate
      << ", zero_crossings=" << zero_crossings << ", kaiser_beta=" << kaiser_beta << ")";
  return out.str();
}

Result<Resampler> Resampler::Create(const ResamplerConfig& config) {
  const std::vector<std::string> problems = config.Validate();
  if (!problems.empty()) return InvalidConfig("resampler", problems);
  return Resampler(config);
}

Resampler::Resampler(const ResamplerConfig& config) : config_(config) {
  const int divisor = std::gcd(config.input_rate, config.output_rate);
  up_ = config.output_rate / divisor;
  down_ = config.input_rate / divisor;
  taps_ = TapsPerPhase(config);
  half_taps_ = taps_ / 2;
  DesignFilter();
  Reset();
}

// Phase p, tap k holds h(p/L + half - 1 - k): the kernel evaluated at the
// distance (in input samples) between output time q + p/L and input sample
// q - half + 1 + k. Each phase is scaled to unit DC gain so a constant input
// stays exactly constant whatever the phase.
void Resampler::DesignFilter() {
  const double lower_rate = std::min(config_.input_rate, config_.output_rate);
  const double transition = TransitionWidthHz(config_);
  stopband_edge_hz_ = lower_rate / 2.0;
  cutoff_hz_ = std::max(lower_rate / 4.0, stopband_edge_hz_ - transition / 2.0);
  passband_edge_hz_ = std::max(0.0, stopband_edge_hz_ - transition);

  const double cutoff = 2.0 * cutoff_hz_ / config_.input_rate;  // of input Nyquist
  const double half_width = config_.zero_crossings * config_.input_rate / lower_rate;
  const double window_norm = BesselI0(config_.kaiser_beta);
  table_.assign(static_cast<size_t>(up_) * taps_, 0.0f);
  for (int phase = 0; phase < up_; ++phase) {
    float* coefficients = &table_[static_cast<size_t>(phase) * taps_];
    double sum = 0.0;
    std::vector<double> values(taps_);
    for (int k = 0; k < taps_; ++k) {
      const double t = static_cast<double>(phase) / up_ + half_taps_ - 1 - k;
      const double r = t / half_width;
      if (std::fabs(r) >= 1.0) continue;
      const double window = BesselI0(config_.kaiser_beta * std::sqrt(1.0 - r * r)) / window_norm;
      values[k] = cutoff * Sinc(cutoff * t) * window;
      sum += values[k];
    }
    for (int k = 0; k < taps_; ++k) coefficients[k] = static_cast<float>(values[k] / sum);
  }
}

void Resampler::Reset() {
  history_.assign(static_cast<size_t>(taps_), 0.0f);  // silence before the stream
  base_ = -taps_;
  input_count_ = 0;
  next_index_ = 0;
  next_phase_ = 0;
  output_count_ = 0;
}

std::vector<float> Resampler::Process(std::span<const float> input) {
  std::vector<float> out;
  if (up_ == down_) {  // equal rates: nothing to filter
    out.assign(input.begin(), input.end());
    SanitizeSamples(out);
    return out;
  }
  const size_t start = history_.size();
  history_.insert(history_.end(), input.begin(), input.end());
  SanitizeSamples(std::span<float>(history_).subspan(start));
  input_count_ += static_cast<int64_t>(input.size());
  out.reserve(input.size() * up_ / down_ + 2);
  Produce(input_count_, out);
  return out;
}

std::vector<float> Resampler::Flush() {
  std::vector<float> out;
  if (up_ != down_) {
    history_.insert(history_.end(), static_cast<size_t>(half_taps_), 0.0f);
    Produce(input_count_ + half_taps_, out);
  }
  Reset();
  return out;
}

// Computes every output whose taps lie before `available_end` (absolute input
// index) and whose time is inside the stream (n*M/L < input_count_).
void Resampler::Produce(int64_t available_end, std::vector<float>& out) {
  while (next_index_ + half_taps_ < available_end &&
         output_count_ * down_ < input_count_ * up_) {
    const int64_t first = next_index_ - half_taps_ + 1;
    out.push_back(DotProduct(&table_[static_cast<size_t>(next_phase_) * taps_],
                             &history_[static_cast<size_t>(first - base_)]));
    ++output_count_;
    next_phase_ += down_;
    next_index_ += next_phase_ / up_;
    next_phase_ %= up_;
  }
  // Drop input no later output can reach; only when that is at least half the
  // buffer, so the erase costs O(1) per sample amortized.
  const int64_t needed_from = std::max(base_, next_index_ - half_taps_ + 1);
  const int64_t unneeded = std::min<int64_t>(needed_from - base_, history_.size());
  if (unneeded > 0 && unneeded * 2 >= static_cast<int64_t>(history_.size())) {
    history_.erase(history_.begin(), history_.begin() + unneeded);
    base_ += unneeded;
  }
}

// kLanes independent partial sums: the order of additions is fixed by the
// code, not by the compiler, so it can vectorize the lanes (SSE, -msimd128)
// without -ffast-math and results do not depend on how input was split.
float Resampler::DotProduct(const float* coefficients, const float* input) const {
  float lanes[kLanes] = {};
  for (int k = 0; k < taps_; k += kLanes) {
    for (int lane = 0; lane < kLanes; ++lane) {
      lanes[lane] += coefficients[k + lane] * input[k + lane];
    }
  }
  return ((lanes[0] + lanes[4]) + (lanes[1] + lanes[5])) +
         ((lanes[2] + lanes[6]) + (lanes[3] + lanes[7]));
}

}  // namespace voxlet
