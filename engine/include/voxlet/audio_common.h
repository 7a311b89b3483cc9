// Small helpers shared by the audio post-processing stages (audio_joiner.h,
// audio_loudness.h, audio_resampler.h, audio_pipeline.h, wav.h).
//
// All stages work on mono float samples with full scale = 1.0. Model output is
// untrusted: every stage sanitizes what it is given, so NaN, infinities and
// absurd magnitudes never reach the speakers or a WAV file.
//
//   std::vector<float> audio = ...;
//   SanitizeSamples(audio);               // in place
//   float gain = DbToGain(-2.0f);          // 0.794
#pragma once

#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "voxlet/status.h"

namespace voxlet {

// Finite samples are clamped to this magnitude (+18 dBFS). Voice models
// overshoot 1.0 a little, which the loudness stage fixes; anything far beyond
// that is a broken model output, and clamping it keeps later gains bounded.
inline constexpr float kMaxSampleMagnitude = 8.0f;

// NaN and ±Inf become 0 (a model failure, not a loud sample: a one-sample
// dropout is inaudible, whereas a clamped spike would make the normalizer turn
// the whole utterance down); finite values are clamped to kMaxSampleMagnitude.
inline float SanitizeSample(float x) {
  if (!std::isfinite(x)) return 0.0f;
  if (x > kMaxSampleMagnitude) return kMaxSampleMagnitude;
  if (x < -kMaxSampleMagnitude) return -kMaxSampleMagnitude;
  return x;
}

inline void SanitizeSamples(std::span<float> samples) {
  for (float& x : samples) x = SanitizeSample(x);
}

inline float DbToGain(float db) { return std::pow(10.0f, db / 20.0f); }

// Gain 0 maps to -inf dB; callers that print it should check first.
inline float GainToDb(float gain) { return 20.0f * std::log10(gain); }

// Largest |x| of the buffer (0 for an empty one). Expects sanitized samples.
inline float PeakOf(std::span<const float> samples) {
  float peak = 0.0f;
  for (float x : samples) peak = std::fmax(peak, std::fabs(x));
  return peak;
}

// Number of samples in `ms` milliseconds at `sample_rate`, rounded to nearest.
inline long MsToSamples(double ms, int sample_rate) {
  return std::lround(ms * sample_rate / 1000.0);
}

// Config validation shared by the stages: append one problem, in words, when
// `value` is outside [low, high] (NaN counts as outside).
void CheckRange(std::vector<std::string>& problems, const char* name, float value, float low,
                float high);
// `value` as an ostream would print it by default (%g), for messages.
std::string FormatNumber(double value);
// Sample rates every stage accepts: 1,000 to 384,000 Hz.
void CheckSampleRate(std::vector<std::string>& problems, const char* name, int rate);
// The status every stage's Create() returns for a config with problems:
// kInvalidConfig, "invalid <what> config: problem; problem;".
Status InvalidConfig(const char* what, const std::vector<std::string>& problems);

}  // namespace voxlet
