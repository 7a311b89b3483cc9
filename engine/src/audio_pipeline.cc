#include "voxlet/audio_pipeline.h"

#include <cmath>
#include <cstdint>
#include <utility>

#include "voxlet/audio_common.h"

namespace voxlet {
namespace {

// The stage configs with the pipeline's rates copied in.
AudioPipelineConfig WithRates(AudioPipelineConfig config) {
  config.joiner.sample_rate = config.voice_rate;
  config.pitch_shifter.sample_rate = config.voice_rate;
  config.resampler.input_rate = config.voice_rate;
  config.resampler.output_rate = config.output_rate;
  config.loudness.sample_rate = config.output_rate;
  return config;
}

void AddProblems(std::vector<std::string>& problems, const char* stage,
                 const std::vector<std::string>& stage_problems) {
  for (const std::string& problem : stage_problems) problems.push_back(stage + problem);
}

void Append(std::vector<float>& out, const std::vector<float>& more) {
  out.insert(out.end(), more.begin(), more.end());
}

}  // namespace

std::vector<std::string> AudioPipelineConfig::Validate() const {
  const AudioPipelineConfig config = WithRates(*this);
  std::vector<std::string> problems;
  AddProblems(problems, "joiner.", config.joiner.Validate());
  AddProblems(problems, "pitch_shifter.", config.pitch_shifter.Validate());
  AddProblems(problems, "resampler.", config.resampler.Validate());
  if (normalize) AddProblems(problems, "loudness.", config.loudness.Validate());
  CheckRange(problems, "output_gain", output_gain, 0.0f, kMaxChunkGain);
  if (!(std::isfinite(pitch) && pitch > 0.0f)) {
    problems.push_back("pitch = " + FormatNumber(pitch) + " is not a positive number");
  }
  return problems;
}

std::string AudioPipelineConfig::ToString() const {
  const AudioPipelineConfig config = WithRates(*this);
  return "AudioPipelineConfig(voice_rate=" + std::to_string(voice_rate) +
         ", output_rate=" + std::to_string(output_rate) +
         ", normalize=" + (normalize ? "true" : "false") +
         ", output_gain=" + std::to_string(output_gain) + ", pitch=" + FormatNumber(pitch) +
         ", " + config.joiner.ToString() + ", " + config.pitch_shifter.ToString() + ", " +
         config.resampler.ToString() + ", " + config.loudness.ToString() + ")";
}

Result<AudioPipeline> AudioPipeline::Create(const AudioPipelineConfig& config) {
  const std::vector<std::string> problems = config.Validate();
  if (!problems.empty()) return InvalidConfig("audio pipeline", problems);
  AudioPipelineConfig rated = WithRates(config);
  if (!config.normalize) rated.loudness = LoudnessConfig{.sample_rate = config.output_rate};
  Result<AudioJoiner> joiner = AudioJoiner::Create(rated.joiner);
  Result<PitchShifter> shifter = PitchShifter::Create(rated.pitch_shifter);
  Result<Resampler> resampler = Resampler::Create(rated.resampler);
  Result<LoudnessNormalizer> loudness = LoudnessNormalizer::Create(rated.loudness);
  if (!joiner.ok()) return joiner.status();
  if (!shifter.ok()) return shifter.status();
  if (!resampler.ok()) return resampler.status();
  if (!loudness.ok()) return loudness.status();
  return AudioPipeline(std::move(rated), std::move(joiner).value(), std::move(shifter).value(),
                       std::move(resampler).value(), std::move(loudness).value());
}

AudioPipeline::AudioPipeline(AudioPipelineConfig config, AudioJoiner joiner,
                             PitchShifter shifter, Resampler resampler,
                             LoudnessNormalizer loudness)
    : config_(std::move(config)),
      joiner_(std::move(joiner)),
      shifter_(std::move(shifter)),
      resampler_(std::move(resampler)),
      loudness_(std::move(loudness)) {}

PushedAudio AudioPipeline::Push(std::span<const float> samples, bool is_last,
                                float pause_after_ms, float gain, float pitch) {
  PushedAudio joined = joiner_.Push(samples, is_last, pause_after_ms, gain);
  const double rate_ratio = static_cast<double>(config_.output_rate) / config_.voice_rate;
  PushedAudio out{Normalize(Resample(Shift(joined.samples, pitch, is_last), is_last), is_last),
                  joined.chunk_origin * rate_ratio, joined.chunk_end * rate_ratio};
  if (config_.output_gain != 1.0f) {
    for (float& x : out.samples) x *= config_.output_gain;
  }
  return out;
}

// The shifter keeps every sample's place and count, so the joiner's timeline
// passes through unchanged. While every factor is 1 it returns its input.
std::vector<float> AudioPipeline::Shift(const std::vector<float>& joined, float pitch,
                                        bool is_last) {
  const float chunk_pitch = std::isfinite(pitch) && pitch > 0.0f ? pitch : 1.0f;
  std::vector<float> out =
      shifter_.Process(joined, static_cast<double>(config_.pitch) * chunk_pitch);
  if (is_last) Append(out, shifter_.Flush());
  return out;
}

std::vector<float> AudioPipeline::Resample(const std::vector<float>& joined, bool is_last) {
  std::vector<float> out = resampler_.Process(joined);
  if (is_last) Append(out, resampler_.Flush());
  return out;
}

std::vector<float> AudioPipeline::Normalize(std::vector<float> resampled, bool is_last) {
  if (!config_.normalize) return resampled;
  std::vector<float> out = loudness_.Process(resampled);
  if (is_last) Append(out, loudness_.Flush());
  return out;
}

void AudioPipeline::Reset() {
  joiner_.Reset();
  shifter_.Reset();
  resampler_.Reset();
  loudness_.Reset();
}

int AudioPipeline::latency_samples() const {
  const int resampler_delay = resampler_.taps_per_phase() / 2 * config_.output_rate /
                              config_.voice_rate;
  const int pitch_delay = static_cast<int>(static_cast<int64_t>(shifter_.latency_samples(
                                                config_.pitch)) *
                                            config_.output_rate / config_.voice_rate);
  return pitch_delay + resampler_delay + (config_.normalize ? loudness_.latency_samples() : 0);
}

}  // namespace voxlet
