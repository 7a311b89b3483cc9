#include "voxlet/wav.h"

#include <cmath>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace voxlet {
namespace {

constexpr uint16_t kFormatPcm = 1;
constexpr uint16_t kFormatFloat = 3;
constexpr uint16_t kFormatExtensible = 0xFFFE;
// The GUID tail shared by the KSDATAFORMAT_SUBTYPE_* values; the first two
// bytes carry the plain format code.
constexpr uint8_t kSubformatTail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                        0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};

void PutU16(std::vector<uint8_t>& out, uint32_t value) {
  out.push_back(static_cast<uint8_t>(value));
  out.push_back(static_cast<uint8_t>(value >> 8));
}

void PutU32(std::vector<uint8_t>& out, uint32_t value) {
  PutU16(out, value & 0xFFFF);
  PutU16(out, value >> 16);
}

void PutTag(std::vector<uint8_t>& out, const char* tag) { out.insert(out.end(), tag, tag + 4); }

int16_t ToPcm16(float sample) {
  if (std::isnan(sample)) return 0;
  const float scaled = std::nearbyint(sample * 32768.0f);
  if (scaled >= 32767.0f) return 32767;
  if (scaled <= -32768.0f) return -32768;
  return static_cast<int16_t>(scaled);
}

// Little-endian readers over a bounds-checked view.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  size_t size() const { return bytes_.size(); }
  uint16_t U16(size_t at) const { return static_cast<uint16_t>(bytes_[at] | bytes_[at + 1] << 8); }
  uint32_t U32(size_t at) const {
    return static_cast<uint32_t>(U16(at)) | static_cast<uint32_t>(U16(at + 2)) << 16;
  }
  bool TagIs(size_t at, const char* tag) const {
    return std::memcmp(bytes_.data() + at, tag, 4) == 0;
  }
  const uint8_t* At(size_t at) const { return bytes_.data() + at; }

 private:
  std::span<const uint8_t> bytes_;
};

struct Format {
  uint16_t code = 0;  // kFormatPcm or kFormatFloat after resolving extensible
  int channels = 0;
  uint32_t sample_rate = 0;
  int block_align = 0;
  int bits = 0;
};

Status Corrupt(const std::string& what) {
  return Status(StatusCode::kInvalidAsset, "corrupt WAV: " + what);
}

Status Unsupported(const std::string& what) {
  return Status(StatusCode::kInvalidArgument,
                "unsupported WAV: " + what +
                    "; expected PCM 16/24/32-bit integer or 32-bit float, mono or stereo");
}

Result<Format> ParseFormat(const Reader& reader, size_t at, uint32_t size) {
  if (size < 16) return Corrupt("fmt chunk of " + std::to_string(size) + " bytes (need 16)");
  Format format;
  format.code = reader.U16(at);
  format.channels = reader.U16(at + 2);
  format.sample_rate = reader.U32(at + 4);
  format.block_align = reader.U16(at + 12);
  format.bits = reader.U16(at + 14);
  if (format.code == kFormatExtensible) {
    if (size < 40 || reader.U16(at + 16) < 22) return Corrupt("short WAVE_FORMAT_EXTENSIBLE");
    const uint16_t valid_bits = reader.U16(at + 18);
    if (valid_bits != 0 && valid_bits != format.bits) {
      return Unsupported(std::to_string(valid_bits) + " valid bits in " +
                         std::to_string(format.bits) + "-bit containers");
    }
    if (std::memcmp(reader.At(at + 26), kSubformatTail, sizeof kSubformatTail) != 0) {
      return Unsupported("unknown WAVE_FORMAT_EXTENSIBLE subformat GUID");
    }
    format.code = reader.U16(at + 24);
  }
  if (format.channels < 1 || format.channels > kWavMaxChannels) {
    return Unsupported(std::to_string(format.channels) + " channels");
  }
  if (format.sample_rate == 0 || format.sample_rate > 0x7FFFFFFF) {
    return Corrupt("sample rate " + std::to_string(format.sample_rate));
  }
  const bool pcm_ok = format.code == kFormatPcm &&
                      (format.bits == 16 || format.bits == 24 || format.bits == 32);
  const bool float_ok = format.code == kFormatFloat && format.bits == 32;
  if (!pcm_ok && !float_ok) {
    return Unsupported("format code " + std::to_string(format.code) + " with " +
                       std::to_string(format.bits) + " bits per sample");
  }
  if (format.block_align != format.channels * format.bits / 8) {
    return Corrupt("block align " + std::to_string(format.block_align) + " for " +
                   std::to_string(format.channels) + " x " + std::to_string(format.bits) +
                   "-bit samples");
  }
  return format;
}

float ReadSample(const uint8_t* p, const Format& format) {
  switch (format.bits) {
    case 16:
      return static_cast<float>(static_cast<int16_t>(p[0] | p[1] << 8)) / 32768.0f;
    case 24: {
      // Shift into the top of an int32 so the sign extends, then scale.
      const uint32_t raw = static_cast<uint32_t>(p[0]) << 8 | static_cast<uint32_t>(p[1]) << 16 |
                           static_cast<uint32_t>(p[2]) << 24;
      return static_cast<float>(static_cast<int32_t>(raw)) / 2147483648.0f;
    }
    default: {
      const uint32_t raw = static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
                           static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
      if (format.code == kFormatFloat) {
        float value;
        std::memcpy(&value, &raw, sizeof value);
        return std::isfinite(value) ? value : 0.0f;  // a WAV may hold NaN; we never pass it on
      }
      return static_cast<float>(static_cast<double>(static_cast<int32_t>(raw)) / 2147483648.0);
    }
  }
}

std::vector<float> ReadMono(const Reader& reader, size_t at, size_t frames, const Format& format) {
  std::vector<float> samples(frames);
  const int bytes_per_sample = format.bits / 8;
  for (size_t frame = 0; frame < frames; ++frame) {
    const uint8_t* p = reader.At(at + frame * format.block_align);
    float sum = 0.0f;
    for (int channel = 0; channel < format.channels; ++channel) {
      sum += ReadSample(p + channel * bytes_per_sample, format);
    }
    samples[frame] = sum / static_cast<float>(format.channels);
  }
  return samples;
}

}  // namespace

Result<std::vector<uint8_t>> EncodeWav16(std::span<const float> samples, int sample_rate,
                                         int channels) {
  if (sample_rate < 1) {
    return Status(StatusCode::kInvalidArgument,
                  "sample_rate = " + std::to_string(sample_rate) + " must be positive");
  }
  if (channels < 1 || channels > kWavMaxChannels) {
    return Status(StatusCode::kInvalidArgument,
                  "channels = " + std::to_string(channels) + "; expected 1 or 2");
  }
  if (samples.size() % channels != 0) {
    return Status(StatusCode::kInvalidArgument,
                  std::to_string(samples.size()) + " samples do not divide into " +
                      std::to_string(channels) + " channels");
  }
  const uint64_t data_bytes = static_cast<uint64_t>(samples.size()) * 2;
  if (data_bytes > 0xFFFFFFFFull - 36) {
    return Status(StatusCode::kLimitExceeded, "audio too long for a WAV file (4 GiB)");
  }
  std::vector<uint8_t> out;
  out.reserve(44 + data_bytes);
  PutTag(out, "RIFF");
  PutU32(out, static_cast<uint32_t>(36 + data_bytes));
  PutTag(out, "WAVE");
  PutTag(out, "fmt ");
  PutU32(out, 16);
  PutU16(out, kFormatPcm);
  PutU16(out, channels);
  PutU32(out, sample_rate);
  PutU32(out, static_cast<uint32_t>(sample_rate) * channels * 2);  // byte rate
  PutU16(out, channels * 2);                                        // block align
  PutU16(out, 16);
  PutTag(out, "data");
  PutU32(out, static_cast<uint32_t>(data_bytes));
  for (float sample : samples) PutU16(out, static_cast<uint16_t>(ToPcm16(sample)));
  return out;
}

// Walks the chunk list (any order, unknown chunks skipped). The RIFF size
// field is not trusted (writers often get it wrong); the buffer's real size
// bounds every read instead.
Result<DecodedWav> DecodeWav(std::span<const uint8_t> bytes) {
  const Reader reader(bytes);
  if (reader.size() < 12 || !reader.TagIs(0, "RIFF") || !reader.TagIs(8, "WAVE")) {
    return Corrupt("not a RIFF/WAVE file");
  }
  std::optional<Format> format;
  for (size_t at = 12; at + 8 <= reader.size();) {
    const uint32_t size = reader.U32(at + 4);
    const size_t body = at + 8;
    if (size > reader.size() - body) {
      return Corrupt("truncated: chunk '" +
                     std::string(reinterpret_cast<const char*>(reader.At(at)), 4) + "' declares " +
                     std::to_string(size) + " bytes but " + std::to_string(reader.size() - body) +
                     " remain");
    }
    if (reader.TagIs(at, "fmt ")) {
      Result<Format> parsed = ParseFormat(reader, body, size);
      if (!parsed.ok()) return parsed.status();
      format = parsed.value();
    } else if (reader.TagIs(at, "data")) {
      if (!format) return Corrupt("data chunk before fmt chunk");
      if (size % format->block_align != 0) {
        return Corrupt("truncated: data size " + std::to_string(size) +
                       " is not a whole number of " + std::to_string(format->block_align) +
                       "-byte frames");
      }
      DecodedWav wav;
      wav.samples = ReadMono(reader, body, size / format->block_align, *format);
      wav.sample_rate = static_cast<int>(format->sample_rate);
      wav.channels = format->channels;
      wav.bits_per_sample = format->bits;
      wav.is_float = format->code == kFormatFloat;
      return wav;
    }
    at = body + size + (size & 1);  // chunks are padded to even sizes
  }
  return Corrupt(format ? "no data chunk" : "no fmt chunk");
}

}  // namespace voxlet
