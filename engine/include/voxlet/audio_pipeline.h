// The engine's whole audio post-processing chain for one voice, as the
// runtime calls it once per synthesized chunk:
//
//   model chunk (voice rate) -> AudioJoiner (trim, DC, gain, crossfade, pauses)
//     -> Resampler (to the output device rate)
//     -> LoudnessNormalizer (peak in [-3, -1] dBFS; last, so resampling
//        overshoot is limited too) -> output_gain (the listener's volume)
//     -> samples ready to play
//
//   auto post = AudioPipeline::Create({.voice_rate = 22050, .output_rate = 48000});
//   for (const Chunk& c : chunks) {
//     PushedAudio ready = post->Push(c.audio, c.is_last, c.pause_after_ms, c.volume);
//     Play(ready.samples);
//     // Input sample k (voice rate) plays at output sample
//     //   ready.chunk_origin + k * output_rate / voice_rate.
//   }
//
// Timeline: chunk_origin and chunk_end are the joiner's (see audio_joiner.h)
// scaled by output_rate / voice_rate. That is exact because the resampler is zero
// phase (output n is input time n * voice_rate / output_rate) and the
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
#include "voxlet/audio_resampler.h"
#include "voxlet/status.h"

namespace voxlet {

struct AudioPipelineConfig {
  int voice_rate = 22050;   // Hz of the model's output
  int output_rate = 48000;  // Hz of the device (or file)
  bool normalize = true;    // run the loudness stage
  float output_gain = 1.0f; // linear, after the loudness stage (the listener's
                            // volume); not limited, so above 1 it may clip
  // Stage settings. Their rate fields are ignored: voice_rate and output_rate
  // above are copied in.
  AudioJoinerConfig joiner;
  ResamplerConfig resampler;
  LoudnessConfig loudness;

  std::vector<std::string> Validate() const;  // empty = valid
  std::string ToString() const;
};

class AudioPipeline {
 public:
  static Result<AudioPipeline> Create(const AudioPipelineConfig& config);

  // Same contract as AudioJoiner::Push; samples, chunk_origin and chunk_end
  // are at output_rate.
  PushedAudio Push(std::span<const float> samples, bool is_last, float pause_after_ms = 0.0f,
                   float gain = 1.0f);
  void Reset();

  // Output samples of delay from the resampler and limiter (the joiner's
  // held-back crossfade comes on top, at the voice rate).
  int latency_samples() const;
  const AudioPipelineConfig& config() const { return config_; }

 private:
  AudioPipeline(AudioPipelineConfig config, AudioJoiner joiner, Resampler resampler,
                LoudnessNormalizer loudness);
  std::vector<float> Resample(const std::vector<float>& joined, bool is_last);
  std::vector<float> Normalize(std::vector<float> resampled, bool is_last);

  AudioPipelineConfig config_;
  AudioJoiner joiner_;
  Resampler resampler_;
  LoudnessNormalizer loudness_;
};

}  // namespace voxlet
