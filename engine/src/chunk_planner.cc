#include "voxlet/chunk_planner.h"

#include <algorithm>

namespace voxlet {
namespace {

bool Contains(const std::vector<size_t>& sorted, size_t value) {
  return std::binary_search(sorted.begin(), sorted.end(), value);
}

// Where the chunk starting at `begin` ends given `limit` ids: the last clause
// end that fits if it keeps at least half of the budget, otherwise the last
// word that fits. A forced end inside the window always wins.
size_t ChooseEnd(const std::vector<int>& costs, const std::vector<size_t>& clause_ends,
                 const std::vector<size_t>& forced_ends, size_t begin, int limit) {
  int used = 0;
  size_t last_fit = begin;  // exclusive end of the longest prefix that fits
  size_t last_clause = 0;   // exclusive end after the latest clause end that fits
  int clause_used = 0;
  for (size_t i = begin; i < costs.size(); ++i) {
    if (used + costs[i] > limit && i > begin) break;
    used += costs[i];
    last_fit = i + 1;
    if (Contains(forced_ends, i)) return i + 1;
    if (Contains(clause_ends, i)) last_clause = i + 1, clause_used = used;
  }
  if (last_fit == costs.size()) return last_fit;
  if (last_clause > begin && clause_used * 2 >= limit) return last_clause;
  return last_fit;
}

}  // namespace

std::vector<std::string> ChunkBudget::Validate() const {
  std::vector<std::string> problems;
  if (max_chunk_ids < 16) problems.push_back("max_chunk_ids must be at least 16");
  if (first_chunk_ids < 8) problems.push_back("first_chunk_ids must be at least 8");
  if (overhead_ids < 0) problems.push_back("overhead_ids must not be negative");
  return problems;
}

std::vector<TokenRange> PlanChunks(const std::vector<int>& token_costs,
                                   const std::vector<size_t>& clause_ends,
                                   const std::vector<size_t>& forced_ends,
                                   const ChunkBudget& budget, bool first_chunk) {
  std::vector<size_t> clauses = clause_ends, forced = forced_ends;
  std::sort(clauses.begin(), clauses.end());
  std::sort(forced.begin(), forced.end());
  const int max_payload = std::max(1, budget.max_chunk_ids - budget.overhead_ids);
  int payload = first_chunk ? std::min(max_payload, budget.first_chunk_ids - budget.overhead_ids)
                            : max_payload;
  payload = std::max(1, payload);
  std::vector<TokenRange> ranges;
  size_t begin = 0;
  while (begin < token_costs.size()) {
    const size_t end = ChooseEnd(token_costs, clauses, forced, begin, payload);
    ranges.push_back({begin, end});
    begin = end;
    payload = payload > max_payload / 2 ? max_payload : payload * 2;  // grow toward full throughput
  }
  return ranges;
}

}  // namespace voxlet
