// libFuzzer target over the whole front end: the first byte picks the input
// format, the rest is text or SSML. Any crash, sanitizer report, or chunk that
// breaks the planner's contract (ids over the maximum, spans outside the
// input) is a bug.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "voxlet/front_end.h"

namespace {

std::string ReadFile(const char* path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

struct Fixture {
  std::unique_ptr<voxlet::FrontEnd> front_end;
  Fixture() {
    auto lexicon = voxlet::Lexicon::FromBytes(
        [] { auto s = ReadFile(VOXLET_LEXICON_PATH); return std::vector<uint8_t>(s.begin(), s.end()); }());
    auto voice = voxlet::VoiceConfig::Parse(ReadFile(VOXLET_MODELS_DIR "/voxlet-test-arpabet/voice.json"));
    if (!lexicon.ok() || !voice.ok()) {
      std::fprintf(stderr, "fuzz fixture missing: build the native preset first\n");
      __builtin_trap();
    }
    front_end = std::make_unique<voxlet::FrontEnd>(
        std::make_shared<voxlet::Lexicon>(std::move(lexicon).value()), std::move(voice).value());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture fixture;
  if (size == 0) return 0;
  voxlet::FrontEndOptions options;
  options.format = static_cast<voxlet::InputFormat>(data[0] % 3);
  options.max_chunk_ids = 64;
  options.first_chunk_ids = 16;
  std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  if (!fixture.front_end->Start(input, options).ok()) return 0;
  voxlet::Chunk chunk;
  while (fixture.front_end->Next(chunk)) {
    // Only a single word longer than the maximum may overflow it.
    if (chunk.ids.size() > 64 && chunk.words.size() > 1) __builtin_trap();
    if (chunk.span.end > input.size()) __builtin_trap();
    if (chunk.is_last) break;
  }
  return 0;
}
