// Context rules for English homographs ("read", "live", "wind", ...): which
// reading a word takes, judged from its neighbours. Internal to the G2P stage.
#pragma once

#include <span>
#include <string_view>

namespace voxlet {

struct WordContext {
  std::string_view previous;  // the word just before; "" at a clause start
  std::string_view next;      // the word just after; "" at a clause end
  std::span<const std::string_view> sentence;  // every word of the sentence
};

// Space-separated ARPAbet of the reading `word` takes in `context`, or ""
// when `word` is not in the homograph table.
std::string_view ResolveHomograph(std::string_view word, const WordContext& context);

}  // namespace voxlet
