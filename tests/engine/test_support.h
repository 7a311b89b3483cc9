// Helpers shared by the engine tests: golden tables and test assets.
#pragma once

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "voxlet/engine_api.h"

namespace voxlet::test_support {

#ifndef VOXLET_GOLDEN_DIR
#define VOXLET_GOLDEN_DIR "tests/golden"
#endif
#ifndef VOXLET_MODELS_DIR
#define VOXLET_MODELS_DIR "models"
#endif
#ifndef VOXLET_SHARED_DIR
#define VOXLET_SHARED_DIR "../shared"
#endif

inline constexpr const char* kPiperFixture =
    VOXLET_SHARED_DIR "/fixtures/piper-test-voice/test_voice.onnx.json";
inline constexpr const char* kArpabetVoice = VOXLET_MODELS_DIR "/voxlet-test-arpabet/voice.json";

inline std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

// Rows of tests/golden/<name>; a row that is not JSON becomes a discarded value.
inline std::vector<nlohmann::json> ReadGolden(const std::string& name) {
  std::vector<nlohmann::json> rows;
  std::ifstream file(std::string(VOXLET_GOLDEN_DIR) + "/" + name);
  for (std::string line; std::getline(file, line);) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    rows.push_back(nlohmann::json::parse(line, nullptr, false));
  }
  return rows;
}

inline bool HasLexicon() {
#ifdef VOXLET_LEXICON_PATH
  return !ReadFile(VOXLET_LEXICON_PATH).empty();
#else
  return false;
#endif
}

// An EngineApi with the lexicon and the ARPAbet test voice loaded.
inline std::unique_ptr<EngineApi> LoadedEngine() {
  auto api = std::make_unique<EngineApi>();
#ifdef VOXLET_LEXICON_PATH
  api->LoadLexicon(ReadFile(VOXLET_LEXICON_PATH));
#endif
  api->LoadVoice(ReadFile(kArpabetVoice));
  return api;
}

inline nlohmann::json Parse(const std::string& json) {
  return nlohmann::json::parse(json, nullptr, false);
}

}  // namespace voxlet::test_support
