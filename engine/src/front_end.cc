#include "voxlet/front_end.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "voxlet/normalizer.h"
#include "voxlet/phoneset.h"
#include "voxlet/utf8.h"
#include "ascii.h"

namespace voxlet {
namespace {

using Json = nlohmann::ordered_json;  // keys stay in the documented order

// Long text is normalized a block at a time so memory stays bounded and the
// first chunk is ready without reading the whole input.
constexpr size_t kBlockBytes = 4096;
// A "sentence" with no end in sight is cut here (text without punctuation).
constexpr size_t kMaxPendingTokens = 600;
// A paragraph (blank line in text, <p> in SSML) adds this pause.
constexpr int kParagraphPauseMs = 300;

bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// End of the block starting at `begin`: just after a blank line if one comes
// first (paragraph), else at the last line break, sentence end or space that
// fits, else at a character boundary. `paragraph` tells which case it was.
size_t FindBlockEnd(std::string_view text, size_t begin, bool& paragraph) {
  paragraph = false;
  const size_t limit = std::min(text.size(), begin + kBlockBytes);
  const size_t blank = text.find("\n\n", begin);
  const size_t blank_crlf = text.find("\r\n\r\n", begin);
  const size_t first_blank = std::min(blank, blank_crlf);
  if (first_blank != std::string_view::npos && first_blank < limit) {
    paragraph = true;
    return first_blank + (first_blank == blank ? 2 : 4);
  }
  if (limit == text.size()) return limit;
  const std::string_view window = text.substr(begin, limit - begin);
  for (std::string_view separator : {"\n", ". ", "! ", "? ", " "}) {
    const size_t at = window.rfind(separator);
    if (at != std::string_view::npos && at > 0) return begin + at + separator.size();
  }
  size_t end = limit;
  while (end > begin + 1 && IsUtf8Continuation(text[end])) --end;
  return end;
}

void ForceSentenceEnd(std::vector<Token>& tokens) {
  if (!tokens.empty()) tokens.back().sentence_end = true;
}

std::string JoinPhonemes(const std::vector<std::string>& phonemes) {
  std::string joined;
  for (const auto& phoneme : phonemes) {
    if (!joined.empty()) joined += ' ';
    joined += phoneme;
  }
  return joined;
}

Result<std::vector<std::string>> PhonemesOf(const SsmlPiece& piece) {
  return piece.alphabet == PhonemeAlphabet::kIpa ? IpaToArpabet(piece.phonemes)
                                                 : ParseArpabet(piece.phonemes);
}

// The written word of a <phoneme> element as a token text: letters and
// apostrophes, lowercase (the pronunciation comes from the ph attribute).
std::string LowercaseLetters(std::string_view text) {
  std::string word;
  for (char c : text) {
    if (IsLetter(c) || c == '\'') word += ToLower(c);
  }
  return word;
}

// ids each token costs inside a mapped sentence: from its first id up to the
// next token's first id (so spaces and pads count with the word before).
std::vector<int> TokenCosts(const PhonemeIds& mapped, size_t token_count) {
  std::vector<int> first(token_count + 1, -1);
  for (size_t i = 0; i < mapped.token_index.size(); ++i) {
    const int token = mapped.token_index[i];
    if (token >= 0 && first[token] < 0) first[token] = static_cast<int>(i);
  }
  std::vector<int> costs(token_count, 0);
  int next_start = static_cast<int>(mapped.ids.size());
  for (size_t i = token_count; i-- > 0;) {
    if (first[i] < 0) continue;
    costs[i] = next_start - first[i];
    next_start = first[i];
  }
  return costs;
}

std::vector<size_t> ForcedEnds(const std::vector<Token>& tokens) {
  std::vector<size_t> ends;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (tokens[i].kind == TokenKind::kBreak || tokens[i].prosody != tokens[i + 1].prosody) {
      ends.push_back(i);
    }
  }
  return ends;
}

std::vector<ChunkWord> WordsOf(const std::vector<Token>& tokens, const PhonemeIds& mapped) {
  // First and last id of every token, in one pass over the ids.
  std::vector<std::pair<int, int>> id_range(tokens.size(), {-1, -1});
  for (size_t i = 0; i < mapped.token_index.size(); ++i) {
    const int token = mapped.token_index[i];
    if (token < 0 || token >= static_cast<int>(tokens.size())) continue;
    if (id_range[token].first < 0) id_range[token].first = static_cast<int>(i);
    id_range[token].second = static_cast<int>(i) + 1;
  }
  std::vector<ChunkWord> words;
  for (size_t t = 0; t < tokens.size(); ++t) {
    if (tokens[t].kind != TokenKind::kWord) continue;
    auto [begin, end] = id_range[t];
    if (begin < 0) begin = end = words.empty() ? 0 : words.back().id_end;  // nothing speakable
    words.push_back({tokens[t].text, tokens[t].span, begin, end, JoinPhonemes(tokens[t].phonemes)});
  }
  return words;
}

size_t Utf8Length(std::string_view text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return !IsUtf8Continuation(c); }));
}

// Byte offset of code point `index` (text.size() past the last one).
size_t Utf8Offset(std::string_view text, size_t index) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (!IsUtf8Continuation(text[i]) && index-- == 0) return i;
  }
  return text.size();
}

Json SpanJson(Span span, const std::vector<uint32_t>& utf16) {
  const auto at = [&](uint32_t offset) {
    return utf16.empty() ? offset : utf16[std::min<size_t>(offset, utf16.size() - 1)];
  };
  return Json::array({at(span.begin), at(span.end)});
}

Json WordsJson(const std::vector<ChunkWord>& words, const std::vector<uint32_t>& utf16) {
  Json list = Json::array();
  for (const ChunkWord& word : words) {
    list.push_back({{"text", word.text},
                    {"span", SpanJson(word.span, utf16)},
                    {"ids", Json::array({word.id_begin, word.id_end})},
                    {"phonemes", word.phonemes}});
  }
  return list;
}

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

std::vector<std::string> FrontEndOptions::Validate() const {
  std::vector<std::string> problems;
  if (max_input_bytes == 0) problems.push_back("max_input_bytes must be positive");
  if (first_chunk_ids < 8) problems.push_back("first_chunk_ids must be at least 8");
  if (max_chunk_ids != 0 && max_chunk_ids < 16) {
    problems.push_back("max_chunk_ids must be 0 (voice default) or at least 16");
  }
  if (!(rate > 0 && rate <= 100)) problems.push_back("rate must be a number in (0, 100]");
  for (std::string& problem : ssml.Validate()) problems.push_back(std::move(problem));
  return problems;
}

FrontEnd::FrontEnd(std::shared_ptr<const Lexicon> lexicon, VoiceConfig voice)
    : lexicon_(lexicon), g2p_(std::move(lexicon)), voice_(std::move(voice)), mapper_(voice_) {}

void FrontEnd::ResetUtterance() {
  options_ = {};
  input_.clear();
  pieces_.clear();
  piece_index_ = piece_offset_ = 0;
  pending_.clear();
  sentences_.clear();
  chunks_.clear();
  sentence_count_ = 0;
  first_chunk_ = true;
  diagnostics_ = {};
}

Status FrontEnd::Start(std::string input, const FrontEndOptions& options) {
  ResetUtterance();
  const auto problems = options.Validate();
  if (!problems.empty()) return Status(StatusCode::kInvalidArgument, problems.front());
  if (input.size() > options.max_input_bytes) {
    return Status(StatusCode::kLimitExceeded,
                  "input is " + std::to_string(input.size()) + " bytes; the limit is " +
                      std::to_string(options.max_input_bytes) +
                      " bytes. Split the text and synthesize it in parts.");
  }
  options_ = options;
  input_ = std::move(input);
  const bool ssml = options.format == InputFormat::kSsml ||
                    (options.format == InputFormat::kAuto && LooksLikeSsml(input_));
  if (ssml) {
    auto pieces = ParseSsml(input_, options.ssml);
    if (!pieces.ok()) return pieces.status();
    pieces_ = std::move(pieces).value();
  } else {
    SsmlPiece piece;
    piece.text = SourceText::Verbatim(input_);
    piece.span = {0, static_cast<uint32_t>(input_.size())};
    pieces_.push_back(std::move(piece));
  }
  return Status::Ok();
}

void FrontEnd::ProcessTextBlock() {
  const SsmlPiece& piece = pieces_[piece_index_];
  bool paragraph = false;
  const size_t end = FindBlockEnd(piece.text.text(), piece_offset_, paragraph);
  const size_t first_new = pending_.size();
  Diagnostics diagnostics;
  Normalize(piece.text.Slice(piece_offset_, end), piece.normalize, pending_, diagnostics);
  diagnostics_.Merge(diagnostics);
  for (size_t i = first_new; i < pending_.size(); ++i) pending_[i].prosody = piece.prosody;
  if (paragraph) ForceSentenceEnd(pending_);
  piece_offset_ = end;
  if (piece_offset_ >= piece.text.text().size()) ++piece_index_, piece_offset_ = 0;
}

void FrontEnd::AppendPiece(const SsmlPiece& piece) {
  Token token;
  token.span = piece.span;
  token.prosody = piece.prosody;
  switch (piece.kind) {
    case SsmlPiece::Kind::kText: {  // only <phoneme> text reaches here
      auto phonemes = PhonemesOf(piece);
      if (!phonemes.ok()) {  // read the text instead of failing the utterance
        ++diagnostics_.unknown_phonemes;
        Normalize(piece.text, piece.normalize, pending_, diagnostics_);
        return;
      }
      token.text = LowercaseLetters(piece.text.text());
      token.phonemes = std::move(phonemes).value();
      break;
    }
    case SsmlPiece::Kind::kBreak:
      // Adjacent breaks make one pause, no longer than one break may be.
      if (!pending_.empty() && pending_.back().kind == TokenKind::kBreak) {
        Token& pause = pending_.back();
        pause.break_ms = std::min(pause.break_ms + piece.break_ms, options_.ssml.max_break_ms);
        pause.span = pause.span.Union(piece.span);
        return;
      }
      token.kind = TokenKind::kBreak;
      token.break_ms = piece.break_ms;
      break;
    case SsmlPiece::Kind::kMark:
      token.kind = TokenKind::kMark;
      token.text = piece.mark;
      break;
    case SsmlPiece::Kind::kBoundary:
      if (piece.paragraph && !pending_.empty() && pending_.back().kind == TokenKind::kBreak) {
        Token& pause = pending_.back();  // a break just before: one pause, as above
        pause.break_ms = std::min(std::max(pause.break_ms, kParagraphPauseMs),
                                  std::max(options_.ssml.max_break_ms, kParagraphPauseMs));
      } else if (piece.paragraph && !pending_.empty()) {
        Token pause;
        pause.kind = TokenKind::kBreak;
        pause.span = piece.span;
        pause.break_ms = kParagraphPauseMs;
        pending_.push_back(std::move(pause));
      }
      ForceSentenceEnd(pending_);
      return;
  }
  pending_.push_back(std::move(token));
}

void FrontEnd::EmitCompleteSentences(bool at_end) {
  if (!at_end && pending_.size() > kMaxPendingTokens) ForceSentenceEnd(pending_);
  size_t complete = 0;  // tokens up to and including the last sentence end
  for (size_t i = pending_.size(); i-- > 0;) {
    if (pending_[i].sentence_end) {
      complete = i + 1;
      break;
    }
  }
  if (at_end) complete = pending_.size();
  if (complete == 0) return;
  std::vector<Token> done(std::make_move_iterator(pending_.begin()),
                          std::make_move_iterator(pending_.begin() + complete));
  pending_.erase(pending_.begin(), pending_.begin() + complete);
  for (Sentence& sentence : SplitSentences(std::move(done))) {
    if (lexicon_) g2p_.Phonemize(sentence.tokens, diagnostics_);  // none: normalize only
    sentences_.push_back(std::move(sentence));
  }
}

bool FrontEnd::FillSentences() {
  while (sentences_.empty() && piece_index_ < pieces_.size()) {
    const SsmlPiece& piece = pieces_[piece_index_];
    if (piece.kind == SsmlPiece::Kind::kText && piece.phonemes.empty()) {
      ProcessTextBlock();
    } else {
      AppendPiece(piece);
      ++piece_index_;
    }
    EmitCompleteSentences(piece_index_ >= pieces_.size());
  }
  return !sentences_.empty();
}

Chunk FrontEnd::BuildChunk(const Sentence& sentence, TokenRange range) {
  const std::vector<Token> tokens(sentence.tokens.begin() + range.begin,
                                  sentence.tokens.begin() + range.end);
  Chunk chunk;
  const PhonemeIds mapped = mapper_.Map(tokens, diagnostics_);
  chunk.ids = mapped.ids;
  chunk.symbols = mapped.symbols;
  chunk.words = WordsOf(tokens, mapped);
  chunk.normalized = SpokenForm(tokens);
  chunk.sentence_index = sentence_count_;
  bool prosody_set = false;
  for (const Token& token : tokens) {
    chunk.span = chunk.span.Union(token.span);
    if (token.kind == TokenKind::kBreak) chunk.break_after_ms += token.break_ms;
    if (token.kind == TokenKind::kWord && !prosody_set) chunk.prosody = token.prosody, prosody_set = true;
  }
  int words_seen = 0;  // a mark fires where the next word starts
  for (const Token& token : tokens) {
    if (token.kind == TokenKind::kWord) ++words_seen;
    if (token.kind != TokenKind::kMark) continue;
    const int position = words_seen < static_cast<int>(chunk.words.size())
                             ? chunk.words[words_seen].id_begin
                             : static_cast<int>(chunk.ids.size());
    chunk.marks.push_back({token.text, position});
  }
  return chunk;
}

namespace {

// Words spoken for one written token ("$3.50" -> three dollars and fifty
// cents) share its span; they are planned as one unit so a chunk does not
// split them, unless the unit alone would exceed the chunk maximum (a
// 5,000-digit number read digit by digit). Returns each unit's last token.
std::vector<size_t> UnitEnds(const std::vector<Token>& tokens, const std::vector<int>& costs,
                             int max_payload) {
  std::vector<size_t> ends;
  int unit_cost = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    unit_cost += costs[i];
    const bool same_token = i + 1 < tokens.size() && tokens[i].kind == TokenKind::kWord &&
                            tokens[i + 1].kind == TokenKind::kWord &&
                            tokens[i].span == tokens[i + 1].span;
    if (!same_token || unit_cost + costs[i + 1] > max_payload) {
      ends.push_back(i);
      unit_cost = 0;
    }
  }
  return ends;
}

// Re-expresses per-token planner inputs per unit and the plan back per token.
std::vector<TokenRange> PlanByUnits(const Sentence& sentence, const std::vector<int>& costs,
                                    const ChunkBudget& budget, bool first_chunk) {
  const std::vector<size_t> unit_ends =
      UnitEnds(sentence.tokens, costs, budget.max_chunk_ids - budget.overhead_ids);
  const std::vector<size_t> forced = ForcedEnds(sentence.tokens);
  std::vector<int> unit_costs;
  std::vector<size_t> unit_clauses, unit_forced;
  size_t token = 0;
  for (size_t unit = 0; unit < unit_ends.size(); ++unit) {
    int cost = 0;
    for (; token <= unit_ends[unit]; ++token) cost += costs[token];
    unit_costs.push_back(cost);
    const size_t last = unit_ends[unit];
    if (std::binary_search(sentence.clause_ends.begin(), sentence.clause_ends.end(), last)) {
      unit_clauses.push_back(unit);
    }
    if (std::binary_search(forced.begin(), forced.end(), last)) unit_forced.push_back(unit);
  }
  std::vector<TokenRange> ranges;
  for (const TokenRange& units : PlanChunks(unit_costs, unit_clauses, unit_forced, budget, first_chunk)) {
    ranges.push_back({units.begin == 0 ? 0 : unit_ends[units.begin - 1] + 1, unit_ends[units.end - 1] + 1});
  }
  return ranges;
}

}  // namespace

ChunkBudget FrontEnd::BudgetFor(const Sentence& sentence) const {
  ChunkBudget budget;
  budget.first_chunk_ids = options_.first_chunk_ids;
  budget.max_chunk_ids = options_.max_chunk_ids > 0 ? options_.max_chunk_ids
                                                    : voice_.max_chunk_tokens;
  double slowest = 1.0;  // prosody changes end chunks, so the sentence's slowest part bounds all
  for (const Token& token : sentence.tokens) {
    slowest = std::min(slowest, static_cast<double>(token.prosody.rate));
  }
  const double scale = slowest * options_.rate;
  if (scale < 1.0) {
    // BOS/EOS come out as silence that stretches with the rate like every id
    // and weighs more than one in short chunks (measured with voxlet-en-us-slt:
    // at rate 0.25, 11-id chunks gave 64,512 samples, 9-id ones 55,808): the
    // budget shrinks as if each chunk had kRateEdgeIds more ids.
    const double scaled = (static_cast<double>(budget.max_chunk_ids) + kRateEdgeIds) * scale;
    const int ids = static_cast<int>(scaled) - kRateEdgeIds;
    budget.max_chunk_ids = std::min(budget.max_chunk_ids, std::max(kMinScaledChunkIds, ids));
  }
  return budget;
}

// One word's parts, in order, each costing at most `max_payload` ids on its own
// (with BOS, pads and EOS, so also inside a chunk). It is cut into as many
// even runs of phonemes (and of letters, which "text" voices read) as its
// cost needs; a part that still does not fit is halved again. A part of one
// phoneme and one letter is kept as it is.
void FrontEnd::SplitWord(Token token, int max_payload, std::vector<Token>& out) const {
  Diagnostics ignored;  // counted once, when the chunk is mapped
  const int cost = static_cast<int>(mapper_.Map({token}, ignored).size());
  const size_t letters = Utf8Length(token.text);
  const size_t units = std::max(token.phonemes.size(), letters);
  if (cost <= max_payload || units < 2) {
    out.push_back(std::move(token));
    return;
  }
  const size_t parts =
      std::clamp<size_t>(static_cast<size_t>(cost / std::max(1, max_payload - 3)) + 1, 2, units);
  const auto cut = [&](size_t count, size_t k) { return count * k / parts; };
  // Taken out first so that copying the token for each part stays cheap: a
  // <phoneme> may hold millions of phones and be cut into 100,000 parts.
  const std::vector<std::string> phonemes = std::move(token.phonemes);
  const std::string text = std::move(token.text);
  token.phonemes.clear();
  token.text.clear();
  size_t text_begin = 0;
  size_t letter = 0;  // code point index of text_begin
  for (size_t k = 0; k < parts; ++k) {
    Token part = token;
    part.phonemes.assign(phonemes.begin() + cut(phonemes.size(), k),
                         phonemes.begin() + cut(phonemes.size(), k + 1));
    // The next cut, found from this one (a scan from the start would be quadratic).
    const size_t letter_end = k + 1 == parts ? letters : cut(letters, k + 1);
    const size_t text_end =
        text_begin + Utf8Offset(std::string_view(text).substr(text_begin), letter_end - letter);
    part.text = text.substr(text_begin, text_end - text_begin);
    text_begin = text_end;
    letter = letter_end;
    SplitWord(std::move(part), max_payload, out);
  }
}

std::vector<size_t> FrontEnd::SplitLongWords(std::vector<Token>& tokens,
                                             const std::vector<int>& costs, int max_payload) const {
  std::vector<Token> out;
  std::vector<size_t> last_part(tokens.size());
  out.reserve(tokens.size());
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].kind == TokenKind::kWord && costs[i] > max_payload) {
      SplitWord(std::move(tokens[i]), max_payload, out);
    } else {
      out.push_back(std::move(tokens[i]));
    }
    last_part[i] = out.size() - 1;
  }
  tokens = std::move(out);
  return last_part;
}

void FrontEnd::PlanSentence(Sentence sentence) {
  const ChunkBudget budget = BudgetFor(sentence);
  const int max_payload = std::max(1, budget.max_chunk_ids - budget.overhead_ids);
  PhonemeIds mapped = mapper_.Map(sentence.tokens, diagnostics_);
  std::vector<int> costs = TokenCosts(mapped, sentence.tokens.size());
  if (std::any_of(costs.begin(), costs.end(), [&](int cost) { return cost > max_payload; })) {
    const size_t before = sentence.tokens.size();
    const std::vector<size_t> last_part = SplitLongWords(sentence.tokens, costs, max_payload);
    if (sentence.tokens.size() != before) {  // token indices moved: clause ends follow them
      for (size_t& end : sentence.clause_ends) end = last_part[end];
      Diagnostics ignored;  // the sentence was counted by the first mapping
      mapped = mapper_.Map(sentence.tokens, ignored);
      costs = TokenCosts(mapped, sentence.tokens.size());
    }
  }
  const auto ranges = PlanByUnits(sentence, costs, budget, first_chunk_);
  first_chunk_ = false;
  for (const TokenRange& range : ranges) chunks_.push_back(BuildChunk(sentence, range));
  if (!chunks_.empty()) chunks_.back().sentence_end = true;
  ++sentence_count_;
}

bool FrontEnd::Next(Chunk& chunk) {
  while (chunks_.empty()) {
    if (!FillSentences()) return false;
    PlanSentence(std::move(sentences_.front()));
    sentences_.pop_front();
  }
  chunk = std::move(chunks_.front());
  chunks_.pop_front();
  chunk.is_last = chunks_.empty() && !FillSentences();
  return true;
}

bool FrontEnd::NextSentence(SentenceResult& result) {
  if (!FillSentences()) return false;
  Sentence sentence = std::move(sentences_.front());
  sentences_.pop_front();
  const PhonemeIds mapped = mapper_.Map(sentence.tokens, diagnostics_);
  result = SentenceResult{};
  result.span = sentence.span;
  result.normalized = SpokenForm(sentence.tokens);
  result.ids = mapped.ids;
  for (const std::string& symbol : mapped.symbols) {
    if (!symbol.empty()) result.symbols.push_back(symbol);
  }
  result.words = WordsOf(sentence.tokens, mapped);
  ++sentence_count_;
  return true;
}

std::string ChunkToJson(const Chunk& chunk, const std::vector<uint32_t>& utf16) {
  Json marks = Json::array();
  for (const ChunkMark& mark : chunk.marks) {
    marks.push_back({{"name", mark.name}, {"id", mark.id_position}});
  }
  return Dump({{"ids", chunk.ids},
               {"words", WordsJson(chunk.words, utf16)},
               {"marks", marks},
               {"prosody", {{"rate", chunk.prosody.rate},
                            {"pitch", chunk.prosody.pitch},
                            {"volume", chunk.prosody.volume}}},
               {"break_after_ms", chunk.break_after_ms},
               {"span", SpanJson(chunk.span, utf16)},
               {"sentence", chunk.sentence_index},
               {"sentence_end", chunk.sentence_end},
               {"is_last", chunk.is_last},
               {"normalized", chunk.normalized}});
}

std::string SentenceToJson(const SentenceResult& sentence, const std::string& input,
                           const std::vector<uint32_t>& utf16) {
  const std::string text = sentence.span.empty()
                               ? std::string()
                               : input.substr(sentence.span.begin,
                                              sentence.span.end - sentence.span.begin);
  return Dump({{"text", text},
               {"span", SpanJson(sentence.span, utf16)},
               {"normalized", sentence.normalized},
               {"phonemes", sentence.symbols},
               {"ids", sentence.ids},
               {"words", WordsJson(sentence.words, utf16)}});
}

std::string DiagnosticsToJson(const Diagnostics& diagnostics) {
  return Dump({{"invalid_utf8", diagnostics.invalid_utf8},
               {"skipped_characters", diagnostics.skipped_characters},
               {"unknown_phonemes", diagnostics.unknown_phonemes},
               {"unknown_phoneme_names", diagnostics.unknown_phoneme_names},
               {"out_of_lexicon_words", diagnostics.out_of_lexicon_words}});
}

}  // namespace voxlet
