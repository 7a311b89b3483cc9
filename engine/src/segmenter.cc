#include "voxlet/segmenter.h"

#include <string_view>

namespace voxlet {
namespace {

bool HasContent(const std::vector<Token>& tokens) {
  for (const Token& token : tokens) {
    if (token.kind == TokenKind::kWord || token.kind == TokenKind::kBreak ||
        token.kind == TokenKind::kMark) {
      return true;
    }
  }
  return false;
}

Sentence MakeSentence(std::vector<Token> tokens) {
  Sentence sentence;
  sentence.tokens = std::move(tokens);
  for (size_t i = 0; i < sentence.tokens.size(); ++i) {
    const Token& token = sentence.tokens[i];
    sentence.span = sentence.span.Union(token.span);
    const bool last = i + 1 == sentence.tokens.size();
    if (!last && (IsClausePunctuation(token) || token.kind == TokenKind::kBreak)) {
      sentence.clause_ends.push_back(i);
    }
  }
  return sentence;
}

}  // namespace

bool IsClausePunctuation(const Token& token) {
  if (token.kind != TokenKind::kPunctuation) return false;
  // Sentence-final marks inside a sentence (e.g. "?" in a quote) still end a clause.
  static constexpr std::string_view kClauseMarks[] = {",", ";", ":", "—", "…", ".", "?", "!"};
  for (std::string_view mark : kClauseMarks) {
    if (token.text == mark) return true;
  }
  return false;
}

std::vector<Sentence> SplitSentences(std::vector<Token> tokens) {
  std::vector<Sentence> sentences;
  std::vector<Token> current;
  const auto flush = [&] {
    if (HasContent(current)) sentences.push_back(MakeSentence(std::move(current)));
    current.clear();
  };
  for (Token& token : tokens) {
    const bool ends = token.sentence_end;
    current.push_back(std::move(token));
    if (ends) flush();
  }
  flush();
  return sentences;
}

}  // namespace voxlet
