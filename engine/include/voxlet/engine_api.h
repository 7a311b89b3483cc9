// The engine's whole surface as JSON strings in and out: what wasm/bindings.cc
// exposes to JavaScript (one call per message, no exceptions across the
// boundary). Every method returns a JSON object; failures are
//   {"error": {"code": "MALFORMED_SSML", "message": "line 1, column 9: ..."}}
// and the JS wrapper turns them into a VoxletError with the same code.
#pragma once

#include <memory>
#include <string>
#include <vector>

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
  //  "first_chunk_ids": 48, "max_chunk_ids": 0, "max_input_bytes": N}
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

 private:
  std::string RunSentences(const std::string& text, const std::string& options_json,
                           bool with_phonemes);
  Status EnsureFrontEnd(bool need_lexicon);

  std::shared_ptr<const Lexicon> lexicon_;
  std::unique_ptr<VoiceConfig> voice_;
  std::unique_ptr<FrontEnd> front_end_;
  std::vector<uint32_t> utf16_;  // UTF-16 offsets of the current input
};

}  // namespace voxlet
