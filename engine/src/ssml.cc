#include "voxlet/ssml.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>

#include "voxlet/utf8.h"
#include "voxlet/xml_reader.h"

namespace voxlet {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// A say-as format is copied into every text piece it covers; bounding it
// keeps memory linear in the input.
constexpr size_t kMaxFormatLength = 32;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsAllSpace(std::string_view text) { return std::all_of(text.begin(), text.end(), IsSpace); }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

// ---------------------------------------------------------------------------
// Attribute values. Hand-written (no std::stod: it throws, and from_chars for
// doubles is missing from some WASM standard libraries).

// "12", "1.5", ".5" with nothing else around.
bool ParseUnsignedDecimal(std::string_view text, double& value) {
  double result = 0;
  size_t digits = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    result = result * 10 + (text[i] - '0');
  }
  if (i < text.size() && text[i] == '.') {
    double scale = 0.1;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
      result += (text[i] - '0') * scale;
      scale /= 10;
    }
  }
  value = result;
  return digits > 0 && i == text.size();
}

// An optional '+' or '-' then an unsigned decimal; `had_sign` tells which
// form was written ("+20%" is relative, "120%" absolute).
bool ParseSignedDecimal(std::string_view text, double& value, bool& had_sign) {
  had_sign = !text.empty() && (text[0] == '+' || text[0] == '-');
  const bool negative = had_sign && text[0] == '-';
  if (had_sign) text.remove_prefix(1);
  if (!ParseUnsignedDecimal(text, value)) return false;
  if (negative) value = -value;
  return true;
}

bool StripSuffix(std::string_view& text, std::string_view suffix) {
  if (text.size() < suffix.size() || text.substr(text.size() - suffix.size()) != suffix) {
    return false;
  }
  text.remove_suffix(suffix.size());
  return true;
}

// "150%" -> 1.5 (a ratio), "+20%" -> 1.2 and "-10%" -> 0.9 (a change).
bool ParsePercentage(std::string_view text, double& ratio) {
  if (!StripSuffix(text, "%")) return false;
  double number = 0;
  bool relative = false;
  if (!ParseSignedDecimal(text, number, relative)) return false;
  ratio = relative ? 1 + number / 100 : number / 100;
  return true;
}

struct Keyword {
  std::string_view name;
  double value;
};

template <size_t N>
std::optional<double> LookUp(const Keyword (&table)[N], std::string_view name) {
  for (const Keyword& keyword : table) {
    if (keyword.name == name) return keyword.value;
  }
  return std::nullopt;
}

std::optional<double> ParseRate(std::string_view text) {
  static constexpr Keyword kRates[] = {{"x-slow", 0.5}, {"slow", 0.75},   {"medium", 1},
                                       {"fast", 1.25},  {"x-fast", 1.75}, {"default", 1}};
  if (auto keyword = LookUp(kRates, text)) return keyword;
  double value = 0;
  if (ParsePercentage(text, value) || ParseUnsignedDecimal(text, value)) return value;
  return std::nullopt;
}

std::optional<double> ParsePitch(std::string_view text) {
  static constexpr Keyword kPitches[] = {{"x-low", 0.7}, {"low", 0.85},   {"medium", 1},
                                         {"high", 1.15}, {"x-high", 1.3}, {"default", 1}};
  if (auto keyword = LookUp(kPitches, text)) return keyword;
  double value = 0;
  if (ParsePercentage(text, value)) return value;
  bool had_sign = false;
  if (StripSuffix(text, "st") && ParseSignedDecimal(text, value, had_sign)) {
    return std::pow(2.0, value / 12);  // equal-tempered semitones
  }
  return std::nullopt;
}

std::optional<double> ParseVolume(std::string_view text) {
  static constexpr Keyword kVolumes[] = {{"silent", 0}, {"x-soft", 0.25}, {"soft", 0.5},
                                         {"medium", 1}, {"loud", 1.5},    {"x-loud", 2},
                                         {"default", 1}};
  if (auto keyword = LookUp(kVolumes, text)) return keyword;
  double value = 0;
  if (ParsePercentage(text, value)) return value;
  bool had_sign = false;
  if ((StripSuffix(text, "dB") || StripSuffix(text, "db")) &&
      ParseSignedDecimal(text, value, had_sign)) {
    return std::pow(10.0, value / 20);  // amplitude decibels
  }
  return std::nullopt;
}

// "500ms", "1.5s" -> milliseconds, clamped to max_ms.
std::optional<int> ParseBreakTime(std::string_view text, int max_ms) {
  double scale = 1;
  if (!StripSuffix(text, "ms")) {
    if (!StripSuffix(text, "s")) return std::nullopt;
    scale = 1000;
  }
  double value = 0;
  if (!ParseUnsignedDecimal(text, value)) return std::nullopt;
  return static_cast<int>(std::lround(std::min(value * scale, static_cast<double>(max_ms))));
}

std::optional<int> ParseBreakStrength(std::string_view text) {
  static constexpr Keyword kStrengths[] = {{"none", 0},     {"x-weak", 100}, {"weak", 200},
                                           {"medium", 400}, {"strong", 700}, {"x-strong", 1000}};
  if (auto keyword = LookUp(kStrengths, text)) return static_cast<int>(*keyword);
  return std::nullopt;
}

SayAs ParseInterpretAs(std::string_view text) {
  static constexpr struct {
    std::string_view name;
    SayAs say_as;
  } kNames[] = {{"characters", SayAs::kCharacters},
                {"spell-out", SayAs::kCharacters},
                {"letters", SayAs::kCharacters},
                {"cardinal", SayAs::kCardinal},
                {"number", SayAs::kCardinal},
                {"ordinal", SayAs::kOrdinal},
                {"digits", SayAs::kDigits},
                {"date", SayAs::kDate},
                {"time", SayAs::kTime},
                {"telephone", SayAs::kTelephone}};
  for (const auto& entry : kNames) {
    if (entry.name == text) return entry.say_as;
  }
  return SayAs::kNone;  // unknown interpretations are read as plain text
}

std::optional<PhonemeAlphabet> ParseAlphabet(std::string_view text) {
  if (text == "ipa") return PhonemeAlphabet::kIpa;
  if (text == "x-arpabet" || text == "arpabet") return PhonemeAlphabet::kArpabet;
  return std::nullopt;
}

float Clamped(double value, double low, double high) {
  // NaN (silent volume times an overflowing +1e999dB) must not reach the
  // audio path or the JSON; it compares false, so it falls to `low`.
  if (!(value >= low)) return static_cast<float>(low);
  return static_cast<float>(std::min(value, high));
}

// ---------------------------------------------------------------------------
// The parser: reads XML events and keeps a stack of open elements (never
// recursion), so nesting depth costs no native stack.

enum class Element { kSpeak, kP, kS, kBreak, kProsody, kSayAs, kSub, kPhoneme, kMark, kUnknown };

Element Classify(std::string_view name) {
  static constexpr struct {
    std::string_view name;
    Element element;
  } kElements[] = {{"speak", Element::kSpeak},
                   {"p", Element::kP},
                   {"s", Element::kS},
                   {"break", Element::kBreak},
                   {"prosody", Element::kProsody},
                   {"say-as", Element::kSayAs},
                   {"sub", Element::kSub},
                   {"phoneme", Element::kPhoneme},
                   {"mark", Element::kMark}};
  for (const auto& entry : kElements) {
    if (entry.name == name) return entry.element;
  }
  return Element::kUnknown;
}

struct Frame {
  Element element = Element::kUnknown;
  std::string_view name;
  size_t tag_begin = 0;
  uint32_t content_begin = 0;  // just after the start tag
  Prosody prosody;             // effective inside this element
  int say_as_frame = -1;       // index of the innermost enclosing <say-as>
  NormalizeOptions normalize;  // <say-as> frames only
  // Inside <sub> or <phoneme> the content is one unit: nested elements
  // emit nothing (quiet) and text is collected (phoneme) or replaced (sub).
  Element leaf = Element::kUnknown;
  bool quiet = false;
  std::string alias;     // <sub>
  std::string phonemes;  // <phoneme>
  PhonemeAlphabet alphabet = PhonemeAlphabet::kIpa;
  int break_ms = 0;  // <break>
  std::string mark;  // <mark>
};

class SsmlParser {
 public:
  SsmlParser(std::string_view input, const SsmlLimits& limits)
      : input_(input), limits_(limits), reader_(input) {}

  Result<std::vector<SsmlPiece>> Parse();

 private:
  Status OnText();
  Status OnStartTag();
  Status OnEndTag();
  Status Finish();
  Status OpenRoot();
  Status CheckTextOutsideRoot() const;
  Status ReadAttributes(Frame& frame);
  Status FindAttribute(std::string_view name, const XmlAttribute*& found) const;
  Status ReadBreak(Frame& frame);
  Status ReadProsody(Frame& frame);
  Status ReadSayAs(Frame& frame);
  Status ReadSub(Frame& frame);
  Status ReadPhoneme(Frame& frame);
  Status ReadMark(Frame& frame);
  Status InvalidValue(const XmlAttribute& attribute, std::string_view element,
                      std::string_view expected) const;
  Status MissingAttribute(const Frame& frame, std::string_view attribute,
                          std::string_view example) const;
  Status CloseTop(Span closing_tag);
  void EmitOpening(const Frame& frame);
  void EmitLeafText(const Frame& frame, Span closing_tag);
  void Flush();
  SsmlPiece PieceIn(const Frame& frame, SsmlPiece::Kind kind, Span span) const;
  void EmitText(SourceText text, Span span, const Frame& frame);
  void EmitBoundary(const Frame& frame, Span span);

  std::string_view input_;
  SsmlLimits limits_;
  XmlReader reader_;
  XmlEvent event_;
  std::vector<Frame> stack_;
  bool root_seen_ = false;
  SourceText pending_;  // text read since the last piece-producing tag
  std::vector<SsmlPiece> pieces_;
  int64_t total_break_ms_ = 0;
};

Result<std::vector<SsmlPiece>> SsmlParser::Parse() {
  while (true) {
    Status status = reader_.Next(event_);
    if (!status.ok()) return status;
    switch (event_.type) {
      case XmlEvent::Type::kText:
        status = OnText();
        break;
      case XmlEvent::Type::kStartTag:
        status = OnStartTag();
        break;
      case XmlEvent::Type::kEndTag:
        status = OnEndTag();
        break;
      case XmlEvent::Type::kEnd:
        status = Finish();
        break;
    }
    if (!status.ok()) return status;
    if (event_.type == XmlEvent::Type::kEnd) return std::move(pieces_);
  }
}

Status SsmlParser::OnText() {
  if (stack_.empty()) return CheckTextOutsideRoot();
  // A <sub> alias replaces its content, which is still checked by the reader.
  if (stack_.back().leaf == Element::kSub) return Status::Ok();
  reader_.AppendText(event_, pending_);
  return Status::Ok();
}

Status SsmlParser::CheckTextOutsideRoot() const {
  size_t i = event_.span.begin;
  // A byte order mark may open the document; spans keep counting it.
  if (i == 0 && input_.substr(0, kBom.size()) == kBom) i = kBom.size();
  for (; i < event_.span.end; ++i) {
    if (IsSpace(input_[i])) continue;
    return reader_.ErrorAt(i, root_seen_ ? "text after </speak> is not allowed; move it "
                                           "inside the <speak> element"
                                         : "text before <speak> is not allowed; wrap the "
                                           "whole document in <speak>...</speak>");
  }
  return Status::Ok();
}

Status SsmlParser::OnStartTag() {
  if (stack_.empty()) return OpenRoot();
  if (stack_.size() >= static_cast<size_t>(std::max(limits_.max_depth, 0))) {
    return reader_.ErrorAt(event_.span.begin,
                           "elements are nested more than " + std::to_string(limits_.max_depth) +
                               " deep (SsmlLimits::max_depth); flatten the markup",
                           StatusCode::kLimitExceeded);
  }
  const Frame& parent = stack_.back();
  Frame frame;
  frame.element = Classify(event_.name);
  frame.name = event_.name;
  frame.tag_begin = event_.span.begin;
  frame.content_begin = event_.span.end;
  frame.prosody = parent.prosody;
  frame.say_as_frame = parent.say_as_frame;
  frame.leaf = parent.leaf;
  frame.quiet = parent.leaf != Element::kUnknown;
  if (frame.element == Element::kSpeak) {
    return reader_.ErrorAt(frame.tag_begin,
                           "<speak> may only be the root element; remove "
                           "the nested <speak>");
  }
  Status status = ReadAttributes(frame);
  if (!status.ok()) return status;
  if (!frame.quiet && frame.element != Element::kUnknown) {
    Flush();
    EmitOpening(frame);
  }
  stack_.push_back(std::move(frame));
  return event_.self_closing ? CloseTop(event_.span) : Status::Ok();
}

Status SsmlParser::OpenRoot() {
  if (root_seen_) {
    return reader_.ErrorAt(event_.span.begin, "only one root element is allowed; move <" +
                                                  std::string(event_.name) + "> inside <speak>");
  }
  if (event_.name != "speak") {
    return reader_.ErrorAt(event_.span.begin, "the root element must be <speak>, not <" +
                                                  std::string(event_.name) + ">");
  }
  if (limits_.max_depth < 1) {
    return reader_.ErrorAt(event_.span.begin,
                           "SsmlLimits::max_depth is below 1, so no element is allowed",
                           StatusCode::kLimitExceeded);
  }
  root_seen_ = true;
  Frame root;
  root.element = Element::kSpeak;
  root.name = event_.name;
  root.tag_begin = event_.span.begin;
  stack_.push_back(std::move(root));
  return event_.self_closing ? CloseTop(event_.span) : Status::Ok();
}

Status SsmlParser::OnEndTag() {
  if (stack_.empty()) {
    return reader_.ErrorAt(event_.span.begin, "closing tag </" + std::string(event_.name) +
                                                  "> has no matching opening tag; remove it");
  }
  const Frame& top = stack_.back();
  if (top.name != event_.name) {
    return reader_.ErrorAt(event_.span.begin,
                           "closing tag </" + std::string(event_.name) + "> does not match <" +
                               std::string(top.name) + "> opened at " +
                               LineColumn(input_, top.tag_begin) + "; close it with </" +
                               std::string(top.name) + "> first");
  }
  return CloseTop(event_.span);
}

Status SsmlParser::Finish() {
  if (!stack_.empty()) {
    const Frame& top = stack_.back();
    return reader_.ErrorAt(
        top.tag_begin,
        "<" + std::string(top.name) + "> is never closed; add </" + std::string(top.name) + ">");
  }
  if (!root_seen_) {
    return reader_.ErrorAt(input_.size(),
                           "no <speak> root element; wrap the text in "
                           "<speak>...</speak>");
  }
  return Status::Ok();
}

// --- attributes -------------------------------------------------------------

Status SsmlParser::FindAttribute(std::string_view name, const XmlAttribute*& found) const {
  found = nullptr;
  for (const XmlAttribute& attribute : event_.attributes) {
    if (attribute.name != name) continue;
    if (found != nullptr) {
      return reader_.ErrorAt(attribute.name_offset, "attribute " + std::string(name) +
                                                        " appears twice in <" +
                                                        std::string(event_.name) + ">; keep one");
    }
    found = &attribute;
  }
  return Status::Ok();
}

Status SsmlParser::InvalidValue(const XmlAttribute& attribute, std::string_view element,
                                std::string_view expected) const {
  return reader_.ErrorAt(attribute.name_offset,
                         std::string(element) + " " + std::string(attribute.name) + " " +
                             Quoted(attribute.value) + " is not valid; expected " +
                             std::string(expected));
}

Status SsmlParser::MissingAttribute(const Frame& frame, std::string_view attribute,
                                    std::string_view example) const {
  return reader_.ErrorAt(frame.tag_begin, "<" + std::string(frame.name) + "> needs a " +
                                              std::string(attribute) + " attribute, e.g. " +
                                              std::string(example));
}

Status SsmlParser::ReadAttributes(Frame& frame) {
  switch (frame.element) {
    case Element::kBreak:
      return ReadBreak(frame);
    case Element::kProsody:
      return ReadProsody(frame);
    case Element::kSayAs:
      return ReadSayAs(frame);
    case Element::kSub:
      return ReadSub(frame);
    case Element::kPhoneme:
      return ReadPhoneme(frame);
    case Element::kMark:
      return ReadMark(frame);
    default:
      return Status::Ok();  // speak/p/s/unknown: attributes ignored
  }
}

Status SsmlParser::ReadBreak(Frame& frame) {
  const XmlAttribute* time = nullptr;
  const XmlAttribute* strength = nullptr;
  Status status = FindAttribute("time", time);
  if (status.ok()) status = FindAttribute("strength", strength);
  if (!status.ok()) return status;
  frame.break_ms = 400;  // SSML's default strength is medium
  if (strength != nullptr) {
    auto ms = ParseBreakStrength(Trim(strength->value));
    if (!ms) {
      return InvalidValue(*strength, "break", "none, x-weak, weak, medium, strong or x-strong");
    }
    frame.break_ms = *ms;
  }
  if (time != nullptr) {  // an explicit time wins over the strength
    auto ms = ParseBreakTime(Trim(time->value), limits_.max_break_ms);
    if (!ms) return InvalidValue(*time, "break", "a duration like 500ms or 1.5s");
    frame.break_ms = *ms;
  }
  frame.break_ms = std::min(frame.break_ms, limits_.max_break_ms);
  if (frame.quiet) return Status::Ok();  // inside <sub>/<phoneme>: no pause
  total_break_ms_ += frame.break_ms;
  if (total_break_ms_ > limits_.max_total_break_ms) {
    return reader_.ErrorAt(frame.tag_begin,
                           "the <break> elements up to here add up to " +
                               std::to_string(total_break_ms_) + " ms of silence, over " +
                               "the limit of " + std::to_string(limits_.max_total_break_ms) +
                               " ms (SsmlLimits::max_total_break_ms); shorten or remove breaks",
                           StatusCode::kLimitExceeded);
  }
  return Status::Ok();
}

// One prosody attribute: how to read it and where its product goes.
struct ProsodyAttribute {
  std::string_view name;
  std::optional<double> (*parse)(std::string_view);
  std::string_view expected;  // the valid choices, for the error message
  float Prosody::*field;
  double low, high;
};

Status SsmlParser::ReadProsody(Frame& frame) {
  static constexpr ProsodyAttribute kAttributes[] = {
      {"rate", ParseRate, "x-slow, slow, medium, fast, x-fast, a percentage like 120% or a number",
       &Prosody::rate, 0.25, 4},
      {"pitch", ParsePitch,
       "x-low, low, medium, high, x-high, a percentage like +10% or semitones like -2st",
       &Prosody::pitch, 0.25, 4},
      {"volume", ParseVolume,
       "silent, x-soft, soft, medium, loud, x-loud, decibels like +6dB or a percentage like 50%",
       &Prosody::volume, 0, 4},
  };
  for (const ProsodyAttribute& spec : kAttributes) {
    const XmlAttribute* attribute = nullptr;
    Status status = FindAttribute(spec.name, attribute);
    if (!status.ok()) return status;
    if (attribute == nullptr) continue;
    const std::optional<double> factor = spec.parse(Trim(attribute->value));
    if (!factor) return InvalidValue(*attribute, "prosody", spec.expected);
    // Nested prosody multiplies; clamping each level keeps values sane.
    float& value = frame.prosody.*spec.field;
    value = Clamped(value * *factor, spec.low, spec.high);
  }
  return Status::Ok();
}

Status SsmlParser::ReadSayAs(Frame& frame) {
  const XmlAttribute* interpret_as = nullptr;
  const XmlAttribute* format = nullptr;
  Status status = FindAttribute("interpret-as", interpret_as);
  if (status.ok()) status = FindAttribute("format", format);
  if (!status.ok()) return status;
  frame.say_as_frame = static_cast<int>(stack_.size());  // this frame, once pushed
  if (interpret_as != nullptr) frame.normalize.say_as = ParseInterpretAs(interpret_as->value);
  if (format != nullptr && frame.normalize.say_as != SayAs::kNone) {
    if (format->value.size() > kMaxFormatLength) {
      return InvalidValue(*format, "say-as", "a short format like mdy, dmy or ymd");
    }
    frame.normalize.format = format->value;
  }
  return Status::Ok();
}

Status SsmlParser::ReadSub(Frame& frame) {
  const XmlAttribute* alias = nullptr;
  Status status = FindAttribute("alias", alias);
  if (!status.ok()) return status;
  if (alias == nullptr) {
    return MissingAttribute(frame, "alias", "<sub alias=\"World Wide Web\">WWW</sub>");
  }
  frame.alias = alias->value;
  if (!frame.quiet) frame.leaf = Element::kSub;
  return Status::Ok();
}

Status SsmlParser::ReadPhoneme(Frame& frame) {
  const XmlAttribute* ph = nullptr;
  const XmlAttribute* alphabet = nullptr;
  Status status = FindAttribute("ph", ph);
  if (status.ok()) status = FindAttribute("alphabet", alphabet);
  if (!status.ok()) return status;
  if (ph == nullptr || Trim(ph->value).empty()) {
    return MissingAttribute(frame, "non-empty ph",
                            "<phoneme alphabet=\"ipa\" ph=\"t\xC9\x99\xCB\x88m\xC9\x91to\xCA\x8A\">"
                            "tomato</phoneme>");
  }
  if (alphabet != nullptr) {
    auto parsed = ParseAlphabet(Trim(alphabet->value));
    if (!parsed) return InvalidValue(*alphabet, "phoneme", "ipa, x-arpabet or arpabet");
    frame.alphabet = *parsed;
  }
  frame.phonemes = ph->value;
  if (!frame.quiet) frame.leaf = Element::kPhoneme;
  return Status::Ok();
}

Status SsmlParser::ReadMark(Frame& frame) {
  const XmlAttribute* name = nullptr;
  Status status = FindAttribute("name", name);
  if (!status.ok()) return status;
  if (name == nullptr || name->value.empty()) {
    return MissingAttribute(frame, "non-empty name", "<mark name=\"m1\"/>");
  }
  frame.mark = name->value;
  return Status::Ok();
}

// --- pieces -----------------------------------------------------------------

SsmlPiece SsmlParser::PieceIn(const Frame& frame, SsmlPiece::Kind kind, Span span) const {
  SsmlPiece piece;
  piece.kind = kind;
  piece.prosody = frame.prosody;
  piece.span = span;
  return piece;
}

void SsmlParser::EmitText(SourceText text, Span span, const Frame& frame) {
  SsmlPiece piece = PieceIn(frame, SsmlPiece::Kind::kText, span);
  piece.text = std::move(text);
  if (frame.say_as_frame >= 0) piece.normalize = stack_[frame.say_as_frame].normalize;
  pieces_.push_back(std::move(piece));
}

void SsmlParser::EmitBoundary(const Frame& frame, Span span) {
  SsmlPiece piece = PieceIn(frame, SsmlPiece::Kind::kBoundary, span);
  piece.paragraph = frame.element == Element::kP;
  pieces_.push_back(std::move(piece));
}

// Text between two piece-producing tags becomes one piece; whitespace alone
// (indentation between tags) says nothing and is dropped.
void SsmlParser::Flush() {
  if (!pending_.empty() && !IsAllSpace(pending_.text())) {
    const Span span = pending_.ToSource(0, pending_.text().size());
    EmitText(std::move(pending_), span, stack_.back());
  }
  pending_ = SourceText();
}

void SsmlParser::EmitOpening(const Frame& frame) {
  const Span tag = event_.span;
  if (frame.element == Element::kP || frame.element == Element::kS) {
    EmitBoundary(frame, tag);
  } else if (frame.element == Element::kBreak) {
    SsmlPiece piece = PieceIn(frame, SsmlPiece::Kind::kBreak, tag);
    piece.break_ms = frame.break_ms;
    pieces_.push_back(std::move(piece));
  } else if (frame.element == Element::kMark) {
    SsmlPiece piece = PieceIn(frame, SsmlPiece::Kind::kMark, tag);
    piece.mark = frame.mark;
    pieces_.push_back(std::move(piece));
  }
}

// The one piece a <sub> or <phoneme> stands for, mapped to its content.
void SsmlParser::EmitLeafText(const Frame& frame, Span closing_tag) {
  const Span content{frame.content_begin, std::max(frame.content_begin, closing_tag.begin)};
  if (frame.element == Element::kSub) {
    pending_ = SourceText();
    if (frame.alias.empty()) return;  // alias="" says nothing
    SourceText alias;
    alias.Append(frame.alias, content);
    EmitText(std::move(alias), content, frame);
    return;
  }
  const Span span = pending_.empty() ? content : pending_.ToSource(0, pending_.text().size());
  EmitText(std::move(pending_), span, frame);
  pending_ = SourceText();
  pieces_.back().phonemes = frame.phonemes;
  pieces_.back().alphabet = frame.alphabet;
}

Status SsmlParser::CloseTop(Span closing_tag) {
  const Frame& top = stack_.back();
  if (top.element == Element::kSayAs && closing_tag.begin > top.content_begin &&
      closing_tag.begin - top.content_begin > limits_.max_say_as_bytes) {
    return reader_.ErrorAt(top.tag_begin,
                           "<say-as> holds " +
                               std::to_string(closing_tag.begin - top.content_begin) +
                               " bytes, over the limit of " +
                               std::to_string(limits_.max_say_as_bytes) +
                               " (SsmlLimits::max_say_as_bytes); say-as is for short items such "
                               "as codes, dates and phone numbers: split it or read the rest as "
                               "plain text",
                           StatusCode::kLimitExceeded);
  }
  if (!top.quiet && top.element != Element::kUnknown) {
    if (top.element == Element::kSub || top.element == Element::kPhoneme) {
      EmitLeafText(top, closing_tag);
    } else {
      Flush();
    }
    if (top.element == Element::kP || top.element == Element::kS) {
      EmitBoundary(top, closing_tag);
    }
  }
  stack_.pop_back();
  return Status::Ok();
}

// --- JSON -------------------------------------------------------------------

void AppendJsonString(std::string_view text, std::string& out) {
  out += '"';
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const char32_t cp = DecodeUtf8(text, pos);
    if (cp == '"' || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(cp));
      out += escaped;
    } else if (cp == kReplacementChar && text.substr(start, 3) != "\xEF\xBF\xBD") {
      out += "\\ufffd";
    } else {
      out.append(text.substr(start, pos - start));
    }
  }
  out += '"';
}

// Four decimals, trailing zeros dropped: 1.25, 0.8909, 2.
std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

const char* SayAsName(SayAs say_as) {
  switch (say_as) {
    case SayAs::kNone:
      return "";
    case SayAs::kCharacters:
      return "characters";
    case SayAs::kCardinal:
      return "cardinal";
    case SayAs::kOrdinal:
      return "ordinal";
    case SayAs::kDigits:
      return "digits";
    case SayAs::kDate:
      return "date";
    case SayAs::kTime:
      return "time";
    case SayAs::kTelephone:
      return "telephone";
  }
  return "";
}

void AppendJsonField(std::string_view key, std::string_view raw_value, std::string& out) {
  out += ",\"";
  out += key;
  out += "\":";
  out += raw_value;
}

void AppendProsodyJson(const Prosody& prosody, std::string& out) {
  const std::pair<std::string_view, float> fields[] = {
      {"rate", prosody.rate}, {"pitch", prosody.pitch}, {"volume", prosody.volume}};
  for (const auto& [key, value] : fields) {
    const std::string number = FormatNumber(value);
    if (number != "1") AppendJsonField(key, number, out);
  }
}

void AppendTextPieceJson(const SsmlPiece& piece, std::string& out) {
  std::string value;
  out += "{\"text\":";
  AppendJsonString(piece.text.text(), out);
  out +=
      ",\"span\":[" + std::to_string(piece.span.begin) + "," + std::to_string(piece.span.end) + "]";
  const auto string_field = [&](std::string_view key, std::string_view text) {
    value.clear();
    AppendJsonString(text, value);
    AppendJsonField(key, value, out);
  };
  if (piece.normalize.say_as != SayAs::kNone) {
    string_field("say_as", SayAsName(piece.normalize.say_as));
  }
  if (!piece.normalize.format.empty()) string_field("format", piece.normalize.format);
  if (!piece.phonemes.empty()) {
    string_field("phonemes", piece.phonemes);
    string_field("alphabet", piece.alphabet == PhonemeAlphabet::kIpa ? "ipa" : "arpabet");
  }
  AppendProsodyJson(piece.prosody, out);
  out += '}';
}

void AppendPieceJson(const SsmlPiece& piece, std::string& out) {
  switch (piece.kind) {
    case SsmlPiece::Kind::kText:
      AppendTextPieceJson(piece, out);
      return;
    case SsmlPiece::Kind::kBreak:
      out += "{\"break\":" + std::to_string(piece.break_ms) + "}";
      return;
    case SsmlPiece::Kind::kMark:
      out += "{\"mark\":";
      AppendJsonString(piece.mark, out);
      out += '}';
      return;
    case SsmlPiece::Kind::kBoundary:
      out += piece.paragraph ? "{\"boundary\":\"p\"}" : "{\"boundary\":\"s\"}";
      return;
  }
}

}  // namespace

bool LooksLikeSsml(std::string_view input) {
  if (input.substr(0, kBom.size()) == kBom) input.remove_prefix(kBom.size());
  input = Trim(input);
  if (input.substr(0, 5) == "<?xml") return true;
  if (input.substr(0, 6) != "<speak") return false;
  // "<speaker>" is not SSML; "<speak>", "<speak xmlns=...>" and "<speak/>" are.
  return input.size() == 6 || IsSpace(input[6]) || input[6] == '>' || input[6] == '/';
}

std::vector<std::string> SsmlLimits::Validate() const {
  std::vector<std::string> problems;
  if (max_depth < 1) problems.push_back("ssml.max_depth must be at least 1");
  if (max_say_as_bytes == 0) problems.push_back("ssml.max_say_as_bytes must be positive");
  if (max_break_ms < 0) problems.push_back("ssml.max_break_ms must not be negative");
  if (max_total_break_ms < 0) problems.push_back("ssml.max_total_break_ms must not be negative");
  return problems;
}

Result<std::vector<SsmlPiece>> ParseSsml(std::string_view input, const SsmlLimits& limits) {
  // Spans are 32-bit offsets, which also bounds what max_bytes can allow.
  if (input.size() > limits.max_bytes || input.size() > UINT32_MAX) {
    return Status(StatusCode::kLimitExceeded,
                  "the SSML document is " + std::to_string(input.size()) +
                      " bytes, over the limit of " + std::to_string(limits.max_bytes) +
                      " bytes (SsmlLimits::max_bytes); split the text into smaller requests");
  }
  if (limits.max_break_ms < 0 || limits.max_total_break_ms < 0) {
    return Status(StatusCode::kInvalidArgument,
                  "SsmlLimits::max_break_ms and max_total_break_ms must not be negative");
  }
  SsmlParser parser(input, limits);
  return parser.Parse();
}

std::string SsmlPiecesToJson(const std::vector<SsmlPiece>& pieces) {
  std::string out = "[";
  for (size_t i = 0; i < pieces.size(); ++i) {
    if (i > 0) out += ',';
    AppendPieceJson(pieces[i], out);
  }
  out += ']';
  return out;
}

}  // namespace voxlet
