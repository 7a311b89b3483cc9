// The engine's whole surface as JSON strings in and out: what wasm/bindings.cc
// exposes to JavaScript (one call per message, no exceptions across the
// boundary). Every method returns a JSON object; failures are
//   {"error": {"code": "MALFORMED_SSML", "message": "line 1, column 9: ..."}}
// and the JS wrapper turns them into a VoxletError with the same code.
//
// Audio crosses the boundary as sample vectors, not JSON: PushAudio and
// EncodeWav return the data, and AudioReply() the JSON status of that call
// (metadata or the error), so every failure still reaches JS as a code.
//
//   api.CreateAudioPipeline(R"({"voice_rate": 22050, "output_rate": 48000})");
//   std::vector<float> ready = api.PushAudio(chunk_audio, is_last, pause_ms, gain, pitch);
//   api.AudioReply();  // {"origin": 1234.5, "end": 10834.5, "samples": 9600}
//   std::vector<uint8_t> wav = api.EncodeWav(all_audio, 48000);
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "voxlet/audio_pipeline.h"
#include "voxlet/front_end.h"
#include "voxlet/g2p.h"
#include "voxlet/voice_config.h"

namespace voxlet {

class EngineApi {
 public:
  EngineApi();
  ~EngineApi();

  // {"ok": true, "words": N}. `bytes` is the lexicon asset.
  std::string LoadLexicon(const std::string& bytes);
  // {"ok": true, "voice": {...summary}}. `config_json`: a voice config.
  std::string LoadVoice(const std::string& config_json);

  // Options JSON (all optional): {"format": "auto"|"text"|"ssml",
  //  "first_chunk_ids": 48, "max_chunk_ids": 0, "max_input_bytes": N,
  //  "rate": 1 (the caller's speaking-rate factor; slower speech gets smaller
  //  chunks, see FrontEndOptions::rate)}. Chunk sizes must be integers
  //  (INVALID_ARGUMENT otherwise, never a wrapped or ignored value).
  // {"normalized": "...", "sentences": ["..."], "diagnostics": {...}}
  std::string Normalize(const std::string& text, const std::string& options_json);
  // {"sentences": [{text, span, normalized, phonemes, ids, words}], "diagnostics"}
  std::string Phonemize(const std::string& text, const std::string& options_json);

  // Pull-based synthesis front end: Start, then Next until "is_last".
  std::string Start(const std::string& text, const std::string& options_json);
  // A chunk object (see ChunkToJson) or {"done": true}.
  std::string Next();
  std::string Diagnostics() const;

  // Single-stage entry points the shared golden tables drive from Node.
  // {"say_as": "characters", "format": "dmy"} -> {"spoken": "..."}
  std::string NormalizeText(const std::string& text, const std::string& options_json);
  std::string ParseSsml(const std::string& text);  // {"pieces": [...]} (SsmlPiecesToJson)
  std::string ValidateVoice(const std::string& config_json);  // {"ok"} or error
  // [{"word": "hello", "phonemes": "HH AH0 L OW1"}, {"punct": "."}] mapped
  // with the loaded voice -> {"ids": [...], "unknown": N}
  std::string MapTokens(const std::string& tokens_json);
  // {"costs": [...], "clause_ends": [...], "forced_ends": [...],
  //  "first_chunk_ids": 48, "max_chunk_ids": 400, "first": true} -> {"chunks": [[b, e], ...]}
  std::string PlanChunks(const std::string& request_json);
  std::string Version() const;

  // The tuner (tuner.h, docs/tuning.md): a device profile (detect()), a voice
  // config and overrides (all JSON; "" = {}) -> a plan with a reason and a rule
  // per field: {"backend": "wasm", ..., "symptoms": [...], "reasons": {...},
  // "rules": {...}}. Errors name the bad field (profile.logical_cores, ...).
  // Pure: the loaded voice and engine state are not used or changed.
  std::string Tune(const std::string& profile_json, const std::string& voice_json,
                   const std::string& overrides_json) const;

  // Audio post-processing (audio_pipeline.h) for one utterance at a time.
  // Config JSON, all optional: {"voice_rate": the loaded voice's rate,
  //  "output_rate": voice_rate, "normalize": true, "gain": 1 (linear, after
  //  normalization), "pitch": 1 (factor for every chunk, > 0; with each
  //  push's pitch clamped to [0.5, 2], duration kept; audio_pitch.h)}
  //  -> {"ok": true, "voice_rate", "output_rate", "latency_samples"}.
  //  Replaces the current pipeline (and its utterance).
  std::string CreateAudioPipeline(const std::string& config_json);
  // Drops a half-pushed utterance (e.g. on cancel): {"ok": true}.
  std::string ResetAudioPipeline();
  // One chunk at the voice rate in; the samples final now, at the output rate,
  // out (a new buffer the caller owns). AudioReply() is then
  //   {"origin": O, "end": E, "samples": N}: the chunk's input sample k plays
  //   at output sample O + k * output_rate / voice_rate of the utterance, and
  //   its kept audio ends at E (O may be negative, both fractional; see
  //   audio_joiner.h and audio_pipeline.h)
  // or an error (no pipeline created): then the result is empty. `pitch`
  // multiplies the pipeline's pitch for this chunk (SSML <prosody pitch>).
  std::vector<float> PushAudio(std::span<const float> samples, bool is_last,
                               double pause_after_ms, double gain, double pitch = 1.0);
  // A complete 16-bit PCM mono WAV file (wav.h). AudioReply() is then
  // {"bytes": N}, or an error (bad sample rate, too long) with an empty result.
  std::vector<uint8_t> EncodeWav(std::span<const float> samples, int sample_rate);
  // The JSON reply of the last PushAudio or EncodeWav call.
  const std::string& AudioReply() const { return audio_reply_; }

 private:
  std::string RunSentences(const std::string& text, const std::string& options_json,
                           bool with_phonemes);
  Status EnsureFrontEnd(bool need_lexicon);

  std::shared_ptr<const Lexicon> lexicon_;
  std::unique_ptr<VoiceConfig> voice_;
  std::unique_ptr<FrontEnd> front_end_;
  std::vector<uint32_t> utf16_;  // UTF-16 offsets of the current input
  std::unique_ptr<AudioPipeline> audio_;
  std::string audio_reply_ = R"({"ok":true})";
};

}  // namespace voxlet
