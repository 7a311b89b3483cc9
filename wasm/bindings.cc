// Embind bindings: the EngineApi class as is (JSON strings in and out), plus
// glue that moves audio between JS typed arrays and std::vector without JSON.
// No logic here; see engine/include/voxlet/engine_api.h.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <vector>

#include "voxlet/engine_api.h"

namespace {

using emscripten::val;
using voxlet::EngineApi;

// A JS copy of `data` (a view into wasm memory would dangle once it is freed
// or the memory grows).
template <typename T>
val CopyToJs(const std::vector<T>& data) {
  return val(emscripten::typed_memory_view(data.size(), data.data())).call<val>("slice");
}

// Float32Array (or any array of numbers) in, Float32Array out.
val PushAudio(EngineApi& api, const val& samples, bool is_last, double pause_after_ms,
              double gain, double pitch) {
  const std::vector<float> input = emscripten::convertJSArrayToNumberVector<float>(samples);
  return CopyToJs(api.PushAudio(input, is_last, pause_after_ms, gain, pitch));
}

// Float32Array in, Uint8Array (the WAV file) out.
val EncodeWav(EngineApi& api, const val& samples, int sample_rate) {
  const std::vector<float> input = emscripten::convertJSArrayToNumberVector<float>(samples);
  return CopyToJs(api.EncodeWav(input, sample_rate));
}

std::string AudioReply(const EngineApi& api) { return api.AudioReply(); }

}  // namespace

EMSCRIPTEN_BINDINGS(voxlet_engine) {
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
      .function("version", &EngineApi::Version)
      .function("tune", &EngineApi::Tune)
      .function("createAudioPipeline", &EngineApi::CreateAudioPipeline)
      .function("resetAudioPipeline", &EngineApi::ResetAudioPipeline)
      .function("pushAudio", &PushAudio)
      .function("encodeWav", &EncodeWav)
      .function("audioReply", &AudioReply);
}
