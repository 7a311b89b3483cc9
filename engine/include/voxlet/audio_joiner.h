// Streaming join of consecutive synthesis chunks into one gapless, click-free
// signal at the voice's sample rate.
//
// The runtime synthesizes an utterance as chunks (one model call each) and
// must play audio as each chunk arrives. For every chunk the joiner:
//   1. sanitizes it (NaN/Inf -> 0, clamp; see audio_common.h);
//   2. trims near-silence at its ends (threshold relative to the chunk's peak,
//      measured around the chunk's mean so a DC offset does not hide
//      silence; never inside speech), keeping a short margin at joins and a
//      longer, natural margin at the utterance's start and end;
//   3. applies the chunk's gain (SSML volume), ramping from the previous
//      chunk's gain so a change never steps (no zipper click);
//   4. crossfades it with the tail held back from the previous chunk;
//   5. removes DC with a one-pole high-pass (~20 Hz) run over the joined
//      signal, state carried across chunks (so the filter never sees a step
//      between chunks, which it would pass as a thump);
//   6. where audio meets silence (utterance start/end, a pause) fades in/out
//      over a few ms and inserts the pause as exact zeros.
//
//   auto joiner = AudioJoiner::Create({.sample_rate = 22050});
//   if (!joiner.ok()) return joiner.status();
//   for (const Chunk& c : chunks) {
//     PushedAudio ready = joiner->Push(c.audio, c.is_last, c.pause_after_ms, c.volume);
//     Play(ready.samples);  // ready now; later pushes never change it
//     TimeWords(c, ready.chunk_origin);  // input sample k plays at origin + k
//   }
//
// Timeline: every Push also says where the chunk landed: the position, in
// the utterance's output (the concatenation of every Push's samples since the
// utterance started), of the chunk's input sample 0 after trimming and
// crossfading moved it. Input sample k of the chunk is output
// sample chunk_origin + k for every k the joiner kept. The origin is negative
// when more leading silence was trimmed than there is audio before it.
// chunk_end is the position just past the last kept sample (its pause, if
// any, follows): ids whose audio was trimmed away as silence lie outside
// [chunk_origin + first kept, chunk_end), and callers clamp their times.
//
// Ownership: Push reads `samples` during the call only and returns a new
// buffer the caller owns. Latency: the last crossfade_ms (or edge_fade_ms if
// longer) of each non-final chunk is held back until the next chunk (or the
// end) arrives. After a push with is_last the joiner is back in its initial
// state, ready for the next utterance (its timeline restarts at 0); Reset()
// does the same at any time (e.g. on cancel).
#pragma once

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "voxlet/status.h"

namespace voxlet {

enum class CrossfadeShape {
  kRaisedCosine,  // weights sum to 1: right for correlated (continuing) audio
  kEqualPower,    // squared weights sum to 1: right for unrelated audio
};

struct AudioJoinerConfig {
  int sample_rate = 22050;              // Hz, the voice's output rate
  float silence_threshold_db = -50.0f;  // dB relative to the chunk's peak
  float silence_floor_dbfs = -70.0f;    // dBFS; quieter is silence in any chunk
  float join_margin_ms = 10.0f;         // near-silence kept on each side of a join
  float edge_margin_ms = 40.0f;         // near-silence kept at utterance start/end
  float crossfade_ms = 10.0f;           // overlap of consecutive chunks
  CrossfadeShape crossfade_shape = CrossfadeShape::kRaisedCosine;
  float edge_fade_ms = 5.0f;            // fade where audio meets silence
  float gain_ramp_ms = 10.0f;           // ramp between different chunk gains
  float dc_cutoff_hz = 20.0f;           // high-pass corner; 0 disables it
  float max_pause_ms = 10000.0f;        // longer pause requests are clamped

  std::vector<std::string> Validate() const;  // empty = valid
  std::string ToString() const;
};

// Largest chunk gain Push accepts (+24 dB); larger values are clamped.
inline constexpr float kMaxChunkGain = 16.0f;

// What one Push returns (AudioJoiner and AudioPipeline alike).
struct PushedAudio {
  std::vector<float> samples;  // final now; the caller owns them
  // Output-timeline position (samples at the stage's output rate since the
  // utterance start) of the pushed chunk's input sample 0; see "Timeline".
  // A double because resampling scales it by output/input rate.
  double chunk_origin = 0.0;
  // Position just past the chunk's last kept sample (= where its kept audio
  // would start if it kept none, e.g. an all-silent chunk).
  double chunk_end = 0.0;
};

class AudioJoiner {
 public:
  // kInvalidConfig listing every problem when the config is not valid.
  static Result<AudioJoiner> Create(const AudioJoinerConfig& config);

  // Adds one chunk; returns the samples that are final now and where the
  // chunk landed in the utterance.
  //   samples         the chunk's float audio at config.sample_rate (may be
  //                   empty; an empty or all-silent chunk adds only its pause)
  //   is_last         the utterance ends with this chunk: everything held back
  //                   is emitted, faded out, and the joiner resets
  //   pause_after_ms  exact silence to insert after the chunk (rounded to
  //                   whole samples; NaN/negative -> 0, clamped to max_pause_ms)
  //   gain            linear gain for the chunk (SSML volume; non-finite -> 1,
  //                   clamped to [0, kMaxChunkGain])
  PushedAudio Push(std::span<const float> samples, bool is_last, float pause_after_ms = 0.0f,
                   float gain = 1.0f);

  // Drops anything held back and starts a new utterance.
  void Reset();

  // Samples a non-final chunk keeps back: the crossfade, or the edge fade if
  // longer (the end must still fade out if the next chunk turns out silent).
  int latency_samples() const { return std::max(crossfade_samples_, edge_fade_samples_); }
  const AudioJoinerConfig& config() const { return config_; }

 private:
  explicit AudioJoiner(const AudioJoinerConfig& config);

  std::span<float> TrimSilence(std::vector<float>& chunk, bool is_last) const;
  void ApplyGain(std::span<float> chunk, float gain);
  long OverlapWith(size_t chunk_size) const;
  std::vector<float> Join(std::span<const float> chunk);
  void Emit(std::vector<float>& audio, bool ends);
  void RemoveDc(std::vector<float>& audio);

  AudioJoinerConfig config_;
  int crossfade_samples_ = 0;
  int edge_fade_samples_ = 0;
  int gain_ramp_samples_ = 0;
  int join_margin_samples_ = 0;
  int edge_margin_samples_ = 0;
  float dc_coefficient_ = 0.0f;  // 0 = high-pass disabled

  // Per-utterance state.
  bool at_utterance_start_ = true;
  bool after_silence_ = true;       // no audio since the start or a pause
  std::vector<float> held_tail_;    // end of the previous chunk, not yet emitted
  float current_gain_ = 1.0f;
  long segment_position_ = 0;       // samples emitted since the last silence
  long timeline_position_ = 0;      // samples returned since the utterance start
  bool dc_primed_ = false;
  float dc_previous_input_ = 0.0f;
  float dc_previous_output_ = 0.0f;
};

}  // namespace voxlet
