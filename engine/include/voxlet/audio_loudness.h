// Peak normalization for synthesized speech: every utterance leaves the engine
// with its peak between -3 and -1 dBFS, loud or quiet model output alike.
//
// Streaming (LoudnessNormalizer), for audio that arrives block by block:
//   * Normalization gain: set from the first block whose peak is above
//     min_peak_dbfs (target_peak / block peak, at most max_gain_db), then
//     refined: each later block is looked at as a whole before any of it is
//     emitted, and if its peak needs a lower gain the gain ramps down to it
//     (over gain_ramp_ms, so there is no click). The gain never rises again
//     within an utterance, so the loudest block lands exactly on the target.
//   * Look-ahead peak limiter: whatever the ramp lets through above
//     ceiling_dbfs is caught by a limiter that sees lookahead_ms ahead, so its
//     gain is already down when the peak arrives; it recovers over release_ms.
//     The limiter's gain is a box-filtered sliding minimum of the gain each
//     sample needs, which is provably at or below that need for every sample:
//     the output never exceeds the ceiling (a final clamp only absorbs float
//     rounding).
//   Result: output peak in [target_peak_dbfs, ceiling_dbfs] for any input
//   whose peak is within max_gain_db of the target.
//
//   auto loudness = LoudnessNormalizer::Create({.sample_rate = 48000});
//   for (auto& block : blocks) Play(loudness->Process(block));
//   Play(loudness->Flush());  // the look-ahead tail; also resets
//
// Offline (NormalizePeak): scales a whole buffer so its peak is exactly the
// target.
//
// Ownership: Process/Flush read their input during the call and return a new
// buffer the caller owns. Latency: lookahead_ms (latency_samples()).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "voxlet/status.h"

namespace voxlet {

struct LoudnessConfig {
  int sample_rate = 48000;          // Hz of the audio processed
  float target_peak_dbfs = -2.0f;   // the utterance's loudest block peaks here
  float ceiling_dbfs = -1.0f;       // the limiter lets nothing above this out
  float max_gain_db = 30.0f;        // quiet input is boosted by at most this
  float min_peak_dbfs = -60.0f;     // quieter blocks do not set the gain
  float lookahead_ms = 5.0f;        // limiter look-ahead (= added latency)
  float release_ms = 80.0f;         // limiter recovery time constant
  float gain_ramp_ms = 20.0f;       // duration of a downward gain correction

  std::vector<std::string> Validate() const;  // empty = valid
  std::string ToString() const;
};

class LoudnessNormalizer {
 public:
  // kInvalidConfig listing every problem when the config is not valid.
  static Result<LoudnessNormalizer> Create(const LoudnessConfig& config);

  // Normalizes and limits one block; returns the samples that are final now
  // (the stream delayed by the look-ahead; over a whole stream, Process and
  // Flush return exactly as many samples as went in). Input is sanitized.
  std::vector<float> Process(std::span<const float> block);

  // Returns the samples still in the look-ahead delay and resets for the next
  // utterance.
  std::vector<float> Flush();

  void Reset();

  int latency_samples() const { return lookahead_; }
  // The normalization gain in force now (before the limiter), in dB.
  float gain_db() const;
  const LoudnessConfig& config() const { return config_; }

 private:
  explicit LoudnessNormalizer(const LoudnessConfig& config);

  void UpdateGain(float block_peak);
  float NextGain();
  float Limit(float sample);
  float SlidingMinimum(float need);

  LoudnessConfig config_;
  int lookahead_ = 1;
  int gain_ramp_samples_ = 1;
  float ceiling_ = 1.0f;
  float release_coefficient_ = 0.0f;

  // Normalization gain.
  bool gain_set_ = false;
  float gain_ = 1.0f;
  float target_gain_ = 1.0f;
  float gain_step_ = 0.0f;

  // Limiter: rings of lookahead_ + 1 entries, indexed by position % size.
  int64_t position_ = 0;  // samples processed in this utterance
  std::vector<float> delay_;        // the pre-limiter signal
  std::vector<float> smoothed_;     // released minimum gains, box-filtered
  double smoothed_sum_ = 0.0;
  float released_ = 1.0f;
  std::vector<int64_t> min_positions_;  // monotonic queue for the sliding minimum
  std::vector<float> min_values_;
  long min_head_ = 0;
  long min_count_ = 0;
};

// Scales `samples` in place (after sanitizing them) so their peak is
// target_dbfs, boosting by at most max_gain_db. Returns the linear gain
// applied; an all-zero buffer is left as is and 1 is returned.
float NormalizePeak(std::span<float> samples, float target_dbfs, float max_gain_db = 40.0f);

}  // namespace voxlet
