// Shared by the fuzz targets: the lexicon and the ARPAbet test voice, loaded
// once per process, and a trap that names the broken invariant.
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "voxlet/g2p.h"
#include "voxlet/voice_config.h"

namespace voxlet::fuzz {

inline std::string ReadFile(const char* path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

[[noreturn]] inline void Fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  __builtin_trap();
}

inline std::shared_ptr<const Lexicon> TestLexicon() {
  static const std::shared_ptr<const Lexicon> lexicon = [] {
    const std::string bytes = ReadFile(VOXLET_LEXICON_PATH);
    auto parsed = Lexicon::FromBytes(std::vector<uint8_t>(bytes.begin(), bytes.end()));
    if (!parsed.ok()) Fail("lexicon asset missing: build the native preset first");
    return std::make_shared<const Lexicon>(std::move(parsed).value());
  }();
  return lexicon;
}

inline std::string TestVoiceJson() {
  static const std::string json = ReadFile(VOXLET_MODELS_DIR "/voxlet-test-arpabet/voice.json");
  if (json.empty()) Fail("models/voxlet-test-arpabet/voice.json missing");
  return json;
}

}  // namespace voxlet::fuzz
