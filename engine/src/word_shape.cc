#include "word_shape.h"

#include <string>
#include <utility>

#include "ascii.h"

namespace voxlet::normalizer_internal {
namespace {

bool IsVowelAt(std::string_view w, size_t i) {
  const char c = w[i];
  if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') return true;
  return c == 'y' && i > 0;
}

bool InClusterList(std::string_view cluster, std::string_view list) {
  // `list` holds space-separated clusters.
  size_t pos = 0;
  while (pos < list.size()) {
    size_t end = list.find(' ', pos);
    if (end == std::string_view::npos) end = list.size();
    if (list.substr(pos, end - pos) == cluster) return true;
    pos = end + 1;
  }
  return false;
}

bool IsOnset(std::string_view c) {
  if (c.size() <= 1) return true;
  return InClusterList(c,
                       "bl br cl cr dr fl fr gl gr pl pr sc sk sl sm sn sp st sw tr tw th sh ch "
                       "wh ph kn wr qu dw gn kl kr scr spr str spl squ thr shr sch");
}

bool IsCoda(std::string_view c) {
  if (c.size() <= 1) return true;
  return InClusterList(c,
                       "ck ct ft ld lf lk lm lp lt mp nd ng nk nt pt rb rc rd rf rg rk rl rm rn "
                       "rp rs rt sk sp st th sh ch tch nch rth ds ts ks ps ms ns ls gs ws ys ss "
                       "ll ff zz xt nce nds nts rds rts lls");
}

}  // namespace

bool HasVowel(std::string_view lower) {
  for (size_t i = 0; i < lower.size(); ++i) {
    if (IsVowelAt(lower, i)) return true;
  }
  return false;
}

bool LooksPronounceable(std::string_view upper) {
  const std::string w = Lowercase(upper);
  size_t i = 0;
  bool first_cluster = true;
  bool has_vowel = false;
  while (i < w.size()) {
    const size_t start = i;
    while (i < w.size() && !IsVowelAt(w, i)) ++i;
    const std::string_view consonants(w.data() + start, i - start);
    const size_t vowel_start = i;
    while (i < w.size() && IsVowelAt(w, i)) ++i;
    const size_t vowels = i - vowel_start;
    if (vowels > 0) has_vowel = true;
    if (vowels > 2) return false;
    const bool last_cluster = i >= w.size() && vowels == 0;
    if (first_cluster && !IsOnset(consonants)) return false;
    if (last_cluster && !first_cluster && !IsCoda(consonants)) return false;
    if (!first_cluster && !last_cluster && consonants.size() > 3) return false;
    first_cluster = false;
  }
  return has_vowel;
}

int RomanValue(std::string_view word) {
  if (word.empty() || word.size() > 15) return 0;
  const auto digit = [](char c) {
    switch (c) {
      case 'I':
        return 1;
      case 'V':
        return 5;
      case 'X':
        return 10;
      case 'L':
        return 50;
      case 'C':
        return 100;
      case 'D':
        return 500;
      case 'M':
        return 1000;
      default:
        return 0;
    }
  };
  int total = 0;
  for (size_t i = 0; i < word.size(); ++i) {
    const int value = digit(word[i]);
    if (value == 0) return 0;
    const int next = i + 1 < word.size() ? digit(word[i + 1]) : 0;
    total += next > value ? -value : value;
  }
  if (total <= 0 || total >= 4000) return 0;
  // Re-encode so that "IIII" or "VX" are rejected.
  static constexpr std::pair<int, std::string_view> kParts[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
      {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"}};
  std::string canonical;
  int rest = total;
  for (const auto& [value, letters] : kParts) {
    while (rest >= value) {
      canonical += letters;
      rest -= value;
    }
  }
  return canonical == word ? total : 0;
}

}  // namespace voxlet::normalizer_internal
