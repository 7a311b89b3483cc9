// Sentence and clause segmentation of a normalized token stream.
//
// The normalizer already decided which periods end a sentence (it knows
// abbreviations, decimals and initials) and marked them sentence_end; here we
// cut the stream there and find clause boundaries (, ; : — and pauses)
// inside each sentence, which the chunk planner prefers as split points.
#pragma once

#include <cstddef>
#include <vector>

#include "voxlet/text.h"

namespace voxlet {

struct Sentence {
  std::vector<Token> tokens;
  Span span;  // union of the tokens' spans in the original input
  // Indices i such that a clause ends after tokens[i] (excluding the last).
  std::vector<size_t> clause_ends;
};

// Moves `tokens` into sentences. A sentence ends after a token with
// sentence_end set, or at the end of the stream. Sentences with no kWord and
// no kBreak token (e.g. only punctuation) are dropped; kMark tokens are kept.
std::vector<Sentence> SplitSentences(std::vector<Token> tokens);

// True for punctuation that ends a clause inside a sentence.
bool IsClausePunctuation(const Token& token);

}  // namespace voxlet
