// libFuzzer target over the whole front end: the first byte picks the input
// format, the rest is text or SSML. Any crash, sanitizer report, or chunk that
// breaks the front end's contract is a bug: ids over the chunk maximum (long
// words and phoneme runs are split, so this holds for every chunk), spans
// outside the input, a pause longer than one break may be.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "voxlet/front_end.h"

namespace {
constexpr int kMaxChunkIds = 64;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static voxlet::FrontEnd front_end(voxlet::fuzz::TestLexicon(),
                                    voxlet::VoiceConfig::Parse(voxlet::fuzz::TestVoiceJson())
                                        .value());
  if (size == 0) return 0;
  voxlet::FrontEndOptions options;
  options.format = static_cast<voxlet::InputFormat>(data[0] % 3);
  options.max_chunk_ids = kMaxChunkIds;
  options.first_chunk_ids = 16;
  std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  if (!front_end.Start(input, options).ok()) return 0;
  voxlet::Chunk chunk;
  while (front_end.Next(chunk)) {
    if (chunk.ids.size() > kMaxChunkIds) voxlet::fuzz::Fail("chunk over max_chunk_ids");
    if (chunk.span.end > input.size()) voxlet::fuzz::Fail("chunk span outside the input");
    if (chunk.break_after_ms > options.ssml.max_break_ms) {
      voxlet::fuzz::Fail("pause over max_break_ms");
    }
    for (const voxlet::ChunkWord& word : chunk.words) {
      if (word.span.end > input.size()) voxlet::fuzz::Fail("word span outside the input");
      if (word.id_begin > word.id_end || word.id_end > static_cast<int>(chunk.ids.size())) {
        voxlet::fuzz::Fail("word ids outside the chunk");
      }
    }
    if (chunk.is_last) break;
  }
  return 0;
}
