#include "voxlet/phoneme_ids.h"

#include <algorithm>

#include "voxlet/phoneset.h"

namespace voxlet {
namespace {

constexpr const char* kPad = "_";
constexpr const char* kBos = "^";
constexpr const char* kEos = "$";
constexpr const char* kSpace = " ";

bool IsTerminalMark(std::string_view mark) {
  return mark == "." || mark == "?" || mark == "!" || mark == "…";
}

void NoteUnknown(const std::string& symbol, Diagnostics& diag) {
  ++diag.unknown_phonemes;
  auto& names = diag.unknown_phoneme_names;
  if (std::find(names.begin(), names.end(), symbol) == names.end()) names.push_back(symbol);
}

void Append(PhonemeIds& to, const PhonemeIds& from) {
  to.ids.insert(to.ids.end(), from.ids.begin(), from.ids.end());
  to.symbols.insert(to.symbols.end(), from.symbols.begin(), from.symbols.end());
  to.token_index.insert(to.token_index.end(), from.token_index.begin(),
                        from.token_index.end());
}

}  // namespace

PhonemeIdMapper::PhonemeIdMapper(const VoiceConfig& config)
    : alphabet_(config.phoneme_type == "arpabet" ? Alphabet::kArpabet
                : config.phoneme_type == "text"  ? Alphabet::kText
                                                 : Alphabet::kIpa),
      interspersed_pad_(config.interspersed_pad),
      id_map_(config.phoneme_id_map),
      phoneme_map_(config.phoneme_map) {}

std::vector<std::string> PhonemeIdMapper::WordSymbols(const Token& token,
                                                      Diagnostics& diag) const {
  switch (alphabet_) {
    case Alphabet::kArpabet:
      return token.phonemes;
    case Alphabet::kText:
      return SplitCodePoints(token.text);
    case Alphabet::kIpa:
      break;
  }
  // Symbols that are not ARPAbet have no IPA; they are unknown to the voice
  // just like IPA symbols its map lacks.
  std::vector<std::string> not_arpabet;
  std::vector<std::string> ipa = ArpabetToIpaSymbols(token.phonemes, &not_arpabet);
  for (const std::string& symbol : not_arpabet) NoteUnknown(symbol, diag);
  return ipa;
}

std::string PhonemeIdMapper::PunctuationSymbol(std::string_view mark) const {
  const bool terminal = IsTerminalMark(mark);
  const std::string_view candidates[] = {mark, terminal ? "." : ",", terminal ? "," : "."};
  for (std::string_view candidate : candidates) {
    if (id_map_.count(candidate) > 0) return std::string(candidate);
  }
  return "";
}

void PhonemeIdMapper::AppendIds(const std::vector<int64_t>& ids, const std::string& symbol,
                                int32_t token_index, PhonemeIds& out) const {
  for (int64_t id : ids) {
    out.ids.push_back(id);
    out.symbols.push_back(symbol);
    out.token_index.push_back(token_index);
  }
}

void PhonemeIdMapper::AppendPad(PhonemeIds& out) const {
  if (!interspersed_pad_) return;
  const auto pad = id_map_.find(std::string_view(kPad));
  if (pad == id_map_.end()) return;
  AppendIds(pad->second, "", -1, out);
}

// Applies Piper's phoneme_map, then looks each resulting symbol up.
void PhonemeIdMapper::AppendSymbol(const std::string& symbol, int32_t token_index,
                                   PhonemeIds& out, Diagnostics& diag) const {
  const auto replaced = phoneme_map_.find(symbol);
  const std::vector<std::string> expanded =
      replaced == phoneme_map_.end() ? std::vector<std::string>{symbol} : replaced->second;
  for (const std::string& s : expanded) {
    const auto ids = id_map_.find(s);
    if (ids == id_map_.end()) {
      NoteUnknown(s, diag);
      continue;
    }
    AppendIds(ids->second, s, token_index, out);
    AppendPad(out);
  }
}

PhonemeIds PhonemeIdMapper::Map(const std::vector<Token>& sentence_tokens,
                                Diagnostics& diag) const {
  PhonemeIds body;
  for (size_t i = 0; i < sentence_tokens.size(); ++i) {
    const Token& token = sentence_tokens[i];
    const int32_t index = static_cast<int32_t>(i);
    PhonemeIds piece;
    if (token.kind == TokenKind::kWord) {
      for (const std::string& symbol : WordSymbols(token, diag)) {
        AppendSymbol(symbol, index, piece, diag);
      }
      // The space goes in only between words that actually produced ids.
      if (!piece.empty() && !body.empty()) AppendSymbol(kSpace, -1, body, diag);
    } else if (token.kind == TokenKind::kPunctuation) {
      const std::string symbol = PunctuationSymbol(token.text);
      if (!symbol.empty()) AppendSymbol(symbol, index, piece, diag);
    }
    Append(body, piece);
  }
  if (body.empty()) return body;

  PhonemeIds out;
  if (const auto bos = id_map_.find(std::string_view(kBos)); bos != id_map_.end()) {
    AppendIds(bos->second, kBos, -1, out);
    AppendPad(out);
  }
  Append(out, body);
  if (const auto eos = id_map_.find(std::string_view(kEos)); eos != id_map_.end()) {
    AppendIds(eos->second, kEos, -1, out);
  }
  return out;
}

}  // namespace voxlet
