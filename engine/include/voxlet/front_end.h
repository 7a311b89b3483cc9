// The front end: text or SSML in, phoneme-id chunks out, pull-based.
//
//   FrontEnd front_end(lexicon, voice_config);
//   Status status = front_end.Start(text, {});
//   Chunk chunk;
//   while (front_end.Next(chunk)) { ...run the model on chunk.ids...
//     if (chunk.is_last) break; }
//
// Work is done lazily, a block of input at a time, so memory stays bounded by
// the block size and a caller can stop early (cancel) at no cost. Spans are
// UTF-8 byte offsets into the input given to Start(); ToJson variants convert
// them to UTF-16 code units for JavaScript.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "voxlet/chunk_planner.h"
#include "voxlet/g2p.h"
#include "voxlet/phoneme_ids.h"
#include "voxlet/segmenter.h"
#include "voxlet/ssml.h"
#include "voxlet/status.h"
#include "voxlet/text.h"
#include "voxlet/voice_config.h"

namespace voxlet {

enum class InputFormat { kAuto, kText, kSsml };

// Chunk sizes are budgets in model ids. Every chunk holds at most the budget
// whatever the input: a word too long for one chunk (a 1,000-letter "word", a
// <phoneme> with 50,000 phones) is cut into parts at symbol boundaries, and
// slow speech shrinks the budget (see `rate`), because a chunk's audio, and
// the model's memory for its per-sample layers, grows with ids / rate.
struct FrontEndOptions {
  InputFormat format = InputFormat::kAuto;  // kAuto: SSML when it starts with <speak
  size_t max_input_bytes = 64u << 20;       // 64 MiB; larger input is refused
  int first_chunk_ids = 48;                 // short first chunk: early first audio
  int max_chunk_ids = 0;                    // 0 = the voice's max_chunk_tokens
  // The speaking-rate factor the caller applies to every chunk on top of SSML
  // <prosody rate> (JS: options.rate, and voice length_scale / lengthScale).
  // Where s = rate x the sentence's slowest prosody rate is below 1, its chunk
  // budget becomes (max + kRateEdgeIds) * s - kRateEdgeIds ids, never below
  // kMinScaledChunkIds: 400 -> 198 at s = 0.5, 48 -> 22 at 0.5 and 9 at 0.25.
  // Finite, in (0, 100].
  double rate = 1.0;
  SsmlLimits ssml;
  std::vector<std::string> Validate() const;  // empty = valid
};

// The smallest chunk budget (ids) that slow speech scales a budget down to.
inline constexpr int kMinScaledChunkIds = 8;
// Ids' worth of BOS/EOS silence counted per chunk when scaling for slow speech.
inline constexpr int kRateEdgeIds = 4;

struct ChunkWord {
  std::string text;   // spoken form, e.g. "twenty"
  // Source span. Words spoken for one source token share it ("$3" -> three
  // dollars), and so do the parts of a word too long for one chunk.
  Span span;
  int id_begin = 0;   // [id_begin, id_end) in Chunk::ids
  int id_end = 0;
  std::string phonemes;  // ARPAbet, space-separated
};

struct ChunkMark {
  std::string name;
  int id_position = 0;  // the mark fires when audio reaches this id
};

struct Chunk {
  std::vector<int64_t> ids;
  std::vector<std::string> symbols;  // voice-alphabet symbol per id ("" = pad)
  std::vector<ChunkWord> words;
  std::vector<ChunkMark> marks;
  Prosody prosody;
  int break_after_ms = 0;   // silence to add after this chunk's audio
  Span span;                // source span covered
  size_t sentence_index = 0;
  bool sentence_end = false;  // last chunk of its sentence
  bool is_last = false;       // last chunk of the utterance
  std::string normalized;     // spoken form of the chunk
};

// One sentence, fully processed: what `voxlet phonemize` prints.
struct SentenceResult {
  Span span;
  std::string normalized;
  std::vector<std::string> symbols;  // as fed to the model, pads omitted
  std::vector<int64_t> ids;
  std::vector<ChunkWord> words;
};

class FrontEnd {
 public:
  FrontEnd(std::shared_ptr<const Lexicon> lexicon, VoiceConfig voice);
  FrontEnd(const FrontEnd&) = delete;  // the id mapper refers to voice_
  FrontEnd& operator=(const FrontEnd&) = delete;

  // Begins a new utterance (discarding any unfinished one).
  Status Start(std::string input, const FrontEndOptions& options);
  // Fills `chunk` with the next chunk; false when the utterance is finished.
  bool Next(Chunk& chunk);
  // Sentence-level alternative to Next() (do not mix the two in one utterance).
  bool NextSentence(SentenceResult& sentence);

  const Diagnostics& diagnostics() const { return diagnostics_; }
  const std::string& input() const { return input_; }
  const VoiceConfig& voice() const { return voice_; }

 private:
  void ResetUtterance();
  bool FillSentences();
  void ProcessTextBlock();
  void AppendPiece(const SsmlPiece& piece);
  void EmitCompleteSentences(bool at_end);
  void PlanSentence(Sentence sentence);
  ChunkBudget BudgetFor(const Sentence& sentence) const;
  // Splits every word costing more than max_payload ids; returns, for each
  // old token index, the new index of its last part.
  std::vector<size_t> SplitLongWords(std::vector<Token>& tokens, const std::vector<int>& costs,
                                     int max_payload) const;
  void SplitWord(Token token, int max_payload, std::vector<Token>& out) const;
  Chunk BuildChunk(const Sentence& sentence, TokenRange range);

  std::shared_ptr<const Lexicon> lexicon_;
  G2p g2p_;
  VoiceConfig voice_;
  PhonemeIdMapper mapper_;
  FrontEndOptions options_;
  std::string input_;
  std::vector<SsmlPiece> pieces_;
  size_t piece_index_ = 0;
  size_t piece_offset_ = 0;  // progress inside a long text piece
  std::vector<Token> pending_;  // tokens of the unfinished sentence
  std::deque<Sentence> sentences_;
  std::deque<Chunk> chunks_;
  size_t sentence_count_ = 0;
  bool first_chunk_ = true;
  Diagnostics diagnostics_;
};

// JSON for the CLI and the bindings. `utf16` maps byte offsets to UTF-16
// code units (see Utf16Offsets); spans are printed as [begin, end].
std::string ChunkToJson(const Chunk& chunk, const std::vector<uint32_t>& utf16);
std::string SentenceToJson(const SentenceResult& sentence, const std::string& input,
                           const std::vector<uint32_t>& utf16);
std::string DiagnosticsToJson(const Diagnostics& diagnostics);

}  // namespace voxlet
