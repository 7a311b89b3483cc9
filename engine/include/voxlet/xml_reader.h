// A small pull tokenizer for the XML that SSML documents use: start and end
// tags with quoted attributes, text with the five predefined entities and
// numeric character references, CDATA sections (read as text), and comments
// and processing instructions (skipped). DOCTYPE declarations are rejected.
//
//   XmlReader reader(input);
//   XmlEvent event;
//   while (true) {
//     Status status = reader.Next(event);
//     if (!status.ok()) return status;  // "line 1, column 9: ..."
//     if (event.type == XmlEvent::Type::kEnd) break;
//     ...
//   }
//
// The reader does not check that tags nest: that is the caller's job (it
// knows which element is open and can name both sides of a mismatch).
// Every step is linear in the bytes it consumes and nothing recurses, so
// hostile input costs time proportional to its size.
//
// Events point into `input` (names, spans); the caller keeps `input` alive.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "voxlet/status.h"
#include "voxlet/text.h"

namespace voxlet {

struct XmlAttribute {
  std::string_view name;
  std::string value;       // references decoded
  size_t name_offset = 0;  // byte offset of the name in the input
};

// A run of text: either bytes copied verbatim from `source`, or one character
// reference (`source` covers "&amp;") that decodes to `code_point`.
struct XmlTextPart {
  Span source;
  bool is_reference = false;
  char32_t code_point = 0;
};

struct XmlEvent {
  enum class Type { kStartTag, kEndTag, kText, kEnd };
  Type type = Type::kEnd;
  std::string_view name;                 // tags
  std::vector<XmlAttribute> attributes;  // start tags
  bool self_closing = false;             // start tags written <x/>
  Span span;                             // the whole tag, or the raw text
  std::vector<XmlTextPart> parts;        // text
};

class XmlReader {
 public:
  explicit XmlReader(std::string_view input) : input_(input) {}

  // Reads the next tag or text run into `event` (its vectors are reused).
  // Returns kMalformedSsml with a "line L, column C: ..." message on error.
  Status Next(XmlEvent& event);

  // Appends the decoded text of a kText event to `out`, mapping verbatim runs
  // byte for byte and each reference to the bytes that spelled it.
  void AppendText(const XmlEvent& event, SourceText& out) const;

  // An error of `code` located at byte `offset` of the input.
  Status ErrorAt(size_t offset, std::string_view what,
                 StatusCode code = StatusCode::kMalformedSsml) const;

 private:
  Status SkipUntil(size_t opener_length, std::string_view terminator, std::string_view what);
  Status ReadCdata(XmlEvent& event);
  Status ReadText(XmlEvent& event);
  Status ReadStartTag(XmlEvent& event);
  Status ReadEndTag(XmlEvent& event);
  Status ReadAttribute(std::string_view tag, XmlEvent& event);
  Status ReadAttributeValue(std::string& value);
  Status ReadReference(char32_t& code_point);
  std::string_view ReadName();
  bool SkipSpace();
  bool LookingAt(std::string_view prefix) const;

  std::string_view input_;
  size_t pos_ = 0;
};

// "line L, column C" (1-based; columns count code points) of a byte offset.
std::string LineColumn(std::string_view input, size_t offset);

}  // namespace voxlet
