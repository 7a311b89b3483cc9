#include "voxlet/wav.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace voxlet {
namespace {

using Bytes = std::vector<uint8_t>;

void Put16(Bytes& out, uint32_t v) {
  out.push_back(v & 0xFF);
  out.push_back((v >> 8) & 0xFF);
}
void Put32(Bytes& out, uint32_t v) {
  Put16(out, v & 0xFFFF);
  Put16(out, v >> 16);
}
void PutTag(Bytes& out, const char* tag) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(tag[i]));
}

// A WAV file built by hand: header fields as given, `data` as raw bytes.
struct WavSpec {
  uint16_t format = 1;
  uint16_t channels = 1;
  uint32_t rate = 22050;
  uint16_t bits = 16;
  int block_align = -1;  // -1: computed
  bool extensible = false;
  Bytes data = {};
  Bytes extra_chunk = {};  // inserted between fmt and data
};

Bytes Build(const WavSpec& spec) {
  Bytes out;
  PutTag(out, "RIFF");
  Put32(out, 0);  // patched below
  PutTag(out, "WAVE");
  PutTag(out, "fmt ");
  Put32(out, spec.extensible ? 40 : 16);
  Put16(out, spec.extensible ? 0xFFFE : spec.format);
  Put16(out, spec.channels);
  Put32(out, spec.rate);
  const int align = spec.block_align >= 0 ? spec.block_align : spec.channels * spec.bits / 8;
  Put32(out, spec.rate * align);
  Put16(out, align);
  Put16(out, spec.bits);
  if (spec.extensible) {
    Put16(out, 22);
    Put16(out, spec.bits);
    Put32(out, spec.channels == 2 ? 3 : 4);  // channel mask
    const uint8_t guid[16] = {0, 0, 0, 0, 0x00, 0x00, 0x10, 0x00,
                              0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
    Bytes g(guid, guid + 16);
    g[0] = spec.format & 0xFF;
    g[1] = spec.format >> 8;
    out.insert(out.end(), g.begin(), g.end());
  }
  out.insert(out.end(), spec.extra_chunk.begin(), spec.extra_chunk.end());
  PutTag(out, "data");
  Put32(out, static_cast<uint32_t>(spec.data.size()));
  out.insert(out.end(), spec.data.begin(), spec.data.end());
  const uint32_t riff = static_cast<uint32_t>(out.size() - 8);
  std::memcpy(&out[4], &riff, 4);  // little-endian hosts (x86, wasm)
  return out;
}

Bytes Encode(const std::vector<float>& samples, int rate = 22050, int channels = 1) {
  Result<Bytes> bytes = EncodeWav16(samples, rate, channels);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? bytes.value() : Bytes{};
}

TEST(WavTest, EncodesTheCanonical44ByteHeader) {
  const Bytes bytes = Encode({0.0f, 0.5f, -0.5f}, 22050);
  ASSERT_EQ(bytes.size(), 44u + 6u);
  const Bytes header_start = {'R', 'I', 'F', 'F', 42, 0, 0, 0, 'W', 'A', 'V', 'E',
                              'f', 'm', 't', ' ', 16, 0, 0, 0, 1, 0, 1, 0,
                              0x22, 0x56, 0, 0, 0x44, 0xAC, 0, 0, 2, 0, 16, 0,
                              'd', 'a', 't', 'a', 6, 0, 0, 0};
  EXPECT_EQ(Bytes(bytes.begin(), bytes.begin() + 44), header_start);
  const Bytes data = {0, 0, 0x00, 0x40, 0x00, 0xC0};  // 0, 16384, -16384
  EXPECT_EQ(Bytes(bytes.begin() + 44, bytes.end()), data);
}

TEST(WavTest, RoundsAndClipsTo16Bit) {
  struct Row {
    float in;
    int16_t out;
  };
  const Row rows[] = {{0.0f, 0},           {1.0f, 32767},      {-1.0f, -32768},
                      {1.5f, 32767},       {-7.0f, -32768},    {0.4f / 32768, 0},
                      {0.6f / 32768, 1},   {-0.6f / 32768, -1}, {std::nanf(""), 0},
                      {std::numeric_limits<float>::infinity(), 32767},
                      {-std::numeric_limits<float>::infinity(), -32768}};
  for (const Row& row : rows) {
    const Bytes bytes = Encode({row.in});
    const int16_t got = static_cast<int16_t>(bytes[44] | bytes[45] << 8);
    EXPECT_EQ(got, row.out) << row.in;
  }
}

TEST(WavTest, RoundTripWithinHalfAStep) {
  std::vector<float> audio(5000);
  for (size_t i = 0; i < audio.size(); ++i) audio[i] = 0.9f * std::sin(0.01f * i);
  const Result<DecodedWav> wav = DecodeWav(Encode(audio, 48000));
  ASSERT_TRUE(wav.ok()) << wav.status().ToString();
  EXPECT_EQ(wav->sample_rate, 48000);
  EXPECT_EQ(wav->channels, 1);
  EXPECT_EQ(wav->bits_per_sample, 16);
  EXPECT_FALSE(wav->is_float);
  ASSERT_EQ(wav->samples.size(), audio.size());
  for (size_t i = 0; i < audio.size(); ++i) {
    ASSERT_NEAR(wav->samples[i], audio[i], 0.5f / 32768 + 1e-7f) << i;
  }
  EXPECT_TRUE(DecodeWav(Encode({})).ok());  // no samples is a valid file
}

TEST(WavTest, StereoIsAveragedToMono) {
  const Result<DecodedWav> wav = DecodeWav(Encode({0.5f, 0.25f, -1.0f, 0.0f}, 16000, 2));
  ASSERT_TRUE(wav.ok()) << wav.status().ToString();
  EXPECT_EQ(wav->channels, 2);
  ASSERT_EQ(wav->samples.size(), 2u);
  EXPECT_NEAR(wav->samples[0], 0.375f, 1e-4f);
  EXPECT_NEAR(wav->samples[1], -0.5f, 1e-4f);
}

TEST(WavTest, DecodesEveryReadableFormat) {
  struct Row {
    const char* name;
    WavSpec spec;
    std::vector<float> expected;
  };
  const float half_float = 0.5f;
  Bytes float_data(8);
  std::memcpy(float_data.data(), &half_float, 4);
  const float minus = -0.25f;
  std::memcpy(float_data.data() + 4, &minus, 4);
  const Row rows[] = {
      {"pcm24", {.bits = 24, .data = {0x00, 0x00, 0x40, 0x00, 0x00, 0xC0}}, {0.5f, -0.5f}},
      {"pcm32", {.bits = 32, .data = {0, 0, 0, 0x40, 0, 0, 0, 0xE0}}, {0.5f, -0.25f}},
      {"float32", {.format = 3, .bits = 32, .data = float_data}, {0.5f, -0.25f}},
      {"extensible pcm24",
       {.bits = 24, .extensible = true, .data = {0x00, 0x00, 0x40, 0x00, 0x00, 0xC0}},
       {0.5f, -0.5f}},
      {"extensible float stereo",
       {.format = 3, .channels = 2, .bits = 32, .extensible = true, .data = float_data},
       {0.125f}},
      {"odd LIST chunk skipped",
       {.data = {0x00, 0x40},
        .extra_chunk = {'L', 'I', 'S', 'T', 3, 0, 0, 0, 'a', 'b', 'c', 0}},
       {0.5f}},
  };
  for (const Row& row : rows) {
    const Result<DecodedWav> wav = DecodeWav(Build(row.spec));
    ASSERT_TRUE(wav.ok()) << row.name << ": " << wav.status().ToString();
    ASSERT_EQ(wav->samples.size(), row.expected.size()) << row.name;
    for (size_t i = 0; i < row.expected.size(); ++i) {
      EXPECT_NEAR(wav->samples[i], row.expected[i], 1e-6f) << row.name;
    }
  }
}

TEST(WavTest, CorruptAndUnsupportedFilesGiveClearErrors) {
  const Bytes good = Build({.data = {0, 0, 0, 0x40}});
  Bytes bad_magic = good;
  bad_magic[8] = 'X';
  const Bytes truncated(good.begin(), good.begin() + (good.size() - 1));
  Bytes short_fmt = good;
  short_fmt[16] = 8;  // fmt size 8: the chunk walk then misreads, as garbage would
  struct Row {
    const char* name;
    Bytes bytes;
    StatusCode code;
    const char* message_part;
  };
  const Row rows[] = {
      {"empty", {}, StatusCode::kInvalidAsset, "not a RIFF/WAVE"},
      {"only RIFF", {'R', 'I', 'F', 'F'}, StatusCode::kInvalidAsset, "not a RIFF/WAVE"},
      {"bad magic", bad_magic, StatusCode::kInvalidAsset, "not a RIFF/WAVE"},
      {"truncated data", truncated, StatusCode::kInvalidAsset, "truncated"},
      {"header only", Bytes(good.begin(), good.begin() + 12), StatusCode::kInvalidAsset,
       "no fmt chunk"},
      {"short fmt", short_fmt, StatusCode::kInvalidAsset, "fmt chunk of 8 bytes"},
      {"partial frame", Build({.bits = 16, .data = {1, 2, 3}}), StatusCode::kInvalidAsset,
       "whole number"},
      {"block align", Build({.block_align = 4, .data = {0, 0, 0, 0}}),
       StatusCode::kInvalidAsset, "block align"},
      {"8-bit", Build({.bits = 8, .data = {128}}), StatusCode::kInvalidArgument,
       "expected PCM 16/24/32-bit"},
      {"a-law", Build({.format = 6, .bits = 8, .data = {1}}), StatusCode::kInvalidArgument,
       "format code 6"},
      {"float64", Build({.format = 3, .bits = 64, .data = Bytes(8)}),
       StatusCode::kInvalidArgument, "64 bits"},
      {"3 channels", Build({.channels = 3, .data = Bytes(6)}), StatusCode::kInvalidArgument,
       "3 channels"},
      {"rate 0", Build({.rate = 0, .data = Bytes(2)}), StatusCode::kInvalidAsset,
       "sample rate 0"},
  };
  for (const Row& row : rows) {
    const Result<DecodedWav> wav = DecodeWav(row.bytes);
    ASSERT_FALSE(wav.ok()) << row.name;
    EXPECT_EQ(wav.status().code(), row.code) << row.name << ": " << wav.status().ToString();
    EXPECT_NE(wav.status().message().find(row.message_part), std::string::npos)
        << row.name << ": " << wav.status().ToString();
  }
  // data before fmt
  Bytes swapped = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E',
                   'd', 'a', 't', 'a', 2, 0, 0, 0, 0, 0};
  EXPECT_NE(DecodeWav(swapped).status().message().find("before fmt"), std::string::npos);
}

TEST(WavTest, EncodeRejectsBadArguments) {
  EXPECT_EQ(EncodeWav16({}, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodeWav16({}, 22050, 3).status().code(), StatusCode::kInvalidArgument);
  const std::vector<float> three(3, 0.0f);
  EXPECT_EQ(EncodeWav16(three, 22050, 2).status().code(), StatusCode::kInvalidArgument);
}

// Every prefix and 3,000 random byte mutations of valid files decode or fail
// cleanly (run under ASan/UBSan this is the bounds check).
TEST(WavTest, SurvivesTruncationAndMutation) {
  std::vector<Bytes> seeds = {Encode({0.1f, 0.2f, 0.3f, -0.4f}),
                              Build({.format = 3, .channels = 2, .bits = 32,
                                     .extensible = true, .data = Bytes(16, 0x3F)})};
  std::mt19937 random(11);
  int decoded = 0;
  for (const Bytes& seed : seeds) {
    for (size_t size = 0; size <= seed.size(); ++size) {
      decoded += DecodeWav(std::span<const uint8_t>(seed.data(), size)).ok();
    }
    for (int round = 0; round < 1500; ++round) {
      Bytes mutated = seed;
      for (int edits = 1 + random() % 4; edits > 0; --edits) {
        mutated[random() % mutated.size()] = static_cast<uint8_t>(random());
      }
      const Result<DecodedWav> wav = DecodeWav(mutated);
      if (!wav.ok()) continue;
      ++decoded;
      for (float x : wav->samples) ASSERT_TRUE(std::isfinite(x));
    }
  }
  EXPECT_GT(decoded, 2);  // the full files at least
}

}  // namespace
}  // namespace voxlet
