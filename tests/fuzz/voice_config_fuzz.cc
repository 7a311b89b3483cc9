// libFuzzer target over the voice-config JSON (a Voxlet voice.json or a Piper
// .onnx.json, as a user may load from any file): VoiceConfig::Parse and
// Validate, EngineApi::ValidateVoice/LoadVoice, and, for a config that loads,
// the front end and the tuner with it. No crash or sanitizer report; a config
// that loads must give chunks within its max_chunk_tokens.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_support.h"
#include "voxlet/engine_api.h"
#include "voxlet/front_end.h"

namespace {

constexpr const char* kText =
    "<speak>Hello <break time=\"300ms\"/> world, it's $3.50 on Jan. 5. "
    "<phoneme alphabet=\"ipa\" ph=\"t\xC9\x99\xCB\x88m\xC9\x91to\xCA\x8A\">tomato</phoneme> "
    "<say-as interpret-as=\"characters\">abc</say-as>!</speak>";
constexpr const char* kProfile =
    R"({"logical_cores": 2, "device_memory_gb": 2, "wasm_simd": true, "threads": false,
        "is_node": true, "gflops": {"wasm_single": 1}})";

bool IsError(const std::string& reply) {
  const auto json = nlohmann::json::parse(reply, nullptr, false);
  if (json.is_discarded() || !json.is_object()) voxlet::fuzz::Fail("reply is not a JSON object");
  return json.contains("error");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string json(reinterpret_cast<const char*>(data), size);
  auto config = voxlet::VoiceConfig::Parse(json);
  (void)voxlet::EngineApi().ValidateVoice(json);
  if (!config.ok()) return 0;
  (void)config.value().Validate();
  (void)config.value().ToString();
  const int max_ids = config.value().max_chunk_tokens;
  voxlet::FrontEnd front_end(voxlet::fuzz::TestLexicon(), std::move(config).value());
  if (front_end.Start(kText, {}).ok()) {
    voxlet::Chunk chunk;
    while (front_end.Next(chunk)) {
      // A single symbol with more ids than the maximum cannot be split.
      if (static_cast<int>(chunk.ids.size()) > max_ids && chunk.words.size() > 1) {
        voxlet::fuzz::Fail("chunk over max_chunk_tokens");
      }
      if (chunk.is_last) break;
    }
  }
  voxlet::EngineApi api;
  if (!IsError(api.LoadVoice(json))) (void)IsError(api.Tune(kProfile, json, ""));
  return 0;
}
