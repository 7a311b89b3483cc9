// The engine's whole audio post-processing chain for one voice, as the
// runtime calls it once per synthesized chunk:
//
//   model chunk (voice rate) -> AudioJoiner (trim, DC, gain, crossfade, pauses)
//     -> PitchShifter (the pitch option x the chunk's SSML pitch; duration
//        kept; an exact bypass while every factor is 1)
//     -> Resampler (to the output device rate)
//     -> LoudnessNormalizer (peak in [-3, -1] dBFS; last, so resampling
//        overshoot is limited too) -> output_gain (the listener's volume)
//     -> samples ready to play
//
//   auto post = AudioPipeline::Create({.voice_rate = 22050, .output_rate = 48000});
//   for (const Chunk& c : chunks) {
//     PushedAudio ready = post->Push(c.audio, c.is_last, c.pause_after_ms, c.volume, c.pitch);
//     Play(ready.samples);
//     // Input sample k (voice rate) plays at output sample
//     //   ready.chunk_origin + k * output_rate / voice_rate.
//   }
//
// Timeline: chunk_origin and chunk_end are the joiner's (see audio_joiner.h)
// scaled by output_rate / voice_rate. That is exact because the resampler is zero
// phase (output n is input time n * voice_rate / output_rate), the pitch
// shifter keeps every sample's place (output n carries the input around n,
// within its +-10 ms WSOLA search, and N samples in give N out) and the
// loudness stage delays emission but never shifts samples: concatenating all
// pushes of an utterance gives ceil(joiner samples * output_rate / voice_rate)
// samples, and sample positions in it are the scaled joiner positions.
//
// Ownership: Push reads `samples` during the call and returns a new buffer the
// caller owns. After a push with is_last everything has been emitted and the
// pipeline is ready for the next utterance.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "voxlet/audio_joiner.h"
#include "voxlet/audio_loudness.h"
#include "voxlet/audio_pitch.h"
#include "voxlet/audio_resampler.h"
#include "voxlet/status.h"

namespace voxlet {

struct AudioPipelineConfig {
  int voice_rate = 22050;   // Hz of the model's output
  int output_rate = 48000;  // Hz of the device (or file)
  bool normalize = true;    // run the loudness stage
  float output_gain = 1.0f; // linear, after the loudness stage (the listener's
                            // volume); not limited, so above 1 it may clip
  float pitch = 1.0f;       // pitch factor of every chunk (x each Push's own);
                            // any value > 0, the product is clamped to [0.5, 2]
  // Stage settings. Their rate fields are ignored: voice_rate and output_rate
  // above are copied in.
  AudioJoinerConfig joiner;
  PitchShifterConfig pitch_shifter;
  ResamplerConfig resampler;
  LoudnessConfig loudness;

  std::vector<std::string> Validate() const;  // empty = valid
  std::string ToString() const;
};

class AudioPipeline {
 public:
  static Result<AudioPipeline> Create(const AudioPipelineConfig& config);

  // Same contract as AudioJoiner::Push; samples, chunk_origin and chunk_end
  // are at output_rate. `pitch` multiplies config.pitch for this chunk's audio
  // (SSML <prosody pitch>; non-finite or <= 0 -> 1; the product is clamped to
  // [kMinPitchFactor, kMaxPitchFactor]). A change of factor takes effect at
  // the next WSOLA frame after the chunk's first joined sample (<= ~25 ms),
  // without a click; see audio_pitch.h.
  PushedAudio Push(std::span<const float> samples, bool is_last, float pause_after_ms = 0.0f,
                   float gain = 1.0f, float pitch = 1.0f);
  void Reset();

  // Output samples of delay from the pitch shifter (when config.pitch is not
  // 1; a chunk with another SSML pitch adds up to the shifter's latency from
  // then on), the resampler and the limiter (the joiner's held-back crossfade
  // comes on top, at the voice rate).
  int latency_samples() const;
  const AudioPipelineConfig& config() const { return config_; }

 private:
  AudioPipeline(AudioPipelineConfig config, AudioJoiner joiner, PitchShifter shifter,
                Resampler resampler, LoudnessNormalizer loudness);
  std::vector<float> Shift(const std::vector<float>& joined, float pitch, bool is_last);
  std::vector<float> Resample(const std::vector<float>& joined, bool is_last);
  std::vector<float> Normalize(std::vector<float> resampled, bool is_last);

  AudioPipelineConfig config_;
  AudioJoiner joiner_;
  PitchShifter shifter_;
  Resampler resampler_;
  LoudnessNormalizer loudness_;
};

}  // namespace voxlet
