// Streaming pitch shifter that keeps duration (the `pitch` option and SSML
// <prosody pitch>), for mono float audio at one sample rate.
//
// Two steps, run as one stream:
//   1. WSOLA time-stretch by the factor f (waveform-similarity overlap-add):
//      Hann frames of frame_ms (25 ms) are laid down every hop = frame/2
//      (50 % overlap, the windows sum to exactly 1), read from the input every
//      hop / f samples; each frame's read position may move by up to
//      ±search_ms (10 ms) to where the input best continues the previous frame
//      (largest normalized cross-correlation over the overlap), so periods
//      line up and nothing is smeared. The stretched signal is f x as long, at
//      the same pitch.
//   2. Windowed-sinc resampling of the stretched signal back to the input's
//      length: output n reads it at the time the input's sample n landed
//      there, stepping f per sample (Kaiser-windowed sinc, zero_crossings
//      each side, low-passed at Nyquist / f when f > 1 so nothing aliases).
//      Every frequency is now f x higher; the duration is the input's.
//
// The factor may change with every Process() call (one call per chunk): it
// applies from that call's first input sample, quantized to the next WSOLA
// frame (<= hop / f samples later). Step 1 overlap-adds across the change and
// step 2 only changes its step, so a change never clicks, and a constant
// factor over any number of calls gives the same output as one call (up to
// float rounding; the stream state carries across calls).
//
// Factor: clamped to [kMinPitchFactor, kMaxPitchFactor] = [0.5, 2] (an octave
// each way; beyond that WSOLA's artefacts dominate); NaN, infinities and
// values <= 0 mean 1.
//
// Exact bypass: until a call asks for a factor other than 1, Process returns
// its (sanitized) input unchanged, sample for sample, with no delay. The first
// call with another factor switches the stream to shifting from that sample
// on (the switch is seamless: the shifter starts as if it had been running at
// factor 1, which reproduces the input); it stays on, at whatever factor,
// until Flush() or Reset().
//
// Timeline: zero phase. Output sample n carries the input's content around
// sample n (within the ±search_ms WSOLA tolerance), and a whole stream of N
// input samples gives exactly N output samples however it was split: word
// timings computed on the input's timeline stay valid.
//
// Latency (only while shifting): Process holds back the output it cannot
// compute yet, at most latency_samples(f) = (zero_crossings * max(f, 1) + 2 +
// hop) / f + hop + search (+2): 49 ms at f = 0.5, 29 ms at f = 2 with the
// defaults. Flush() returns it (the input is then treated as followed by
// silence).
//
//   auto shifter = PitchShifter::Create({.sample_rate = 22050});
//   if (!shifter.ok()) return shifter.status();
//   for (const Chunk& c : chunks) Play(shifter->Process(c.audio, c.pitch));
//   Play(shifter->Flush());  // the held-back tail; also resets (bypass again)
//
// Ownership: Process/Flush read their input during the call and return a new
// buffer the caller owns.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

#include "voxlet/status.h"

namespace voxlet {

inline constexpr float kMinPitchFactor = 0.5f;
inline constexpr float kMaxPitchFactor = 2.0f;

// The factor a request means: non-finite or <= 0 -> 1, else clamped to
// [kMinPitchFactor, kMaxPitchFactor].
float ClampPitchFactor(double factor);

struct PitchShifterConfig {
  int sample_rate = 22050;    // Hz of the input (and output)
  float frame_ms = 25.0f;     // WSOLA frame (Hann window); hop is half of it
  float search_ms = 10.0f;    // each frame's read position moves by up to this
  int zero_crossings = 16;    // sinc zero crossings each side (resampling step)
  float kaiser_beta = 7.0f;   // resampling window shape (~70 dB stopband)

  std::vector<std::string> Validate() const;  // empty = valid
  std::string ToString() const;
};

class PitchShifter {
 public:
  // kInvalidConfig listing every problem when the config is not valid.
  static Result<PitchShifter> Create(const PitchShifterConfig& config);

  // Shifts the next piece of the stream by `factor` (see "Factor"); returns
  // the output samples final now.
  std::vector<float> Process(std::span<const float> input, double factor);

  // Returns the rest of the stream's output (as many samples as were put in
  // overall) and resets.
  std::vector<float> Flush();

  // Drops the stream; back to bypass.
  void Reset();

  // True once a factor other than 1 has been requested in this stream.
  bool active() const { return active_; }
  // Upper bound on the samples Process holds back while shifting at `factor`
  // (0 for factor 1 while still bypassing). With changing factors, the largest
  // of theirs, about.
  int latency_samples(double factor) const;
  int hop_samples() const { return hop_; }
  int search_samples() const { return search_; }
  const PitchShifterConfig& config() const { return config_; }

 private:
  struct Anchor {
    int64_t frame = 0;    // k: the frame is centred at stretched time k * hop
    double input = 0.0;   // a_k: the input time read there (before the search)
    double factor = 1.0;  // f_k: stretch factor from a_k to a_(k+1)
  };

  explicit PitchShifter(const PitchShifterConfig& config);
  void Activate();
  float Input(int64_t index) const;
  double FactorAt(int64_t index) const;
  bool AddFrame(bool flushing);
  void Produce(bool flushing, std::vector<float>& out);
  float Interpolate(double time, double factor) const;
  void Trim();

  PitchShifterConfig config_;
  int hop_ = 276;       // half a frame, samples
  int search_ = 220;    // samples
  std::vector<float> window_;  // periodic Hann, 2 * hop_
  std::vector<float> kernel_;  // windowed sinc at kKernelResolution per unit

  // Stream state.
  bool active_ = false;
  std::vector<float> input_;  // input_[0] is input sample input_base_
  int64_t input_base_ = 0;
  int64_t input_count_ = 0;   // input samples received
  std::vector<std::pair<int64_t, double>> factors_;  // (first input sample, f)
  std::vector<float> stretched_;  // stretched_[0] is stretched sample stretched_base_
  int64_t stretched_base_ = 0;
  int64_t stretched_final_ = 0;   // stretched samples before this are complete
  std::deque<Anchor> anchors_;    // frames laid down, oldest still needed first
  int64_t next_frame_ = 0;
  double next_anchor_ = 0.0;      // a_k of the next frame
  int64_t previous_start_ = 0;    // input index the previous frame read from
  bool has_previous_ = false;
  int64_t output_count_ = 0;      // output samples returned
};

}  // namespace voxlet
