// libFuzzer target over the engine's JSON surface for synthesis, as JS calls
// it: the input's first line is the options object (format, chunk sizes, rate,
// max_input_bytes; any JSON, valid or not), the rest the text or SSML given to
// EngineApi::Start, then Next for up to 256 chunks; ParseSsml and Phonemize
// see the same text. Every reply must be JSON (an error object or a result),
// and no chunk may exceed the effective maximum: the options' max_chunk_ids
// when it is a valid integer, else the test voice's 400.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_support.h"
#include "voxlet/engine_api.h"

namespace {

using Json = nlohmann::json;

Json ParseReply(const std::string& reply) {
  Json json = Json::parse(reply, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) voxlet::fuzz::Fail("reply is not a JSON object");
  return json;
}

size_t EffectiveMax(const std::string& options) {
  const Json json = Json::parse(options, nullptr, false);
  if (json.is_object() && json.contains("max_chunk_ids") &&
      json["max_chunk_ids"].is_number_integer() && json["max_chunk_ids"].get<int64_t>() > 0) {
    return static_cast<size_t>(json["max_chunk_ids"].get<int64_t>());
  }
  return 400;  // models/voxlet-test-arpabet: max_chunk_tokens
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static voxlet::EngineApi* api = [] {
    auto* engine = new voxlet::EngineApi();
    const std::string lexicon = voxlet::fuzz::ReadFile(VOXLET_LEXICON_PATH);
    if (ParseReply(engine->LoadLexicon(lexicon)).contains("error")) voxlet::fuzz::Fail("lexicon");
    if (ParseReply(engine->LoadVoice(voxlet::fuzz::TestVoiceJson())).contains("error")) {
      voxlet::fuzz::Fail("voice");
    }
    return engine;
  }();
  const std::string whole(reinterpret_cast<const char*>(data), size);
  const size_t newline = whole.find('\n');
  const std::string options = newline == std::string::npos ? whole : whole.substr(0, newline);
  const std::string text = newline == std::string::npos ? "" : whole.substr(newline + 1);
  ParseReply(api->ParseSsml(text));
  ParseReply(api->Phonemize(text, options));
  if (ParseReply(api->Start(text, options)).contains("error")) return 0;
  const size_t max_ids = EffectiveMax(options);
  // The first 256 chunks only: a 16 KB text at an 8-id budget makes thousands,
  // and parsing each reply under ASan took over libFuzzer's 10 s timeout (the
  // front_end target checks every chunk without JSON).
  for (int chunks = 0; chunks < 256; ++chunks) {
    const Json chunk = ParseReply(api->Next());
    if (chunk.contains("done")) break;
    if (!chunk.contains("ids") || chunk["ids"].size() > max_ids) {
      voxlet::fuzz::Fail("chunk over max");
    }
    if (chunk["is_last"].get<bool>()) break;
  }
  ParseReply(api->Diagnostics());
  return 0;
}
