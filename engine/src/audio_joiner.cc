#include "voxlet/audio_joiner.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

#include "voxlet/audio_common.h"

namespace voxlet {
namespace {

constexpr double kPi = std::numbers::pi;

// Weight of the incoming signal at step i of an n-step fade (0 < w < 1, rising);
// the outgoing signal gets the complementary weight for the shape.
float FadeInWeight(long i, long n, CrossfadeShape shape) {
  const double t = (i + 0.5) / n;  // centred: never exactly 0 or 1
  if (shape == CrossfadeShape::kEqualPower) return static_cast<float>(std::sin(0.5 * kPi * t));
  return static_cast<float>(0.5 - 0.5 * std::cos(kPi * t));
}

float FadeOutWeight(long i, long n, CrossfadeShape shape) {
  if (shape == CrossfadeShape::kEqualPower) return FadeInWeight(n - 1 - i, n, shape);
  return 1.0f - FadeInWeight(i, n, shape);
}

void FadeOut(std::span<float> audio, long fade) {
  const long n = std::min<long>(fade, static_cast<long>(audio.size()));
  const long start = static_cast<long>(audio.size()) - n;
  for (long i = 0; i < n; ++i) {
    audio[start + i] *= FadeOutWeight(i, n, CrossfadeShape::kRaisedCosine);
  }
}

float SanitizeGain(float gain) {
  if (!std::isfinite(gain)) return 1.0f;
  return std::clamp(gain, 0.0f, kMaxChunkGain);
}

long PauseSamples(float pause_ms, const AudioJoinerConfig& config) {
  if (!std::isfinite(pause_ms) || pause_ms <= 0.0f) return 0;
  return MsToSamples(std::min(pause_ms, config.max_pause_ms), config.sample_rate);
}


}  // namespace

std::vector<std::string> AudioJoinerConfig::Validate() const {
  std::vector<std::string> problems;
  CheckSampleRate(problems, "sample_rate", sample_rate);
  CheckRange(problems, "silence_threshold_db", silence_threshold_db, -120.0f, 0.0f);
  CheckRange(problems, "silence_floor_dbfs", silence_floor_dbfs, -150.0f, 0.0f);
  CheckRange(problems, "join_margin_ms", join_margin_ms, 0.0f, 1000.0f);
  CheckRange(problems, "edge_margin_ms", edge_margin_ms, 0.0f, 1000.0f);
  CheckRange(problems, "crossfade_ms", crossfade_ms, 0.0f, 100.0f);
  CheckRange(problems, "edge_fade_ms", edge_fade_ms, 0.0f, 100.0f);
  CheckRange(problems, "gain_ramp_ms", gain_ramp_ms, 0.0f, 1000.0f);
  CheckRange(problems, "dc_cutoff_hz", dc_cutoff_hz, 0.0f, 200.0f);
  CheckRange(problems, "max_pause_ms", max_pause_ms, 0.0f, 600000.0f);
  return problems;
}

std::string AudioJoinerConfig::ToString() const {
  std::ostringstream out;
  out << "AudioJoinerConfig(sample_rate=" << sample_rate
      << ", silence_threshold_db=" << silence_threshold_db
      << ", silence_floor_dbfs=" << silence_floor_dbfs << ", join_margin_ms=" << join_margin_ms
      << ", edge_margin_ms=" << edge_margin_ms << ", crossfade_ms=" << crossfade_ms
      << ", crossfade_shape="
      << (crossfade_shape == CrossfadeShape::kEqualPower ? "equal_power" : "raised_cosine")
      << ", edge_fade_ms=" << edge_fade_ms << ", gain_ramp_ms=" << gain_ramp_ms
      << ", dc_cutoff_hz=" << dc_cutoff_hz << ", max_pause_ms=" << max_pause_ms << ")";
  return out.str();
}

Result<AudioJoiner> AudioJoiner::Create(const AudioJoinerConfig& config) {
  const std::vector<std::string> problems = config.Validate();
  if (!problems.empty()) return InvalidConfig("audio joiner", problems);
  return AudioJoiner(config);
}

AudioJoiner::AudioJoiner(const AudioJoinerConfig& config)
    : config_(config),
      crossfade_samples_(MsToSamples(config.crossfade_ms, config.sample_rate)),
      edge_fade_samples_(MsToSamples(config.edge_fade_ms, config.sample_rate)),
      gain_ramp_samples_(MsToSamples(config.gain_ramp_ms, config.sample_rate)),
      join_margin_samples_(MsToSamples(config.join_margin_ms, config.sample_rate)),
      edge_margin_samples_(MsToSamples(config.edge_margin_ms, config.sample_rate)) {
  if (config.dc_cutoff_hz > 0.0f) {
    dc_coefficient_ = static_cast<float>(
        std::exp(-2.0 * kPi * config.dc_cutoff_hz / config.sample_rate));
  }
}

void AudioJoiner::Reset() {
  at_utterance_start_ = true;
  after_silence_ = true;
  held_tail_.clear();
  current_gain_ = 1.0f;
  segment_position_ = 0;
  timeline_position_ = 0;
  dc_primed_ = false;
  dc_previous_input_ = 0.0f;
  dc_previous_output_ = 0.0f;
}

PushedAudio AudioJoiner::Push(std::span<const float> samples, bool is_last,
                              float pause_after_ms, float gain) {
  std::vector<float> chunk(samples.begin(), samples.end());
  SanitizeSamples(chunk);
  std::span<float> speech = TrimSilence(chunk, is_last);
  ApplyGain(speech, SanitizeGain(gain));

  // The kept speech starts where Join puts it: after the held tail, less the
  // crossfade overlap; input sample 0 lies `trimmed` samples before that.
  const long trimmed = speech.empty() ? 0 : static_cast<long>(speech.data() - chunk.data());
  const long speech_start = timeline_position_ + static_cast<long>(held_tail_.size()) -
                            OverlapWith(speech.size());
  PushedAudio pushed{Join(speech), static_cast<double>(speech_start - trimmed),
                     static_cast<double>(speech_start + static_cast<long>(speech.size()))};
  std::vector<float>& out = pushed.samples;
  const long pause = PauseSamples(pause_after_ms, config_);
  const bool ends = is_last || pause > 0;
  if (!ends) {
    // Hold back the end for the next chunk's crossfade, or for the fade-out
    // should the utterance end or pause before more audio comes.
    const size_t hold = std::min(out.size(), static_cast<size_t>(latency_samples()));
    held_tail_.assign(out.end() - hold, out.end());
    out.resize(out.size() - hold);
  }
  Emit(out, ends);
  out.insert(out.end(), pause, 0.0f);
  timeline_position_ += static_cast<long>(out.size());
  if (is_last) Reset();
  return pushed;
}

// The part of the chunk from its first to its last sample above the silence
// threshold, widened by the margin on each side. An all-silent chunk trims to
// nothing. Only the ends are looked at, so nothing inside speech is removed.
// A DC offset would hide silence, so levels are measured around the chunk's
// mean when DC removal is on (the high-pass itself runs later, on the joined
// signal, where it sees no steps between chunks).
std::span<float> AudioJoiner::TrimSilence(std::vector<float>& chunk, bool is_last) const {
  double sum = 0.0;
  if (dc_coefficient_ != 0.0f) {
    for (float x : chunk) sum += x;
  }
  const float offset = chunk.empty() ? 0.0f : static_cast<float>(sum / chunk.size());
  const auto level = [offset](float x) { return std::fabs(x - offset); };
  float peak = 0.0f;
  for (float x : chunk) peak = std::max(peak, level(x));
  const float threshold = std::max(peak * DbToGain(config_.silence_threshold_db),
                                   DbToGain(config_.silence_floor_dbfs));
  const auto loud = [&](float x) { return level(x) > threshold; };
  const auto first = std::find_if(chunk.begin(), chunk.end(), loud);
  if (first == chunk.end()) return {};
  const auto last = std::find_if(chunk.rbegin(), chunk.rend(), loud).base();  // one past
  const long lead = at_utterance_start_ ? edge_margin_samples_ : join_margin_samples_;
  const long trail = is_last ? edge_margin_samples_ : join_margin_samples_;
  const long begin = std::max<long>(0, (first - chunk.begin()) - lead);
  const long end = std::min<long>(static_cast<long>(chunk.size()), (last - chunk.begin()) + trail);
  return std::span<float>(chunk).subspan(begin, end - begin);
}

// Ramps linearly from the gain in force to the chunk's gain at a fixed rate;
// after silence there is nothing to be continuous with, so it starts at once.
void AudioJoiner::ApplyGain(std::span<float> chunk, float gain) {
  if (chunk.empty()) return;
  if (after_silence_ || gain_ramp_samples_ == 0) current_gain_ = gain;
  const float step = (gain - current_gain_) / std::max(1, gain_ramp_samples_);
  for (float& x : chunk) {
    if (current_gain_ != gain) {
      current_gain_ += step;
      if ((step > 0.0f && current_gain_ > gain) || (step < 0.0f && current_gain_ < gain)) {
        current_gain_ = gain;
      }
    }
    x *= current_gain_;
  }
}

// Samples of the held tail a chunk of this size is crossfaded with.
long AudioJoiner::OverlapWith(size_t chunk_size) const {
  return std::min<long>(
      {crossfade_samples_, static_cast<long>(held_tail_.size()), static_cast<long>(chunk_size)});
}

// The held tail followed by the chunk, crossfaded where they overlap: the
// tail's last OverlapWith(chunk) samples.
std::vector<float> AudioJoiner::Join(std::span<const float> chunk) {
  std::vector<float> out;
  out.reserve(held_tail_.size() + chunk.size());
  const long overlap = OverlapWith(chunk.size());
  const long plain = static_cast<long>(held_tail_.size()) - overlap;
  out.insert(out.end(), held_tail_.begin(), held_tail_.begin() + plain);
  for (long i = 0; i < overlap; ++i) {
    out.push_back(held_tail_[plain + i] * FadeOutWeight(i, overlap, config_.crossfade_shape) +
                  chunk[i] * FadeInWeight(i, overlap, config_.crossfade_shape));
  }
  out.insert(out.end(), chunk.begin() + overlap, chunk.end());
  held_tail_.clear();
  if (!chunk.empty()) {
    after_silence_ = false;
    at_utterance_start_ = false;
  }
  return out;
}

// Final processing of samples leaving the joiner, in stream order: DC
// removal, then the fade-in at the start of a stretch of audio and, when it
// ends (pause or utterance end), the fade-out.
void AudioJoiner::Emit(std::vector<float>& audio, bool ends) {
  RemoveDc(audio);
  for (size_t i = 0; i < audio.size() && segment_position_ < edge_fade_samples_; ++i) {
    audio[i] *= FadeInWeight(segment_position_++, edge_fade_samples_, CrossfadeShape::kRaisedCosine);
  }
  segment_position_ += static_cast<long>(audio.size());
  if (ends) {
    FadeOut(audio, edge_fade_samples_);
    segment_position_ = 0;
    dc_primed_ = false;
    after_silence_ = true;
  }
}

// y[n] = a (y[n-1] + x[n] - x[n-1]): a one-pole high-pass over the joined
// audio, state carried across chunks. Each stretch of audio between silences
// primes it with its first sample, so an offset does not start with a step.
void AudioJoiner::RemoveDc(std::vector<float>& audio) {
  if (dc_coefficient_ == 0.0f || audio.empty()) return;
  if (!dc_primed_) {
    dc_previous_input_ = audio.front();
    dc_previous_output_ = 0.0f;
    dc_primed_ = true;
  }
  float previous_input = dc_previous_input_;
  float previous_output = dc_previous_output_;
  for (float& x : audio) {
    const float y = dc_coefficient_ * (previous_output + x - previous_input);
    previous_input = x;
    previous_output = y;
    x = y;
  }
  dc_previous_input_ = previous_input;
  dc_previous_output_ = previous_output;
}

}  // namespace voxlet
