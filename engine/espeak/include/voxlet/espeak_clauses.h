// Where espeak-ng ends its clauses in plain text, and with which terminator:
// the C++ twin of web/src/espeak/clauses.js (same rules, same results; see the
// rule list there).
//
// piper-phonemize appends punctuation by each clause's terminator through a
// patched espeak-ng call (espeak_TextToPhonemesWithTerminator). Stock
// libespeak-ng (Debian's 1.51 too) only has espeak_TextToPhonemes, which
// returns a clause's phonemes without saying how it ended, so the terminators
// are found here in the text; the caller checks the clause count against
// espeak's own split.
//
//   std::vector<EspeakClause> clauses = EspeakClauses("Hi, you. Ok?", "en-us");
//   // {0,3,kComma,false} {4,8,kPeriod,true} {9,12,kQuestion,true}
//
// This file pair holds no espeak-ng code (MIT like the core); it lives next
// to its only user, the optional GPL espeak_phonemizer.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace voxlet {

// How a clause ends, as piper-phonemize sees it.
enum class ClauseKind { kPeriod, kQuestion, kExclamation, kComma, kColon, kSemicolon, kOther };

struct EspeakClause {
  size_t start = 0;  // byte offset of the clause in the text, without leading spaces
  size_t end = 0;    // byte offset past its last char (mark included, trailing spaces not)
  ClauseKind kind = ClauseKind::kOther;
  bool sentence_end = false;  // the terminator also ends a sentence (one model input)
};

// The clauses espeak-ng reads from UTF-8 `text`, in order. `voice` (e.g. "de")
// selects the language rules for ordinal dots ("3. Oktober").
std::vector<EspeakClause> EspeakClauses(std::string_view text, std::string_view voice);

}  // namespace voxlet
