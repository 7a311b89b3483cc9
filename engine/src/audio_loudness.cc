#include "voxlet/audio_loudness.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "voxlet/audio_common.h"

namespace voxlet {

std::vector<std::string> LoudnessConfig::Validate() const {
  std::vector<std::string> problems;
  CheckSampleRate(problems, "sample_rate", sample_rate);
  CheckRange(problems, "target_peak_dbfs", target_peak_dbfs, -40.0f, 0.0f);
  CheckRange(problems, "ceiling_dbfs", ceiling_dbfs, -40.0f, 0.0f);
  if (target_peak_dbfs > ceiling_dbfs) {
    problems.push_back("target_peak_dbfs must not be above ceiling_dbfs");
  }
  CheckRange(problems, "max_gain_db", max_gain_db, 0.0f, 60.0f);
  CheckRange(problems, "min_peak_dbfs", min_peak_dbfs, -120.0f, 0.0f);
  CheckRange(problems, "lookahead_ms", lookahead_ms, 0.1f, 50.0f);
  CheckRange(problems, "release_ms", release_ms, 1.0f, 2000.0f);
  CheckRange(problems, "gain_ramp_ms", gain_ramp_ms, 0.1f, 1000.0f);
  return problems;
}

std::string LoudnessConfig::ToString() const {
  std::ostringstream out;
  out << "LoudnessConfig(sample_rate=" << sample_rate << ", target_peak_dbfs=" << target_peak_dbfs
      << ", ceiling_dbfs=" << ceiling_dbfs << ", max_gain_db=" << max_gain_db
      << ", min_peak_dbfs=" << min_peak_dbfs << ", lookahead_ms=" << lookahead_ms
      << ", release_ms=" << release_ms << ", gain_ramp_ms=" << gain_ramp_ms << ")";
  return out.str();
}

Result<LoudnessNormalizer> LoudnessNormalizer::Create(const LoudnessConfig& config) {
  const std::vector<std::string> problems = config.Validate();
  if (!problems.empty()) return InvalidConfig("loudness", problems);
  return LoudnessNormalizer(config);
}

LoudnessNormalizer::LoudnessNormalizer(const LoudnessConfig& config)
    : config_(config),
      lookahead_(std::max(1L, MsToSamples(config.lookahead_ms, config.sample_rate))),
      gain_ramp_samples_(std::max(1L, MsToSamples(config.gain_ramp_ms, config.sample_rate))),
      ceiling_(DbToGain(config.ceiling_dbfs)),
      release_coefficient_(static_cast<float>(
          1.0 - std::exp(-1000.0 / (config.release_ms * config.sample_rate)))) {
  Reset();
}

void LoudnessNormalizer::Reset() {
  gain_set_ = false;
  gain_ = target_gain_ = 1.0f;
  gain_step_ = 0.0f;
  position_ = 0;
  const size_t window = static_cast<size_t>(lookahead_) + 1;
  delay_.assign(window, 0.0f);
  smoothed_.assign(window, 1.0f);
  smoothed_sum_ = static_cast<double>(window);
  released_ = 1.0f;
  min_positions_.assign(window, 0);
  min_values_.assign(window, 1.0f);
  min_head_ = 0;
  min_count_ = 0;
}

float LoudnessNormalizer::gain_db() const { return GainToDb(gain_); }

// The first lookahead_ outputs of a stream are the delay line's initial
// zeros, not input: they are dropped, so output length equals input length.
std::vector<float> LoudnessNormalizer::Process(std::span<const float> block) {
  std::vector<float> in(block.begin(), block.end());
  SanitizeSamples(in);
  UpdateGain(PeakOf(in));
  std::vector<float> out;
  out.reserve(in.size());
  for (float x : in) {
    const float limited = Limit(x * NextGain());
    if (position_ > lookahead_) out.push_back(limited);
  }
  return out;
}

std::vector<float> LoudnessNormalizer::Flush() {
  std::vector<float> out;
  const int64_t input_count = position_;
  for (long i = 0; i < lookahead_; ++i) {
    const float limited = Limit(0.0f);
    const int64_t delayed_index = position_ - 1 - lookahead_;
    if (delayed_index >= 0 && delayed_index < input_count) out.push_back(limited);
  }
  Reset();
  return out;
}

// The gain only ever goes down within an utterance, so the loudest block
// decides it; quiet blocks (leading breath, noise) do not set it at all.
void LoudnessNormalizer::UpdateGain(float block_peak) {
  if (block_peak < DbToGain(config_.min_peak_dbfs)) return;
  const float wanted =
      std::min(DbToGain(config_.max_gain_db), DbToGain(config_.target_peak_dbfs) / block_peak);
  if (!gain_set_) {
    // Everything before was below min_peak_dbfs: nothing audible to step.
    gain_ = target_gain_ = wanted;
    gain_set_ = true;
  } else if (wanted < target_gain_) {
    target_gain_ = wanted;
    gain_step_ = (gain_ - wanted) / static_cast<float>(gain_ramp_samples_);
  }
}

float LoudnessNormalizer::NextGain() {
  if (gain_ > target_gain_) gain_ = std::max(target_gain_, gain_ - gain_step_);
  return gain_;
}

// Minimum of `need` over the last lookahead_ + 1 samples (monotonic queue:
// values increase from head to tail, so the head is the minimum).
float LoudnessNormalizer::SlidingMinimum(float need) {
  const long size = static_cast<long>(min_values_.size());
  while (min_count_ > 0 && min_positions_[min_head_] <= position_ - size) {
    min_head_ = (min_head_ + 1) % size;
    --min_count_;
  }
  while (min_count_ > 0 && min_values_[(min_head_ + min_count_ - 1) % size] >= need) {
    --min_count_;
  }
  const long tail = (min_head_ + min_count_) % size;
  min_positions_[tail] = position_;
  min_values_[tail] = need;
  ++min_count_;
  return min_values_[min_head_];
}

// One sample in, the sample lookahead_ earlier out. The gain applied to it is
// the mean of released minima over a window that contains it at every step,
// so it is never above the gain that sample needs.
float LoudnessNormalizer::Limit(float sample) {
  const float magnitude = std::fabs(sample);
  const float need = magnitude > ceiling_ ? ceiling_ / magnitude : 1.0f;
  const float minimum = SlidingMinimum(need);
  released_ = std::min(minimum, released_ + (1.0f - released_) * release_coefficient_);

  const long size = static_cast<long>(delay_.size());
  const long slot = static_cast<long>(position_ % size);
  smoothed_sum_ += released_ - smoothed_[slot];
  smoothed_[slot] = released_;
  delay_[slot] = sample;
  const float delayed = delay_[static_cast<size_t>((position_ + 1) % size)];
  ++position_;

  const float limited = delayed * static_cast<float>(smoothed_sum_ / size);
  return std::clamp(limited, -ceiling_, ceiling_);
}

float NormalizePeak(std::span<float> samples, float target_dbfs, float max_gain_db) {
  SanitizeSamples(samples);
  const float peak = PeakOf(samples);
  if (peak == 0.0f || !std::isfinite(target_dbfs)) return 1.0f;
  float gain = DbToGain(target_dbfs) / peak;
  if (std::isfinite(max_gain_db)) gain = std::min(gain, DbToGain(max_gain_db));
  for (float& x : samples) x *= gain;
  return gain;
}

}  // namespace voxlet
