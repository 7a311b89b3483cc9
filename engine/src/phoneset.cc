#include "voxlet/phoneset.h"

#include <cctype>
#include <cstdio>

#include "voxlet/utf8.h"

namespace voxlet {
namespace {

struct ArpabetEntry {
  const char* symbol;
  bool vowel;
  const char* ipa_unstressed;  // stress 0, or the consonant
  const char* ipa_stressed;    // stress 1 and 2 (vowels only)
};

// espeak-ng en-us renderings; see the header for the approximations.
constexpr ArpabetEntry kArpabet[] = {
    {"AA", true, "ɑː", "ɑː"}, {"AE", true, "æ", "æ"},   {"AH", true, "ə", "ʌ"},
    {"AO", true, "ɔː", "ɔː"}, {"AW", true, "aʊ", "aʊ"}, {"AY", true, "aɪ", "aɪ"},
    {"B", false, "b", ""},    {"CH", false, "tʃ", ""},  {"D", false, "d", ""},
    {"DH", false, "ð", ""},   {"EH", true, "ɛ", "ɛ"},   {"ER", true, "ɚ", "ɜː"},
    {"EY", true, "eɪ", "eɪ"}, {"F", false, "f", ""},    {"G", false, "ɡ", ""},
    {"HH", false, "h", ""},   {"IH", true, "ɪ", "ɪ"},   {"IY", true, "i", "iː"},
    {"JH", false, "dʒ", ""},  {"K", false, "k", ""},    {"L", false, "l", ""},
    {"M", false, "m", ""},    {"N", false, "n", ""},    {"NG", false, "ŋ", ""},
    {"OW", true, "oʊ", "oʊ"}, {"OY", true, "ɔɪ", "ɔɪ"}, {"P", false, "p", ""},
    {"R", false, "ɹ", ""},    {"S", false, "s", ""},    {"SH", false, "ʃ", ""},
    {"T", false, "t", ""},    {"TH", false, "θ", ""},   {"UH", true, "ʊ", "ʊ"},
    {"UW", true, "u", "uː"},  {"V", false, "v", ""},    {"W", false, "w", ""},
    {"Y", false, "j", ""},    {"Z", false, "z", ""},    {"ZH", false, "ʒ", ""},
};

constexpr const char* kPrimaryStress = "ˈ";
constexpr const char* kSecondaryStress = "ˌ";

const ArpabetEntry* FindBase(std::string_view base) {
  for (const ArpabetEntry& entry : kArpabet) {
    if (base == entry.symbol) return &entry;
  }
  return nullptr;
}

// Splits "AH1" into the entry for "AH" and stress 1; stress is -1 when the
// symbol has no digit. nullptr when the base is not ARPAbet.
const ArpabetEntry* Decompose(std::string_view symbol, int& stress) {
  stress = -1;
  if (!symbol.empty() && std::isdigit(static_cast<unsigned char>(symbol.back()))) {
    stress = symbol.back() - '0';
    symbol.remove_suffix(1);
  }
  return FindBase(symbol);
}

// ---------------------------------------------------------------- IPA -> ARPAbet

struct IpaEntry {
  const char* ipa;
  const char* arpabet;  // base symbol; vowels get stress from the marks
};

// Several spellings per phoneme, so that hand-written IPA from dictionaries
// and from espeak both work. Order does not matter: matching is longest-first.
constexpr IpaEntry kIpa[] = {
    // Diphthongs and r-coloured vowels (multi-code-point keys).
    {"aɪ", "AY"}, {"aʊ", "AW"}, {"eɪ", "EY"}, {"oʊ", "OW"}, {"əʊ", "OW"}, {"ɔɪ", "OY"},
    {"ɜɹ", "ER"}, {"ɝ", "ER"}, {"ɚ", "ER"}, {"ɜ", "ER"},
    // Monophthongs.
    {"ɑ", "AA"}, {"ɒ", "AA"}, {"a", "AA"}, {"æ", "AE"}, {"ʌ", "AH"}, {"ə", "AH"},
    {"ɐ", "AH"}, {"ɔ", "AO"}, {"ɛ", "EH"}, {"e", "EH"}, {"ɪ", "IH"}, {"ᵻ", "IH"},
    {"ɨ", "IH"}, {"i", "IY"}, {"ʊ", "UH"}, {"u", "UW"}, {"o", "OW"},
    // Affricates, with and without tie bar or ligature.
    {"tʃ", "CH"}, {"t͡ʃ", "CH"}, {"ʧ", "CH"}, {"dʒ", "JH"}, {"d͡ʒ", "JH"}, {"ʤ", "JH"},
    // Consonants.
    {"b", "B"}, {"d", "D"}, {"ð", "DH"}, {"f", "F"}, {"ɡ", "G"}, {"g", "G"},
    {"h", "HH"}, {"k", "K"}, {"l", "L"}, {"ɫ", "L"}, {"m", "M"}, {"n", "N"},
    {"ŋ", "NG"}, {"p", "P"}, {"ɹ", "R"}, {"r", "R"}, {"ɾ", "T"}, {"s", "S"},
    {"ʃ", "SH"}, {"t", "T"}, {"θ", "TH"}, {"v", "V"}, {"w", "W"}, {"ʍ", "W"},
    {"j", "Y"}, {"z", "Z"}, {"ʒ", "ZH"},
};

// Code points that carry no phoneme for ARPAbet purposes.
bool IsIgnoredInIpa(char32_t cp) {
  switch (cp) {
    case U'ː': case U'ˑ':            // length
    case U'.': case U'‿':            // syllable break, linking
    case U'\u0361': case U'\u035C':  // tie bars (when not inside an affricate)
    case U'\u0329': case U'\u030D':  // syllabic marks
    case U'ʰ':                       // aspiration
    case U'/': case U'[': case U']':  // transcription delimiters
    case U' ': case U'\t': case U'\n': case U'\r':
      return true;
    default:
      return false;
  }
}

// The longest table entry that `ipa` starts with at `pos`.
const IpaEntry* LongestIpaMatch(std::string_view ipa, size_t pos) {
  const IpaEntry* best = nullptr;
  size_t best_length = 0;
  for (const IpaEntry& entry : kIpa) {
    const std::string_view key = entry.ipa;
    if (key.size() > best_length && ipa.substr(pos, key.size()) == key) {
      best = &entry;
      best_length = key.size();
    }
  }
  return best;
}

std::string CodePointName(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

std::string Sanitized(std::string_view text) {
  std::string out;
  for (size_t pos = 0; pos < text.size();) AppendUtf8(DecodeUtf8(text, pos), out);
  return out;
}

Status UnknownIpa(std::string_view ipa, size_t pos) {
  size_t end = pos;
  const char32_t cp = DecodeUtf8(ipa, end);
  std::string symbol;
  AppendUtf8(cp, symbol);
  return Status(StatusCode::kInvalidArgument,
                "unknown IPA symbol \"" + symbol + "\" (" + CodePointName(cp) +
                    ") at byte " + std::to_string(pos) + " of \"" + Sanitized(ipa) +
                    "\"");
}

// ---------------------------------------------------------------- x-arpabet

std::string ToUpperAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// One whitespace-separated symbol -> canonical form, or an error naming it.
Result<std::string> CanonicalArpabet(std::string_view written, size_t index,
                                     size_t byte) {
  const std::string upper = ToUpperAscii(written);
  int stress = -1;
  const ArpabetEntry* entry = Decompose(upper, stress);
  const std::string where = " at position " + std::to_string(index) + " (byte " +
                            std::to_string(byte) + ")";
  if (entry == nullptr) {
    return Status(StatusCode::kInvalidArgument,
                  "unknown ARPAbet symbol \"" + std::string(written) + "\"" + where);
  }
  if (stress >= 0 && !entry->vowel) {
    return Status(StatusCode::kInvalidArgument,
                  "ARPAbet consonant \"" + std::string(written) +
                      "\" cannot carry stress" + where);
  }
  if (stress > 2) {
    return Status(StatusCode::kInvalidArgument,
                  "ARPAbet stress in \"" + std::string(written) +
                      "\" must be 0, 1 or 2" + where);
  }
  if (entry->vowel && stress < 0) return std::string(entry->symbol) + "0";
  return upper;
}

}  // namespace

const std::vector<std::string>& ArpabetPhonemes() {
  static const std::vector<std::string> phonemes = [] {
    std::vector<std::string> out;
    for (const ArpabetEntry& entry : kArpabet) out.emplace_back(entry.symbol);
    return out;
  }();
  return phonemes;
}

const std::vector<std::string>& ArpabetSymbolsWithStress() {
  static const std::vector<std::string> symbols = [] {
    std::vector<std::string> out;
    for (const ArpabetEntry& entry : kArpabet) {
      if (!entry.vowel) {
        out.emplace_back(entry.symbol);
        continue;
      }
      for (char digit : {'0', '1', '2'}) out.push_back(std::string(entry.symbol) + digit);
    }
    return out;
  }();
  return symbols;
}

bool IsArpabet(std::string_view symbol) {
  int stress = -1;
  const ArpabetEntry* entry = Decompose(symbol, stress);
  if (entry == nullptr) return false;
  return entry->vowel ? (stress >= 0 && stress <= 2) : stress < 0;
}

bool IsVowel(std::string_view symbol) {
  int stress = -1;
  const ArpabetEntry* entry = Decompose(symbol, stress);
  return entry != nullptr && entry->vowel && stress <= 2;
}

int ArpabetStress(std::string_view symbol) {
  return IsArpabet(symbol) && IsVowel(symbol) ? symbol.back() - '0' : -1;
}

std::string ArpabetToIpa(std::string_view phoneme) {
  if (!IsArpabet(phoneme)) return "";
  int stress = -1;
  const ArpabetEntry* entry = Decompose(phoneme, stress);
  if (!entry->vowel || stress == 0) return entry->ipa_unstressed;
  return std::string(stress == 1 ? kPrimaryStress : kSecondaryStress) + entry->ipa_stressed;
}

std::vector<std::string> SplitCodePoints(std::string_view text) {
  std::vector<std::string> out;
  for (size_t pos = 0; pos < text.size();) {
    std::string symbol;
    AppendUtf8(DecodeUtf8(text, pos), symbol);
    out.push_back(std::move(symbol));
  }
  return out;
}

std::vector<std::string> ArpabetToIpaSymbols(const std::vector<std::string>& phonemes,
                                             std::vector<std::string>* unknown) {
  std::vector<std::string> out;
  for (const std::string& phoneme : phonemes) {
    const std::string ipa = ArpabetToIpa(phoneme);
    if (ipa.empty()) {
      if (unknown != nullptr) unknown->push_back(phoneme);
      continue;
    }
    for (std::string& symbol : SplitCodePoints(ipa)) out.push_back(std::move(symbol));
  }
  return out;
}

Result<std::vector<std::string>> IpaToArpabet(std::string_view ipa) {
  std::vector<std::string> out;
  char pending_stress = '0';
  for (size_t pos = 0; pos < ipa.size();) {
    size_t next = pos;
    const char32_t cp = DecodeUtf8(ipa, next);
    if (cp == U'ˈ' || cp == U'ˌ') {
      pending_stress = cp == U'ˈ' ? '1' : '2';
      pos = next;
      continue;
    }
    if (IsIgnoredInIpa(cp)) {
      pos = next;
      continue;
    }
    const IpaEntry* match = LongestIpaMatch(ipa, pos);
    if (match == nullptr) return UnknownIpa(ipa, pos);
    std::string symbol = match->arpabet;
    if (FindBase(symbol)->vowel) {
      symbol += pending_stress;
      pending_stress = '0';
    }
    out.push_back(std::move(symbol));
    pos += std::string_view(match->ipa).size();
  }
  return out;
}

Result<std::vector<std::string>> ParseArpabet(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    if (IsSpace(text[pos])) {
      ++pos;
      continue;
    }
    size_t end = pos;
    while (end < text.size() && !IsSpace(text[end])) ++end;
    Result<std::string> symbol = CanonicalArpabet(text.substr(pos, end - pos), out.size(), pos);
    if (!symbol.ok()) return symbol.status();
    out.push_back(std::move(symbol).value());
    pos = end;
  }
  return out;
}

}  // namespace voxlet
