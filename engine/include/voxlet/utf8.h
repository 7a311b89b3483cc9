// UTF-8 decoding helpers. The engine works on UTF-8 bytes; spans it reports are
// byte offsets into the original input (see text.h), which the bindings convert
// to UTF-16 code-unit offsets for JavaScript with Utf16Offsets().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace voxlet {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point at `pos` and advances `pos` past it. Invalid or
// truncated sequences (overlongs, surrogates, > U+10FFFF) decode as
// U+FFFD and advance by one byte, so decoding always makes progress.
char32_t DecodeUtf8(std::string_view text, size_t& pos);

// True when `text` is entirely valid UTF-8.
bool IsValidUtf8(std::string_view text);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string& out);

// For each byte offset 0..text.size() the UTF-16 code-unit offset of the
// code point that starts there (bytes inside a sequence get the offset of the
// sequence's start). Size is text.size() + 1.
std::vector<uint32_t> Utf16Offsets(std::string_view text);

}  // namespace voxlet
