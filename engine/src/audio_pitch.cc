#include "voxlet/audio_pitch.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>

#include "voxlet/audio_common.h"

namespace voxlet {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr int kKernelResolution = 128;  // kernel table entries per zero crossing
constexpr int kLanes = 8;

double BesselI0(double x) {
  double sum = 1.0, term = 1.0;
  const double quarter_x2 = 0.25 * x * x;
  for (int k = 1; k < 200 && term > 1e-14 * sum; ++k) {
    term *= quarter_x2 / (static_cast<double>(k) * k);
    sum += term;
  }
  return sum;
}

int HopSamples(const PitchShifterConfig& config) {
  return static_cast<int>(MsToSamples(config.frame_ms / 2.0, config.sample_rate));
}

// Dot product in kLanes fixed partial sums: vectorizes without -ffast-math and
// does not depend on how the stream was split.
double Dot(const float* a, const float* b, int count) {
  float lanes[kLanes] = {};
  int k = 0;
  for (; k + kLanes <= count; k += kLanes) {
    for (int lane = 0; lane < kLanes; ++lane) lanes[lane] += a[k + lane] * b[k + lane];
  }
  double sum = ((lanes[0] + lanes[4]) + (lanes[1] + lanes[5])) +
               ((lanes[2] + lanes[6]) + (lanes[3] + lanes[7]));
  for (; k < count; ++k) sum += static_cast<double>(a[k]) * b[k];
  return sum;
}

}  // namespace

float ClampPitchFactor(double factor) {
  if (!std::isfinite(factor) || factor <= 0.0) return 1.0f;
  return static_cast<float>(std::clamp(factor, static_cast<double>(kMinPitchFactor),
                                       static_cast<double>(kMaxPitchFactor)));
}

std::vector<std::string> PitchShifterConfig::Validate() const {
  std::vector<std::string> problems;
  CheckSampleRate(problems, "sample_rate", sample_rate);
  CheckRange(problems, "frame_ms", frame_ms, 5.0f, 100.0f);
  CheckRange(problems, "search_ms", search_ms, 0.0f, 50.0f);
  CheckRange(problems, "kaiser_beta", kaiser_beta, 0.0f, 20.0f);
  if (zero_crossings < 4 || zero_crossings > 64) {
    problems.push_back("zero_crossings = " + std::to_string(zero_crossings) +
                       " is outside [4, 64]");
  }
  if (problems.empty() && HopSamples(*this) < 4) {
    problems.push_back("frame_ms = " + FormatNumber(frame_ms) + " is under 8 samples at " +
                       std::to_string(sample_rate) + " Hz");
  }
  return problems;
}

std::string PitchShifterConfig::ToString() const {
  std::ostringstream out;
  out << "PitchShifterConfig(sample_rate=" << sample_rate << ", frame_ms=" << frame_ms
      << ", search_ms=" << search_ms << ", zero_crossings=" << zero_crossings
      << ", kaiser_beta=" << kaiser_beta << ")";
  return out.str();
}

Result<PitchShifter> PitchShifter::Create(const PitchShifterConfig& config) {
  const std::vector<std::string> problems = config.Validate();
  if (!problems.empty()) return InvalidConfig("pitch shifter", problems);
  return PitchShifter(config);
}

PitchShifter::PitchShifter(const PitchShifterConfig& config) : config_(config) {
  hop_ = HopSamples(config);
  search_ = static_cast<int>(MsToSamples(config.search_ms, config.sample_rate));
  // Periodic Hann: window_[j] + window_[j + hop_] = 1, so 50 % overlap-add of
  // aligned frames gives the input back.
  window_.resize(2 * static_cast<size_t>(hop_));
  for (size_t j = 0; j < window_.size(); ++j) {
    window_[j] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * kPi * j / window_.size()));
  }
  // kernel_[i] = sinc(u) * kaiser(u / Z) at u = i / kKernelResolution, exactly
  // 1 at 0 and 0 at the other integers (so reading at whole positions with no
  // low-pass returns the samples themselves), plus a trailing 0.
  const int z = config.zero_crossings;
  kernel_.assign(static_cast<size_t>(z) * kKernelResolution + 2, 0.0f);
  const double norm = BesselI0(config.kaiser_beta);
  kernel_[0] = 1.0f;
  for (int i = 1; i <= z * kKernelResolution; ++i) {
    if (i % kKernelResolution == 0) continue;
    const double u = static_cast<double>(i) / kKernelResolution;
    const double r = u / z;
    const double window = BesselI0(config.kaiser_beta * std::sqrt(std::max(0.0, 1.0 - r * r)));
    kernel_[i] = static_cast<float>(std::sin(kPi * u) / (kPi * u) * window / norm);
  }
  Reset();
}

void PitchShifter::Reset() {
  active_ = false;
  input_.clear();
  input_base_ = 0;
  input_count_ = 0;
  factors_.clear();
  stretched_.clear();
  stretched_base_ = 0;
  stretched_final_ = 0;
  anchors_.clear();
  next_frame_ = 0;
  next_anchor_ = 0.0;
  previous_start_ = 0;
  has_previous_ = false;
  output_count_ = 0;
}

int PitchShifter::latency_samples(double factor) const {
  const double f = ClampPitchFactor(factor);
  if (f == 1.0 && !active_) return 0;
  // Output n needs the stretched signal up to about n*f + reach and the frame
  // there, which reads input up to its anchor + hop + search.
  const double reach = config_.zero_crossings * std::max(f, 1.0) + 2.0;
  return static_cast<int>(std::ceil((reach + hop_) / f)) + hop_ + search_ + 2;
}

float PitchShifter::Input(int64_t index) const {
  if (index < input_base_ || index >= input_count_) return 0.0f;
  return input_[static_cast<size_t>(index - input_base_)];
}

double PitchShifter::FactorAt(int64_t index) const {
  double factor = 1.0;
  for (const auto& [first, value] : factors_) {
    if (first > index) break;
    factor = value;
  }
  return factor;
}

// Starts shifting at input sample n0 = input_count_ (everything before it was
// passed through) as if frames had been laid down at factor 1 all along:
// frames 0 .. k*-1 (k* = n0 / hop) read the input unmoved, which overlap-adds
// to the input itself, so the stretched signal up to frame k* is the input
// (the last half frame still windowed) and output n0 onward continues it.
void PitchShifter::Activate() {
  const int64_t n0 = input_count_;
  const int64_t first_frame = n0 / hop_;
  const int64_t partial = (first_frame - 1) * hop_;  // start of the windowed half
  active_ = true;
  factors_.assign(1, {0, 1.0});
  stretched_base_ = partial - 2 * config_.zero_crossings - 8;
  stretched_.assign(static_cast<size_t>(first_frame * hop_ - stretched_base_), 0.0f);
  if (first_frame > 0) {
    for (int64_t t = stretched_base_; t < first_frame * hop_; ++t) {
      const float x = Input(t);
      stretched_[static_cast<size_t>(t - stretched_base_)] =
          t < partial ? x : window_[static_cast<size_t>(hop_ + t - partial)] * x;
    }
  }
  stretched_final_ = partial;
  anchors_.clear();
  next_frame_ = first_frame;
  next_anchor_ = static_cast<double>(first_frame * hop_);
  previous_start_ = partial - hop_;
  has_previous_ = first_frame > 0;
}

// Lays down frame k = next_frame_ if its input is there (or, flushing, as if
// silence followed). Returns false when it has to wait for input.
bool PitchShifter::AddFrame(bool flushing) {
  const int64_t center = std::llround(next_anchor_);
  const int64_t nominal = center - hop_;
  if (!flushing && nominal + 2 * hop_ + search_ > input_count_) return false;
  const double factor = FactorAt(center);

  // WSOLA search: the read position whose first half best continues what the
  // previous frame would have played next (normalized cross-correlation; ties
  // go to the smaller move, so a periodic input is not shifted by a period).
  int best_shift = 0;
  if (has_previous_ && search_ > 0) {
    std::vector<float> target(static_cast<size_t>(hop_));
    for (int j = 0; j < hop_; ++j) target[j] = Input(previous_start_ + hop_ + j);
    const double target_energy = Dot(target.data(), target.data(), hop_);
    if (target_energy > 1e-12 * hop_) {
      std::vector<float> region(static_cast<size_t>(2 * search_ + hop_));
      for (size_t j = 0; j < region.size(); ++j) {
        region[j] = Input(nominal - search_ + static_cast<int64_t>(j));
      }
      std::vector<double> energy_prefix(region.size() + 1, 0.0);
      for (size_t j = 0; j < region.size(); ++j) {
        energy_prefix[j + 1] = energy_prefix[j] + static_cast<double>(region[j]) * region[j];
      }
      double best_score = -2.0;
      for (int step = 0; step <= 2 * search_; ++step) {
        const int shift = (step % 2 == 0 ? 1 : -1) * ((step + 1) / 2);  // 0, -1, 1, -2, ...
        const int offset = search_ + shift;
        const double energy = energy_prefix[offset + hop_] - energy_prefix[offset];
        if (energy <= 1e-12 * hop_) continue;
        const double score =
            Dot(target.data(), &region[offset], hop_) / std::sqrt(energy * target_energy);
        if (score > best_score + 1e-6) {
          best_score = score;
          best_shift = shift;
        }
      }
    }
  }

  const int64_t start = nominal + best_shift;
  const int64_t frame_begin = (next_frame_ - 1) * hop_;
  const int64_t needed_end = frame_begin + 2 * hop_;
  const int64_t have_end = stretched_base_ + static_cast<int64_t>(stretched_.size());
  if (needed_end > have_end) stretched_.resize(static_cast<size_t>(needed_end - stretched_base_));
  float* out = &stretched_[static_cast<size_t>(frame_begin - stretched_base_)];
  for (int j = 0; j < 2 * hop_; ++j) out[j] += window_[j] * Input(start + j);

  anchors_.push_back({next_frame_, next_anchor_, factor});
  previous_start_ = start;
  has_previous_ = true;
  stretched_final_ = next_frame_ * hop_;
  ++next_frame_;
  next_anchor_ += hop_ / factor;
  return true;
}

// Windowed-sinc value of the stretched signal at `time`, low-passed at
// Nyquist / factor when reading faster than 1 sample per sample.
float PitchShifter::Interpolate(double time, double factor) const {
  const double scale = factor > 1.0 ? 1.0 / factor : 1.0;
  const double half = config_.zero_crossings / scale;
  const int64_t first = static_cast<int64_t>(std::ceil(time - half));
  const int64_t last = static_cast<int64_t>(std::floor(time + half));
  double sum = 0.0, weights = 0.0;
  for (int64_t i = first; i <= last; ++i) {
    const double position = std::fabs(time - static_cast<double>(i)) * scale * kKernelResolution;
    const size_t index = static_cast<size_t>(position);
    if (index + 1 >= kernel_.size()) continue;
    const double fraction = position - static_cast<double>(index);
    const double weight = kernel_[index] + fraction * (kernel_[index + 1] - kernel_[index]);
    const int64_t at = i - stretched_base_;
    const float value = at >= 0 && at < static_cast<int64_t>(stretched_.size())
                            ? stretched_[static_cast<size_t>(at)]
                            : 0.0f;
    sum += weight * value;
    weights += weight;
  }
  return weights > 0.0 ? static_cast<float>(sum / weights) : 0.0f;
}

// Computes every output whose stretched neighbourhood is complete (or, when
// flushing, every remaining one once the frames are there).
void PitchShifter::Produce(bool flushing, std::vector<float>& out) {
  (void)flushing;
  while (output_count_ < input_count_) {
    const double n = static_cast<double>(output_count_);
    while (anchors_.size() >= 2 && anchors_[1].input <= n) anchors_.pop_front();
    if (anchors_.empty()) return;
    const Anchor& anchor = anchors_.front();
    if (anchors_.size() == 1 && n >= anchor.input + hop_ / anchor.factor) return;
    const double time = static_cast<double>(anchor.frame * hop_) + (n - anchor.input) * anchor.factor;
    const double reach = config_.zero_crossings * std::max(anchor.factor, 1.0) + 1.0;
    if (std::ceil(time + reach) >= static_cast<double>(stretched_final_)) return;
    out.push_back(Interpolate(time, anchor.factor));
    ++output_count_;
  }
}

// Drops input and stretched samples no later frame or output can reach (only
// when that is at least half the buffer: O(1) amortized per sample).
void PitchShifter::Trim() {
  int64_t input_needed = input_count_ - (3 * hop_ + search_ + 2 * config_.zero_crossings + 16);
  if (active_) {
    input_needed = std::min<int64_t>(previous_start_ + hop_,
                                     std::llround(next_anchor_) - hop_ - search_) - 1;
  }
  const int64_t input_drop = std::min<int64_t>(input_needed - input_base_, input_.size());
  if (input_drop > 0 && input_drop * 2 >= static_cast<int64_t>(input_.size())) {
    input_.erase(input_.begin(), input_.begin() + input_drop);
    input_base_ += input_drop;
  }
  if (!active_ || anchors_.empty()) return;
  const Anchor& anchor = anchors_.front();
  const double time = static_cast<double>(anchor.frame * hop_) +
                      (static_cast<double>(output_count_) - anchor.input) * anchor.factor;
  const int64_t stretched_needed =
      static_cast<int64_t>(std::floor(time)) - 2 * config_.zero_crossings - 4;
  const int64_t stretched_drop =
      std::min<int64_t>(stretched_needed - stretched_base_, stretched_.size());
  if (stretched_drop > 0 && stretched_drop * 2 >= static_cast<int64_t>(stretched_.size())) {
    stretched_.erase(stretched_.begin(), stretched_.begin() + stretched_drop);
    stretched_base_ += stretched_drop;
  }
}

std::vector<float> PitchShifter::Process(std::span<const float> input, double factor) {
  const double f = ClampPitchFactor(factor);
  std::vector<float> out;
  if (!active_ && f == 1.0) {  // exact bypass; keep a tail in case shifting starts
    out.assign(input.begin(), input.end());
    SanitizeSamples(out);
    input_.insert(input_.end(), out.begin(), out.end());
    input_count_ += static_cast<int64_t>(out.size());
    output_count_ = input_count_;
    Trim();
    return out;
  }
  if (!active_) Activate();
  if (factors_.back().second != f) factors_.emplace_back(input_count_, f);
  const size_t start = input_.size();
  input_.insert(input_.end(), input.begin(), input.end());
  SanitizeSamples(std::span<float>(input_).subspan(start));
  input_count_ += static_cast<int64_t>(input.size());
  out.reserve(input.size() + 64);
  do {
    Produce(false, out);
  } while (output_count_ < input_count_ && AddFrame(false));
  // Factor changes the next frame is past no longer matter.
  const int64_t next_center = std::llround(next_anchor_);
  while (factors_.size() >= 2 && factors_[1].first <= next_center) factors_.erase(factors_.begin());
  Trim();
  return out;
}

std::vector<float> PitchShifter::Flush() {
  std::vector<float> out;
  if (active_) {
    do {
      Produce(true, out);
    } while (output_count_ < input_count_ && AddFrame(true));
  }
  Reset();
  return out;
}

}  // namespace voxlet
