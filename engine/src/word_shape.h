// Judgements on the letters of one written word, for the normalizer's word
// rules: is it said as a word or spelled, is it a Roman numeral. Internal to
// the normalizer.
#pragma once

#include <string_view>

namespace voxlet::normalizer_internal {

// True when `lower` (lowercase ASCII) has a vowel letter; "y" counts except
// as the first letter.
bool HasVowel(std::string_view lower);

// Pronounceability of an all-caps word: a vowel, a legal initial and final
// consonant cluster, no long clusters inside. Cheap and good enough to tell
// "NASA" from "HTML".
bool LooksPronounceable(std::string_view upper);

// Value of a canonical Roman numeral ("XIV" -> 14), or 0 ("IIII", "VX", "x").
int RomanValue(std::string_view word);

}  // namespace voxlet::normalizer_internal
