// WAV (RIFF/WAVE) encoding and decoding.
//
// EncodeWav16 writes 16-bit PCM: samples are scaled by 32768, rounded to the
// nearest integer and clipped to [-32768, 32767]; no dither (speech normalized
// to about -2 dBFS has its quantization noise near -98 dBFS, and a
// deterministic encoder keeps golden tests byte-exact). NaN encodes as 0.
//
// DecodeWav reads PCM 16/24/32-bit integer and 32-bit IEEE float, plain or
// WAVE_FORMAT_EXTENSIBLE, mono or stereo (stereo is averaged to mono). Every
// read is bounds-checked, so arbitrary bytes give a Status, never a crash:
//   kInvalidAsset     not RIFF/WAVE, truncated, missing or malformed chunks
//   kInvalidArgument  a well-formed file in a format this decoder does not
//                     read (the message names the ones it does)
//
//   auto bytes = EncodeWav16(audio, 22050);          // Result<std::vector<uint8_t>>
//   auto wav = DecodeWav(*bytes);                    // Result<DecodedWav>
//   if (!wav.ok()) Log(wav.status().ToString());
//
// Ownership: both read their input during the call only and return new
// buffers the caller owns.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "voxlet/status.h"

namespace voxlet {

inline constexpr int kWavMaxChannels = 2;

// Interleaved float samples (full scale 1.0) to a complete WAV file.
// kInvalidArgument for a sample rate outside [1, 2^31) Hz, channels outside
// [1, kWavMaxChannels] or a sample count that is not a multiple of channels;
// kLimitExceeded when the data would not fit the 4 GiB RIFF size field.
Result<std::vector<uint8_t>> EncodeWav16(std::span<const float> samples, int sample_rate,
                                         int channels = 1);

struct DecodedWav {
  std::vector<float> samples;  // mono, full scale 1.0
  int sample_rate = 0;         // Hz
  int channels = 0;            // in the file (1 or 2)
  int bits_per_sample = 0;     // in the file (16, 24 or 32)
  bool is_float = false;       // IEEE float data in the file
};

Result<DecodedWav> DecodeWav(std::span<const uint8_t> bytes);

}  // namespace voxlet
