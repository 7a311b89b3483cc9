// Layout of the .voxlex lexicon asset written by scripts/lexicon/build-lexicon.mjs
// (see docs/g2p.md). Shared by the loader and by tests that build or corrupt
// assets. All integers are little-endian.
//
//   header (kHeaderSize bytes)
//     0  "VXLX"               magic
//     4  u16 version          kFormatVersion
//     6  u16 header size      kHeaderSize
//     8  u32 file size
//    12  u32 checksum         FNV-1a 32 of the file with these 4 bytes as zero
//    16  u32 word count
//    20  u32 restart interval words per front-coding block
//    24  u32 codes size       byte-pair merge tables
//    28  u32 index size       u32 offset (into entries) of each block
//    32  u32 entries size
//    36  u32 lts size         letter-to-sound model
//    40  8 bytes reserved
//   then the sections in that order: codes | index | entries | lts.
//
// codes:   u8 n, n x (u8 a, u8 b) letter merges; u8 m, m x (a, b) phone merges.
//          Letter codes 1..27 are a-z and apostrophe, phone codes 1..69 are
//          kPhoneSymbols; merge k defines code base+1+k as code a then code b.
// entries: per word: u8 prefix length shared with the previous word (0 at a
//          block start), letter codes of the rest, bit 7 set on the last;
//          phone codes, bit 7 set on the last.
// lts:     u8 feature count F, F x i8 letter offsets (0 = the letter itself);
//          u16 class count, per class u8 n and n phone codes (1..69);
//          u32 node count, per node u8 key, u8 class, u8 child count, in
//          breadth-first order (node 0 is the root; a node's children are
//          contiguous and sorted by key). Keys: 0 outside the word, 1..26
//          a-z, 27 apostrophe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace voxlet::lexicon_format {

inline constexpr std::string_view kMagic = "VXLX";
inline constexpr uint16_t kFormatVersion = 1;
inline constexpr size_t kHeaderSize = 48;
inline constexpr size_t kChecksumOffset = 12;
inline constexpr uint8_t kEndBit = 0x80;
inline constexpr int kMaxCode = 127;
inline constexpr int kLetterBaseCodes = 27;
inline constexpr int kPhoneBaseCodes = 69;
inline constexpr int kFirstVowelCode = 25;  // vowels: 25 + 3 * vowel + stress

// Index = phone code. Consonants, then each vowel with stress 0, 1, 2.
inline constexpr std::array<std::string_view, kPhoneBaseCodes + 1> kPhoneSymbols = {
    "",    "B",   "CH",  "D",   "DH",  "F",   "G",   "HH",  "JH",  "K",
    "L",   "M",   "N",   "NG",  "P",   "R",   "S",   "SH",  "T",   "TH",
    "V",   "W",   "Y",   "Z",   "ZH",  "AA0", "AA1", "AA2", "AE0", "AE1",
    "AE2", "AH0", "AH1", "AH2", "AO0", "AO1", "AO2", "AW0", "AW1", "AW2",
    "AY0", "AY1", "AY2", "EH0", "EH1", "EH2", "ER0", "ER1", "ER2", "EY0",
    "EY1", "EY2", "IH0", "IH1", "IH2", "IY0", "IY1", "IY2", "OW0", "OW1",
    "OW2", "OY0", "OY1", "OY2", "UH0", "UH1", "UH2", "UW0", "UW1", "UW2"};

// Phone code of an ARPAbet symbol with stress ("AH0"), 0 if it is none.
inline int PhoneCode(std::string_view symbol) {
  for (size_t i = 1; i < kPhoneSymbols.size(); ++i) {
    if (kPhoneSymbols[i] == symbol) return static_cast<int>(i);
  }
  return 0;
}

inline bool IsVowelCode(int code) { return code >= kFirstVowelCode && code <= kPhoneBaseCodes; }
// 0, 1 or 2 for a vowel code.
inline int StressOf(int code) { return (code - kFirstVowelCode) % 3; }
inline int WithStress(int code, int stress) { return code - StressOf(code) + stress; }

// FNV-1a 32 of the asset with the checksum field read as zero.
inline uint32_t AssetChecksum(const uint8_t* data, size_t size) {
  uint32_t hash = 0x811c9dc5u;
  for (size_t i = 0; i < size; ++i) {
    bool in_field = i >= kChecksumOffset && i < kChecksumOffset + 4;
    hash ^= in_field ? 0u : data[i];
    hash *= 0x01000193u;
  }
  return hash;
}

}  // namespace voxlet::lexicon_format
