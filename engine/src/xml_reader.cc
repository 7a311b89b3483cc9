#include "voxlet/xml_reader.h"

#include <cstdint>

#include "voxlet/utf8.h"

namespace voxlet {
namespace {

// Longest reference body we look for a ';' in ("#x0010FFFF" with slack);
// bounding it keeps a stray '&' from scanning the rest of the document.
constexpr size_t kMaxReferenceLength = 32;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsNameStart(char c) {
  const auto byte = static_cast<unsigned char>(c);
  // Bytes >= 0x80 are accepted so non-ASCII names work without a full
  // Unicode name table; they are never markup characters.
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || byte >= 0x80;
}

bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

Span SpanOf(size_t begin, size_t end) {
  return {static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes "#65", "#x41" (without '&' and ';'); false when malformed or not a
// character XML allows in a document.
bool DecodeNumericReference(std::string_view body, char32_t& code_point) {
  const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
  const std::string_view digits = body.substr(hex ? 2 : 1);
  if (digits.empty()) return false;
  const int base = hex ? 16 : 10;
  uint32_t value = 0;
  for (char c : digits) {
    const int digit = HexValue(c);
    if (digit < 0 || digit >= base) return false;
    value = value * base + digit;
    if (value > 0x10FFFF) return false;  // also stops any overflow
  }
  if (value == 0 || (value >= 0xD800 && value <= 0xDFFF)) return false;
  code_point = value;
  return true;
}

bool DecodeNamedReference(std::string_view name, char32_t& code_point) {
  static constexpr struct {
    std::string_view name;
    char32_t code_point;
  } kEntities[] = {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
  for (const auto& entity : kEntities) {
    if (entity.name == name) {
      code_point = entity.code_point;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string LineColumn(std::string_view input, size_t offset) {
  size_t line = 1;
  size_t column = 1;
  size_t pos = 0;
  while (pos < offset && pos < input.size()) {
    if (DecodeUtf8(input, pos) == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

Status XmlReader::ErrorAt(size_t offset, std::string_view what, StatusCode code) const {
  std::string message = LineColumn(input_, offset);
  message += ": ";
  message += what;
  return Status(code, std::move(message));
}

bool XmlReader::LookingAt(std::string_view prefix) const {
  return input_.substr(pos_, prefix.size()) == prefix;
}

bool XmlReader::SkipSpace() {
  const size_t start = pos_;
  while (pos_ < input_.size() && IsSpace(input_[pos_])) ++pos_;
  return pos_ > start;
}

std::string_view XmlReader::ReadName() {
  const size_t start = pos_;
  if (pos_ >= input_.size() || !IsNameStart(input_[pos_])) return {};
  while (pos_ < input_.size() && IsNameChar(input_[pos_])) ++pos_;
  return input_.substr(start, pos_ - start);
}

Status XmlReader::Next(XmlEvent& event) {
  event.name = {};
  event.attributes.clear();
  event.parts.clear();
  event.self_closing = false;
  while (pos_ < input_.size()) {
    if (input_[pos_] != '<') return ReadText(event);
    if (LookingAt("<!--")) {
      Status status = SkipUntil(4, "-->", "comment");
      if (!status.ok()) return status;
    } else if (LookingAt("<?")) {
      Status status = SkipUntil(2, "?>", "processing instruction");
      if (!status.ok()) return status;
    } else if (LookingAt("<![CDATA[")) {
      return ReadCdata(event);
    } else if (LookingAt("<!")) {
      return ErrorAt(pos_, "DOCTYPE and other <! declarations are not supported; remove it");
    } else if (LookingAt("</")) {
      return ReadEndTag(event);
    } else {
      return ReadStartTag(event);
    }
  }
  event.type = XmlEvent::Type::kEnd;
  event.span = SpanOf(pos_, pos_);
  return Status::Ok();
}

Status XmlReader::SkipUntil(size_t opener_length, std::string_view terminator,
                            std::string_view what) {
  const size_t end = input_.find(terminator, pos_ + opener_length);
  if (end == std::string_view::npos) {
    return ErrorAt(pos_,
                   std::string(what) + " is never closed; end it with " + std::string(terminator));
  }
  pos_ = end + terminator.size();
  return Status::Ok();
}

Status XmlReader::ReadCdata(XmlEvent& event) {
  constexpr std::string_view kOpen = "<![CDATA[";
  const size_t content = pos_ + kOpen.size();
  const size_t end = input_.find("]]>", content);
  if (end == std::string_view::npos) {
    return ErrorAt(pos_, "CDATA section is never closed; end it with ]]>");
  }
  event.type = XmlEvent::Type::kText;
  event.span = SpanOf(content, end);
  if (end > content) event.parts.push_back({event.span, false, 0});
  pos_ = end + 3;
  return Status::Ok();
}

Status XmlReader::ReadText(XmlEvent& event) {
  event.type = XmlEvent::Type::kText;
  const size_t start = pos_;
  size_t run_start = pos_;
  const auto end_run = [&] {
    if (pos_ > run_start) event.parts.push_back({SpanOf(run_start, pos_), false, 0});
  };
  while (pos_ < input_.size() && input_[pos_] != '<') {
    if (input_[pos_] != '&') {
      ++pos_;
      continue;
    }
    end_run();
    const size_t reference_start = pos_;
    char32_t code_point = 0;
    Status status = ReadReference(code_point);
    if (!status.ok()) return status;
    event.parts.push_back({SpanOf(reference_start, pos_), true, code_point});
    run_start = pos_;
  }
  end_run();
  event.span = SpanOf(start, pos_);
  return Status::Ok();
}

Status XmlReader::ReadReference(char32_t& code_point) {
  const size_t start = pos_;
  const size_t semicolon = input_.substr(start, kMaxReferenceLength).find(';');
  if (semicolon == std::string_view::npos) {
    return ErrorAt(start,
                   "'&' starts a character reference like &amp; and needs a ';'; "
                   "write &amp; for a literal &");
  }
  const std::string_view body = input_.substr(start + 1, semicolon - 1);
  const bool ok = !body.empty() && body[0] == '#' ? DecodeNumericReference(body, code_point)
                                                  : DecodeNamedReference(body, code_point);
  if (!ok) {
    return ErrorAt(start, "character reference &" + std::string(body) +
                              "; is not valid; expected &amp;, &lt;, &gt;, &quot;, "
                              "&apos;, &#NNN; or &#xHHH; naming a valid character");
  }
  pos_ = start + semicolon + 1;
  return Status::Ok();
}

Status XmlReader::ReadStartTag(XmlEvent& event) {
  const size_t start = pos_;
  ++pos_;  // '<'
  event.type = XmlEvent::Type::kStartTag;
  event.name = ReadName();
  if (event.name.empty()) {
    pos_ = start;
    return ErrorAt(start, "'<' must start a tag; write &lt; for a literal <");
  }
  while (true) {
    const bool spaced = SkipSpace();
    if (pos_ >= input_.size()) {
      return ErrorAt(start,
                     "tag <" + std::string(event.name) + "> is never closed; end it with '>'");
    }
    if (input_[pos_] == '>' || LookingAt("/>")) break;
    if (!spaced) {
      return ErrorAt(pos_, "unexpected character in tag <" + std::string(event.name) +
                               ">; separate attributes with spaces and end the tag "
                               "with '>' or '/>'");
    }
    Status status = ReadAttribute(event.name, event);
    if (!status.ok()) return status;
  }
  event.self_closing = input_[pos_] == '/';
  pos_ += event.self_closing ? 2 : 1;
  event.span = SpanOf(start, pos_);
  return Status::Ok();
}

Status XmlReader::ReadAttribute(std::string_view tag, XmlEvent& event) {
  XmlAttribute attribute;
  attribute.name_offset = pos_;
  attribute.name = ReadName();
  const std::string in_tag = " in tag <" + std::string(tag) + ">";
  if (attribute.name.empty()) {
    return ErrorAt(pos_, "expected an attribute name" + in_tag +
                             ", like name=\"value\", or the end of the tag");
  }
  const std::string example = std::string(attribute.name) + "=\"...\"";
  SkipSpace();
  if (pos_ >= input_.size() || input_[pos_] != '=') {
    return ErrorAt(attribute.name_offset, "attribute " + std::string(attribute.name) + in_tag +
                                              " needs a value; write " + example);
  }
  ++pos_;
  SkipSpace();
  if (pos_ >= input_.size() || (input_[pos_] != '"' && input_[pos_] != '\'')) {
    return ErrorAt(pos_, "the value of attribute " + std::string(attribute.name) + in_tag +
                             " must be quoted; write " + example);
  }
  Status status = ReadAttributeValue(attribute.value);
  if (!status.ok()) return status;
  event.attributes.push_back(std::move(attribute));
  return Status::Ok();
}

Status XmlReader::ReadAttributeValue(std::string& value) {
  const size_t open = pos_;
  const char quote = input_[pos_++];
  while (pos_ < input_.size() && input_[pos_] != quote) {
    const char c = input_[pos_];
    if (c == '<') {
      return ErrorAt(pos_, "'<' is not allowed in an attribute value; write &lt;");
    }
    if (c != '&') {
      value += c;
      ++pos_;
      continue;
    }
    char32_t code_point = 0;
    Status status = ReadReference(code_point);
    if (!status.ok()) return status;
    AppendUtf8(code_point, value);
  }
  if (pos_ >= input_.size()) {
    return ErrorAt(open, std::string("attribute value is never closed; end it with ") + quote);
  }
  ++pos_;  // closing quote
  return Status::Ok();
}

Status XmlReader::ReadEndTag(XmlEvent& event) {
  const size_t start = pos_;
  pos_ += 2;  // "</"
  event.type = XmlEvent::Type::kEndTag;
  event.name = ReadName();
  if (event.name.empty()) {
    return ErrorAt(start, "closing tag needs a name, like </p>");
  }
  SkipSpace();
  if (pos_ >= input_.size() || input_[pos_] != '>') {
    return ErrorAt(start, "closing tag </" + std::string(event.name) +
                              " must end with '>' right after its name");
  }
  ++pos_;
  event.span = SpanOf(start, pos_);
  return Status::Ok();
}

void XmlReader::AppendText(const XmlEvent& event, SourceText& out) const {
  std::string decoded;
  for (const XmlTextPart& part : event.parts) {
    if (!part.is_reference) {
      out.Append(input_.substr(part.source.begin, part.source.end - part.source.begin),
                 part.source);
      continue;
    }
    decoded.clear();
    AppendUtf8(part.code_point, decoded);
    out.Append(decoded, part.source);
  }
}

}  // namespace voxlet
