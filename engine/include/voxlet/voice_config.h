// A voice's JSON configuration: a superset of Piper's `<voice>.onnx.json`, so a
// Piper voice loads unchanged, plus an optional "voxlet" section (model variants
// per precision with sha256 and byte size, components, phonemizer, chunking).
// docs/voice-config.md describes every field.
//
//   Result<VoiceConfig> config = VoiceConfig::Parse(json_text);
//   if (!config.ok()) return config.status();  // MALFORMED_JSON / INVALID_CONFIG
//   int rate = config->sample_rate;
//
// The struct is plain data: Parse() fills it, callers may edit it, and
// Validate() re-checks it. Unknown JSON keys (e.g. sherpa-onnx metadata, Piper's
// "dataset") are ignored.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "voxlet/status.h"

namespace voxlet {

// Bounds enforced by Parse() with kLimitExceeded: a voice config is a few
// kilobytes; anything far larger is a wrong file or an attack on the tab.
inline constexpr size_t kMaxVoiceConfigBytes = 4 * 1024 * 1024;
inline constexpr size_t kMaxPhonemeIdMapEntries = 100000;
inline constexpr size_t kMaxSpeakers = 100000;
inline constexpr int kMaxVoiceConfigDepth = 64;  // JSON nesting

// One downloadable model file of the voice, e.g. the int8 acoustic model.
struct VoiceVariant {
  std::string precision;           // fp32 | fp16 | int8 | int8-weights | pruned
  std::string file;                // path relative to the voice folder
  std::string sha256;              // 64 lowercase or uppercase hex digits
  uint64_t size = 0;               // bytes, > 0
  std::string component = "full";  // acoustic | vocoder | full
  std::optional<double> snr_db;    // quality.snr_db vs fp32, decibels
};

// A model component a voice is split into (e.g. acoustic model + vocoder).
struct VoiceComponent {
  std::string name;
  bool optional = false;
  std::string purpose;  // free text for people
};

struct VoiceConfig {
  // --- Piper fields ---------------------------------------------------------
  // "espeak" (IPA symbols as espeak-ng en-us writes them), "text" (the word's
  // characters) or "arpabet" (Voxlet: ARPAbet symbols with stress as keys).
  // Piper's default when the key is absent is "espeak".
  std::string phoneme_type = "espeak";
  // Symbol -> ids fed to the model. Must contain pad "_", BOS "^", EOS "$".
  std::map<std::string, std::vector<int64_t>, std::less<>> phoneme_id_map;
  // Symbol -> replacement symbols applied before the id lookup (Piper).
  std::map<std::string, std::vector<std::string>, std::less<>> phoneme_map;
  // Size of the model's symbol table. 0 in the JSON means "not given"; Parse()
  // then derives it as the largest id + 1.
  int64_t num_symbols = 0;
  int num_speakers = 1;
  std::map<std::string, int64_t, std::less<>> speaker_id_map;
  int sample_rate = 22050;  // Hz (audio.sample_rate; required in the JSON)
  std::string quality;      // audio.quality, e.g. "medium" (informational)
  std::string espeak_voice;   // espeak.voice, e.g. "en-us"
  std::string language_code;  // language.code, e.g. "en_US"
  float noise_scale = 0.667f;  // inference.noise_scale (Piper default)
  float length_scale = 1.0f;   // inference.length_scale; > 1 is slower
  float noise_w = 0.8f;        // inference.noise_w (duration noise)
  std::string piper_version;

  // --- Voxlet section ("voxlet": {...}) -------------------------------------
  std::string phonemizer = "builtin-en-us";  // builtin-en-us | espeak
  std::vector<VoiceVariant> variants;
  std::vector<VoiceComponent> components;
  int max_chunk_tokens = 400;  // phoneme ids per inference call, upper bound
  bool interspersed_pad = true;  // pad "_" after BOS and after every phoneme
  std::string audio_output = "output";         // outputs.audio tensor name
  std::string durations_output = "durations";  // outputs.durations tensor name

  // Parses and validates. Errors: kLimitExceeded (over the bounds above),
  // kMalformedJson (not JSON; the message names line, column and byte offset),
  // kInvalidConfig (wrong types or values; the message lists every problem,
  // one per line).
  static Result<VoiceConfig> Parse(std::string_view json);

  // Every problem with the current values, in words; empty when valid.
  std::vector<std::string> Validate() const;

  // One line for logs, e.g. VoiceConfig(phoneme_type=espeak, sample_rate=22050, ...).
  std::string ToString() const;

  // Ids of `symbol`, or nullptr if the map lacks it. Points into phoneme_id_map:
  // valid while the config lives and the map is not modified.
  const std::vector<int64_t>* IdsOf(std::string_view symbol) const;
};

}  // namespace voxlet
