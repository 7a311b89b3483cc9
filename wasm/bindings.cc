// Embind bindings: the EngineApi class as is (JSON strings in and out).
// No logic here; see engine/include/voxlet/engine_api.h.
#include <emscripten/bind.h>

#include "voxlet/engine_api.h"

EMSCRIPTEN_BINDINGS(voxlet_engine) {
  using voxlet::EngineApi;
  emscripten::class_<EngineApi>("EngineApi")
      .constructor<>()
      .function("loadLexicon", &EngineApi::LoadLexicon)
      .function("loadVoice", &EngineApi::LoadVoice)
      .function("normalize", &EngineApi::Normalize)
      .function("phonemize", &EngineApi::Phonemize)
      .function("start", &EngineApi::Start)
      .function("next", &EngineApi::Next)
      .function("diagnostics", &EngineApi::Diagnostics)
      .function("normalizeText", &EngineApi::NormalizeText)
      .function("parseSsml", &EngineApi::ParseSsml)
      .function("validateVoice", &EngineApi::ValidateVoice)
      .function("mapTokens", &EngineApi::MapTokens)
      .function("planChunks", &EngineApi::PlanChunks)
      .function("version", &EngineApi::Version);
}
