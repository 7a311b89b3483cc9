// Chunk planning for streaming synthesis.
//
// A sentence is synthesized as one or more chunks, each a separate model call.
// The first chunk of an utterance is kept short so audio starts early; later
// chunks grow (doubling) up to the voice's maximum for throughput. Chunks
// never split a word: the unit is the token. Splits prefer clause ends
// (, ; : — and pauses) and must happen where a prosody change or a pause
// forces them.
//
//   ChunkBudget budget{.first_chunk_ids = 48, .max_chunk_ids = 400};
//   auto ranges = PlanChunks(token_costs, clause_ends, forced, budget, true);
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace voxlet {

struct ChunkBudget {
  int first_chunk_ids = 48;  // ids in the first chunk of an utterance (~6 words)
  int max_chunk_ids = 400;   // the voice's maximum sequence length (ids)
  int overhead_ids = 3;      // BOS + pad + EOS added to every chunk
  std::vector<std::string> Validate() const;  // empty = valid
};

struct TokenRange {
  size_t begin = 0;  // first token index
  size_t end = 0;    // one past the last token index
  bool operator==(const TokenRange&) const = default;
};

// Plans chunks for one sentence.
//   token_costs[i]  ids that token i produces (0 for marks/breaks)
//   clause_ends     token indices after which a clause ends (preferred splits)
//   forced_ends     token indices after which a chunk MUST end (pauses,
//                   prosody changes)
//   first_chunk     true when this sentence starts the utterance: its first
//                   chunk uses budget.first_chunk_ids
// Returns consecutive ranges covering every token. A single token costing
// more than the maximum becomes a chunk of its own: callers split such tokens
// first (FrontEnd cuts over-long words into parts that fit).
std::vector<TokenRange> PlanChunks(const std::vector<int>& token_costs,
                                   const std::vector<size_t>& clause_ends,
                                   const std::vector<size_t>& forced_ends,
                                   const ChunkBudget& budget, bool first_chunk);

}  // namespace voxlet
