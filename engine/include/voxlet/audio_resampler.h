// Streaming polyphase resampler for any rational ratio (22,050 -> 48,000 Hz,
// 44,100, 24,000, 16,000, ...).
//
// The ratio out/in is reduced to L/M. One windowed-sinc low-pass (Kaiser
// window) is designed at L x the input rate and split into L phases; output
// sample n is the dot product of phase (n*M mod L) with the input around time
// n*M/L. The filter's cutoff sits so that its stopband starts exactly at the
// lower of the two Nyquist frequencies: images (upsampling) and aliases
// (downsampling) are all in the stopband, and the passband is what the
// transition width (set by zero_crossings and kaiser_beta) leaves below it.
//
// Zero phase: output sample n is the input's value at time n*M/L (no delay in
// the sample count); the price is a latency of about zero_crossings input
// samples before an output can be computed. Flush() computes the rest as if
// the input were followed by silence, so a whole stream of N input samples
// yields exactly ceil(N*L/M) output samples, however it was split.
//
//   auto resampler = Resampler::Create({.input_rate = 22050, .output_rate = 48000});
//   if (!resampler.ok()) return resampler.status();
//   for (auto& piece : pieces) Play(resampler->Process(piece));
//   Play(resampler->Flush());  // the tail; also resets for the next stream
//
// Ownership: Process/Flush read their input during the call and return a new
// buffer the caller owns. The filter table is owned by the Resampler (at most
// kMaxResamplerCoefficients floats).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "voxlet/status.h"

namespace voxlet {

struct ResamplerConfig {
  int input_rate = 22050;    // Hz
  int output_rate = 48000;   // Hz
  int zero_crossings = 32;   // sinc zero crossings on each side, counted at the
                             // lower rate; longer = narrower transition band
  float kaiser_beta = 8.0f;  // window shape; 8 ~ 80 dB stopband (>= 70 measured)

  std::vector<std::string> Validate() const;  // empty = valid
  std::string ToString() const;
};

// Upper bound on the polyphase table (phases x taps), 4 MiB of floats.
inline constexpr long kMaxResamplerCoefficients = 1L << 20;

class Resampler {
 public:
  // kInvalidConfig listing every problem when the config is not valid (rates
  // out of range, a ratio whose table would exceed kMaxResamplerCoefficients).
  static Result<Resampler> Create(const ResamplerConfig& config);

  // Resamples the next piece of the stream (sanitized first).
  std::vector<float> Process(std::span<const float> input);

  // Returns the remaining output of the stream and resets.
  std::vector<float> Flush();

  void Reset();

  int interpolation() const { return up_; }  // L
  int decimation() const { return down_; }   // M
  int taps_per_phase() const { return taps_; }
  // The passband edge, stopband edge and -6 dB cutoff of the design, in Hz.
  double passband_edge_hz() const { return passband_edge_hz_; }
  double stopband_edge_hz() const { return stopband_edge_hz_; }
  double cutoff_hz() const { return cutoff_hz_; }
  const ResamplerConfig& config() const { return config_; }

 private:
  explicit Resampler(const ResamplerConfig& config);
  void DesignFilter();
  void Produce(int64_t available_end, std::vector<float>& out);
  float DotProduct(const float* coefficients, const float* input) const;

  ResamplerConfig config_;
  int up_ = 1;        // L
  int down_ = 1;      // M
  int taps_ = 8;      // per phase, a multiple of 8 (zero-padded)
  int half_taps_ = 4;  // taps before the output's time position
  std::vector<float> table_;  // phase-major: table_[phase * taps_ + k]
  double passband_edge_hz_ = 0.0;
  double stopband_edge_hz_ = 0.0;
  double cutoff_hz_ = 0.0;

  // Stream state. history_[0] is the input sample at absolute index base_.
  std::vector<float> history_;
  int64_t base_ = 0;
  int64_t input_count_ = 0;  // input samples received
  int64_t next_index_ = 0;   // floor(n*M/L) for the next output n
  int next_phase_ = 0;       // (n*M) mod L for the next output n
  int64_t output_count_ = 0;
};

}  // namespace voxlet
