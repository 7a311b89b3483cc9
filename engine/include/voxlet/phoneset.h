// Phone sets: the ARPAbet inventory the built-in G2P produces, and conversions
// between ARPAbet and IPA.
//
//   ArpabetToIpa("OW1")                       // "ˈoʊ"
//   ArpabetToIpaSymbols({"HH","AH0","L","OW1"})  // {"h","ə","l","ˈ","o","ʊ"}
//   IpaToArpabet("həˈloʊ")                    // {"HH","AH0","L","OW1"}
//   ParseArpabet("hh ah0 l ow1")              // {"HH","AH0","L","OW1"}
//
// ARPAbet -> IPA follows espeak-ng's en-us output, which Piper voices were
// trained on, with these deliberate approximations (no context rules):
//   - the stress mark (ˈ for 1, ˌ for 2) goes right before the vowel, where
//     espeak-ng also writes it ("həlˈoʊ"), not before the syllable onset;
//   - length follows stress for the tense vowels: IY1 "iː" / IY0 "i",
//     UW1 "uː" / UW0 "u", ER1 "ɜː" / ER0 "ɚ"; AA is always "ɑː", AO "ɔː";
//   - AH1/AH2 "ʌ", AH0 "ə"; no flapping (T stays "t"), no "ᵻ", no "oːɹ";
//   - G is U+0261 "ɡ" (Piper maps it; ASCII "g" is not in espeak's set).
// Piper maps every Unicode code point to ids separately, so the IPA is also
// returned as a list of single-code-point symbols.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "voxlet/status.h"

namespace voxlet {

// The 39 CMUdict phonemes without stress ("AA", "AE", ..., "ZH").
const std::vector<std::string>& ArpabetPhonemes();

// The 69 symbols the G2P emits: 24 consonants and 15 vowels x stress 0/1/2.
const std::vector<std::string>& ArpabetSymbolsWithStress();

// True for a canonical ARPAbet symbol: a consonant without a digit ("HH") or a
// vowel with stress 0, 1 or 2 ("AH0"). Upper case only.
bool IsArpabet(std::string_view symbol);

// True for an ARPAbet vowel with or without a stress digit ("AH", "AH1").
bool IsVowel(std::string_view symbol);

// 0, 1 or 2 for a canonical vowel; -1 otherwise.
int ArpabetStress(std::string_view symbol);

// IPA for one canonical ARPAbet symbol, stress mark included ("OW1" -> "ˈoʊ");
// "" when `phoneme` is not IsArpabet().
std::string ArpabetToIpa(std::string_view phoneme);

// IPA for a sequence, split into single code points. Symbols that are not
// ARPAbet are skipped and appended to `unknown` when it is given.
std::vector<std::string> ArpabetToIpaSymbols(const std::vector<std::string>& phonemes,
                                             std::vector<std::string>* unknown = nullptr);

// Splits UTF-8 text into one string per code point (invalid bytes become
// U+FFFD).
std::vector<std::string> SplitCodePoints(std::string_view text);

// IPA (SSML <phoneme alphabet="ipa">) -> canonical ARPAbet. Greedy longest
// match over a table that accepts common American transcriptions ("tʃ", "t͡ʃ",
// "ʧ", "ɝ", "ɚ", "ɜɹ", "əʊ", "ɾ" as T, ...). A stress mark ˈ/ˌ gives stress 1/2
// to the next vowel; vowels with no mark get 0. Length marks, the syllable
// dot, tie bars, "ʰ", the syllabic mark, slashes, brackets and spaces are
// ignored. Unknown symbols: kInvalidArgument naming the symbol, its code point
// and its byte offset.
Result<std::vector<std::string>> IpaToArpabet(std::string_view ipa);

// "HH AH0 L OW1" (SSML alphabet="x-arpabet") -> canonical symbols. Symbols are
// separated by whitespace and matched case-insensitively. A vowel written
// without a digit gets stress 0 (unstressed), as CMUdict writes reduced
// vowels; write the digit for stressed ones. A digit on a consonant, a digit
// other than 0-2 or an unknown symbol: kInvalidArgument naming it and its
// position.
Result<std::vector<std::string>> ParseArpabet(std::string_view text);

}  // namespace voxlet
