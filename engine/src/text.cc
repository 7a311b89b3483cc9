#include "voxlet/text.h"

#include <algorithm>

namespace voxlet {

Span Span::Union(const Span& other) const {
  if (empty()) return other;
  if (other.empty()) return *this;
  return {std::min(begin, other.begin), std::max(end, other.end)};
}

SourceText SourceText::Verbatim(std::string_view text, uint32_t source_begin) {
  SourceText result;
  result.Append(text, {source_begin, source_begin + static_cast<uint32_t>(text.size())});
  return result;
}

void SourceText::Append(std::string_view text, Span source) {
  AppendPiece(text, source, source.end - source.begin == text.size());
}

void SourceText::AppendPiece(std::string_view text, Span source, bool linear) {
  if (text.empty()) return;
  // Merge with the previous piece when the byte-for-byte map just continues.
  if (linear && !pieces_.empty()) {
    Piece& last = pieces_.back();
    if (last.linear && last.source.end == source.begin) {
      last.source.end = source.end;
      text_.append(text);
      return;
    }
  }
  pieces_.push_back({static_cast<uint32_t>(text_.size()), source, linear});
  text_.append(text);
}

size_t SourceText::PieceAt(size_t text_offset) const {
  auto it = std::upper_bound(
      pieces_.begin(), pieces_.end(), text_offset,
      [](size_t offset, const Piece& piece) { return offset < piece.text_begin; });
  return static_cast<size_t>(it - pieces_.begin()) - 1;
}

Span SourceText::ToSource(size_t begin, size_t end) const {
  if (pieces_.empty() || begin >= end) return {};
  const auto map_piece = [&](size_t index, size_t from, size_t to) -> Span {
    const Piece& piece = pieces_[index];
    if (!piece.linear) return piece.source;
    return {piece.source.begin + static_cast<uint32_t>(from - piece.text_begin),
            piece.source.begin + static_cast<uint32_t>(to - piece.text_begin)};
  };
  const size_t first = PieceAt(begin);
  const size_t last = PieceAt(end - 1);
  const size_t first_end = first == last ? end
                                         : (first + 1 < pieces_.size() ? pieces_[first + 1].text_begin : end);
  Span span = map_piece(first, begin, first_end);
  if (last != first) span = span.Union(map_piece(last, pieces_[last].text_begin, end));
  return span;
}

SourceText SourceText::Slice(size_t begin, size_t end) const {
  SourceText slice;
  end = std::min(end, text_.size());
  for (size_t index = begin < end ? PieceAt(begin) : pieces_.size(); index < pieces_.size();
       ++index) {
    const Piece& piece = pieces_[index];
    const size_t piece_end = index + 1 < pieces_.size() ? pieces_[index + 1].text_begin : text_.size();
    const size_t from = std::max<size_t>(begin, piece.text_begin);
    const size_t to = std::min(end, piece_end);
    if (from >= to) break;
    const std::string_view part(text_.data() + from, to - from);
    slice.AppendPiece(part, piece.linear ? ToSource(from, to) : piece.source, piece.linear);
  }
  return slice;
}

void Diagnostics::Merge(const Diagnostics& other) {
  invalid_utf8 += other.invalid_utf8;
  skipped_characters += other.skipped_characters;
  unknown_phonemes += other.unknown_phonemes;
  out_of_lexicon_words += other.out_of_lexicon_words;
  for (const auto& name : other.unknown_phoneme_names) {
    if (std::find(unknown_phoneme_names.begin(), unknown_phoneme_names.end(), name) ==
        unknown_phoneme_names.end()) {
      unknown_phoneme_names.push_back(name);
    }
  }
}

}  // namespace voxlet
