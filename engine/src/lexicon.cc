// Lexicon: loader and reader of the .voxlex asset (layout in
// voxlet/lexicon_format.h). Every section is validated when loading; readers
// still check bounds so a bug or an unforeseen input can never read outside
// the buffer.
#include <algorithm>
#include <string>
#include <utility>

#include "voxlet/g2p.h"
#include "voxlet/lexicon_format.h"

namespace voxlet {
namespace {

namespace fmt = lexicon_format;

// Reads little-endian integers from a byte range; past the end it returns 0
// and remembers the failure, so parsers check once per section.
class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t U8() { return Has(1) ? data_[pos_++] : Fail(); }
  uint16_t U16() {
    uint16_t lo = U8();
    return static_cast<uint16_t>(lo | (U8() << 8));
  }
  uint32_t U32() {
    uint32_t lo = U16();
    return lo | (static_cast<uint32_t>(U16()) << 16);
  }
  bool Has(uint64_t n) const { return !failed_ && size_ - pos_ >= n; }
  bool failed() const { return failed_; }
  size_t pos() const { return pos_; }
  bool at_end() const { return pos_ == size_; }

 private:
  uint8_t Fail() {
    failed_ = true;
    return 0;
  }
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  bool failed_ = false;
};

Status Invalid(std::string what) {
  return Status(StatusCode::kInvalidAsset, "lexicon asset: " + std::move(what));
}

struct Header {
  uint32_t file_size, checksum, word_count, restart_interval;
  uint32_t codes_size, index_size, entries_size, lts_size;
};

// A merge may stand for at most this many symbols; it bounds what a hostile
// table of repeated doublings could make us allocate.
constexpr size_t kMaxExpansion = 64;

// Byte-pair merge table: code -> what it stands for.
template <typename Expansion>
bool ReadMerges(ByteReader& in, int base_codes, std::vector<Expansion>& table) {
  int count = in.U8();
  if (in.failed() || base_codes + count > fmt::kMaxCode) return false;
  for (int i = 0; i < count; ++i) {
    int a = in.U8();
    int b = in.U8();
    int code = static_cast<int>(table.size());
    if (in.failed() || a < 1 || b < 1 || a >= code || b >= code) return false;
    Expansion merged = table[a];
    merged.insert(merged.end(), table[b].begin(), table[b].end());
    if (merged.size() > kMaxExpansion) return false;
    table.push_back(std::move(merged));
  }
  return true;
}

}  // namespace

struct Lexicon::Impl {
  std::vector<uint8_t> bytes;
  uint32_t word_count = 0;
  uint32_t restart_interval = 1;
  std::vector<std::string> letters;           // letter code -> text
  std::vector<std::vector<uint8_t>> phones;   // phone code -> phone codes 1..69
  std::vector<uint32_t> block_offsets;        // into entries
  size_t entries_begin = 0;
  size_t entries_size = 0;
  // Letter-to-sound tree.
  std::vector<int8_t> feature_offsets;
  std::vector<std::vector<uint8_t>> classes;  // class -> phone codes 1..69
  std::vector<uint8_t> node_key, node_class, node_children;
  std::vector<uint32_t> first_child;

  Status ParseHeader(Header& h) const;
  Status ParseCodes(ByteReader in);
  Status ParseIndex(ByteReader in, const Header& h);
  Status ValidateEntries() const;
  Status ParseLts(ByteReader in);
  bool ReadEntry(size_t& pos, std::string& word, std::vector<uint8_t>* phone_codes) const;
  int BlockFor(std::string_view word) const;
  std::vector<uint8_t> PredictCodes(std::string_view word) const;
  int ClassAt(const std::vector<uint8_t>& keys, int position) const;
};

Status Lexicon::Impl::ParseHeader(Header& h) const {
  if (bytes.size() < fmt::kHeaderSize) {
    return Invalid("truncated: " + std::to_string(bytes.size()) + " bytes, the header alone needs " +
                   std::to_string(fmt::kHeaderSize));
  }
  if (std::string_view(reinterpret_cast<const char*>(bytes.data()), 4) != fmt::kMagic) {
    return Invalid("not a Voxlet lexicon (magic is not \"VXLX\")");
  }
  ByteReader in(bytes.data() + 4, fmt::kHeaderSize - 4);
  uint16_t version = in.U16();
  if (version != fmt::kFormatVersion) {
    return Invalid("unsupported format version " + std::to_string(version) + " (this build reads " +
                   std::to_string(fmt::kFormatVersion) + ")");
  }
  if (in.U16() != fmt::kHeaderSize) return Invalid("unexpected header size");
  h = {in.U32(), in.U32(), in.U32(), in.U32(), in.U32(), in.U32(), in.U32(), in.U32()};
  if (h.file_size != bytes.size()) {
    return Invalid("header says " + std::to_string(h.file_size) + " bytes but got " +
                   std::to_string(bytes.size()) + " (truncated or padded)");
  }
  if (h.checksum != fmt::AssetChecksum(bytes.data(), bytes.size())) {
    return Invalid("checksum mismatch (corrupt data)");
  }
  uint64_t sections = uint64_t{h.codes_size} + h.index_size + h.entries_size + h.lts_size;
  if (fmt::kHeaderSize + sections != bytes.size()) {
    return Invalid("section sizes do not add up to the file size");
  }
  if (h.restart_interval == 0 || h.restart_interval > 4096) {
    return Invalid("restart interval " + std::to_string(h.restart_interval) + " out of range");
  }
  return Status::Ok();
}

Status Lexicon::Impl::ParseCodes(ByteReader in) {
  letters.assign(1, "");
  for (int c = 1; c <= fmt::kLetterBaseCodes; ++c) letters.push_back(std::string(1, c == 27 ? '\'' : 'a' + c - 1));
  phones.assign(1, {});
  for (int c = 1; c <= fmt::kPhoneBaseCodes; ++c) phones.push_back({static_cast<uint8_t>(c)});
  if (!ReadMerges(in, fmt::kLetterBaseCodes, letters) || !ReadMerges(in, fmt::kPhoneBaseCodes, phones) ||
      !in.at_end()) {
    return Invalid("malformed code table section");
  }
  return Status::Ok();
}

Status Lexicon::Impl::ParseIndex(ByteReader in, const Header& h) {
  uint64_t blocks = (uint64_t{h.word_count} + h.restart_interval - 1) / h.restart_interval;
  if (blocks * 4 != h.index_size) return Invalid("index size does not match the word count");
  block_offsets.resize(blocks);
  for (auto& offset : block_offsets) {
    offset = in.U32();
    if (offset >= entries_size) return Invalid("index points outside the entries section");
  }
  if (!std::is_sorted(block_offsets.begin(), block_offsets.end())) return Invalid("index is not sorted");
  return Status::Ok();
}

// Decodes the entry at `pos` (relative to the entries section) and advances
// past it. `word` holds the previous word on entry (for the shared prefix).
bool Lexicon::Impl::ReadEntry(size_t& pos, std::string& word, std::vector<uint8_t>* phone_codes) const {
  const uint8_t* data = bytes.data() + entries_begin;
  if (pos >= entries_size) return false;
  size_t shared = data[pos++];
  if (shared > word.size()) return false;
  word.resize(shared);
  for (bool last = false; !last; ++pos) {
    if (pos >= entries_size) return false;
    last = data[pos] & fmt::kEndBit;
    size_t code = data[pos] & ~fmt::kEndBit;
    if (code == 0 || code >= letters.size()) return false;
    word += letters[code];
  }
  if (phone_codes) phone_codes->clear();
  for (bool last = false; !last; ++pos) {
    if (pos >= entries_size) return false;
    last = data[pos] & fmt::kEndBit;
    size_t code = data[pos] & ~fmt::kEndBit;
    if (code == 0 || code >= phones.size()) return false;
    if (phone_codes) phone_codes->insert(phone_codes->end(), phones[code].begin(), phones[code].end());
  }
  return true;
}

// Every word decodes, words are strictly increasing, and each block starts
// where the index says: after this, lookups cannot meet malformed entries.
Status Lexicon::Impl::ValidateEntries() const {
  size_t pos = 0;
  std::string word, previous;
  for (uint32_t i = 0; i < word_count; ++i) {
    bool block_start = i % restart_interval == 0;
    if (block_start && block_offsets[i / restart_interval] != pos) return Invalid("index does not match entries");
    if (block_start && pos < entries_size && bytes[entries_begin + pos] != 0) {
      return Invalid("block " + std::to_string(i / restart_interval) + " does not restart its prefix");
    }
    if (!ReadEntry(pos, word, nullptr)) return Invalid("malformed entry " + std::to_string(i));
    if (i > 0 && word <= previous) return Invalid("words are not sorted at entry " + std::to_string(i));
    previous = word;
  }
  if (pos != entries_size) return Invalid("trailing bytes after the last entry");
  return Status::Ok();
}

Status Lexicon::Impl::ParseLts(ByteReader in) {
  int feature_count = in.U8();
  if (feature_count < 1 || feature_count > 32) return Invalid("letter-to-sound feature count out of range");
  for (int f = 0; f < feature_count; ++f) feature_offsets.push_back(static_cast<int8_t>(in.U8()));
  int class_count = in.U16();
  if (class_count < 1 || class_count > 256) return Invalid("letter-to-sound class count out of range");
  classes.resize(class_count);
  for (auto& phone_codes : classes) {
    int n = in.U8();
    for (int k = 0; k < n; ++k) {
      int code = in.U8();
      if (code < 1 || code > fmt::kPhoneBaseCodes) return Invalid("letter-to-sound class has an invalid phone");
      phone_codes.push_back(static_cast<uint8_t>(code));
    }
  }
  uint32_t node_count = in.U32();
  if (in.failed() || node_count == 0 || !in.Has(uint64_t{node_count} * 3)) {
    return Invalid("letter-to-sound section truncated");
  }
  node_key.resize(node_count);
  node_class.resize(node_count);
  node_children.resize(node_count);
  first_child.resize(node_count);
  uint64_t next_child = 1;  // breadth first: children follow all earlier ones
  for (uint32_t i = 0; i < node_count; ++i) {
    node_key[i] = in.U8();
    node_class[i] = in.U8();
    node_children[i] = in.U8();
    if (node_class[i] >= class_count) return Invalid("letter-to-sound node has an invalid class");
    first_child[i] = static_cast<uint32_t>(next_child);
    next_child += node_children[i];
    if (next_child > node_count) return Invalid("letter-to-sound tree links outside the tree");
  }
  if (next_child != node_count || !in.at_end()) return Invalid("letter-to-sound tree size mismatch");
  return Status::Ok();
}

Result<Lexicon> Lexicon::FromBytes(std::vector<uint8_t> bytes) {
  auto impl = std::make_unique<Impl>();
  impl->bytes = std::move(bytes);
  Header h;
  if (Status s = impl->ParseHeader(h); !s.ok()) return s;
  impl->word_count = h.word_count;
  impl->restart_interval = h.restart_interval;
  const uint8_t* base = impl->bytes.data();
  size_t offset = fmt::kHeaderSize;
  ByteReader codes(base + offset, h.codes_size);
  offset += h.codes_size;
  ByteReader index(base + offset, h.index_size);
  offset += h.index_size;
  impl->entries_begin = offset;
  impl->entries_size = h.entries_size;
  offset += h.entries_size;
  ByteReader lts(base + offset, h.lts_size);
  if (Status s = impl->ParseCodes(codes); !s.ok()) return s;
  if (Status s = impl->ParseIndex(index, h); !s.ok()) return s;
  if (Status s = impl->ValidateEntries(); !s.ok()) return s;
  if (Status s = impl->ParseLts(lts); !s.ok()) return s;
  return Lexicon(std::move(impl));
}

// Last block whose first word is <= `word` (-1 if `word` sorts before all).
int Lexicon::Impl::BlockFor(std::string_view word) const {
  int lo = 0, hi = static_cast<int>(block_offsets.size()) - 1, found = -1;
  std::string first;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    size_t pos = block_offsets[mid];
    first.clear();
    if (!ReadEntry(pos, first, nullptr)) return -1;
    if (first <= word) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

namespace {
std::vector<std::string> ToSymbols(const std::vector<uint8_t>& codes) {
  std::vector<std::string> out;
  out.reserve(codes.size());
  for (uint8_t c : codes) out.emplace_back(fmt::kPhoneSymbols[c]);
  return out;
}
}  // namespace

std::vector<std::string> Lexicon::Lookup(std::string_view word) const {
  int block = impl_->BlockFor(word);
  if (block < 0) return {};
  size_t pos = impl_->block_offsets[block];
  uint64_t first_index = uint64_t{static_cast<uint32_t>(block)} * impl_->restart_interval;
  std::string current;
  std::vector<uint8_t> phone_codes;
  for (uint64_t i = first_index; i < impl_->word_count && i < first_index + impl_->restart_interval; ++i) {
    if (!impl_->ReadEntry(pos, current, &phone_codes)) return {};
    if (current == word) return ToSymbols(phone_codes);
    if (current > word) break;
  }
  return {};
}

size_t Lexicon::word_count() const { return impl_->word_count; }

// Class of the deepest tree node matching the context of letter `position`.
int Lexicon::Impl::ClassAt(const std::vector<uint8_t>& keys, int position) const {
  uint32_t node = 0;
  for (int8_t offset : feature_offsets) {
    int j = position + offset;
    uint8_t value = (j >= 0 && j < static_cast<int>(keys.size())) ? keys[j] : 0;
    uint32_t begin = first_child[node], end = begin + node_children[node];
    uint32_t next = node;
    for (uint32_t c = begin; c < end; ++c) {
      if (node_key[c] == value) {
        next = c;
        break;
      }
    }
    if (next == node) break;
    node = next;
  }
  return node_class[node];
}

namespace {
// Exactly one primary stress when there are vowels (mirrors fixStress in
// scripts/lexicon/lts.mjs): no primary -> the first secondary, else the first
// vowel, becomes primary; several -> all but the last become secondary.
void FixStress(std::vector<uint8_t>& codes) {
  int primaries = 0, first_secondary = -1, first_vowel = -1;
  for (int i = 0; i < static_cast<int>(codes.size()); ++i) {
    if (!fmt::IsVowelCode(codes[i])) continue;
    if (first_vowel < 0) first_vowel = i;
    int stress = fmt::StressOf(codes[i]);
    if (stress == 1) ++primaries;
    if (stress == 2 && first_secondary < 0) first_secondary = i;
  }
  if (first_vowel < 0) return;
  if (primaries == 0) {
    int pick = first_secondary >= 0 ? first_secondary : first_vowel;
    codes[pick] = static_cast<uint8_t>(fmt::WithStress(codes[pick], 1));
    return;
  }
  for (auto& code : codes) {
    if (primaries > 1 && fmt::IsVowelCode(code) && fmt::StressOf(code) == 1) {
      code = static_cast<uint8_t>(fmt::WithStress(code, 2));
      --primaries;
    }
  }
}
}  // namespace

std::vector<uint8_t> Lexicon::Impl::PredictCodes(std::string_view word) const {
  std::vector<uint8_t> keys;
  for (char c : word) {
    if (c >= 'a' && c <= 'z') keys.push_back(static_cast<uint8_t>(c - 'a' + 1));
    if (c == '\'') keys.push_back(27);
  }
  std::vector<uint8_t> codes;
  for (int i = 0; i < static_cast<int>(keys.size()); ++i) {
    const auto& chunk = classes[ClassAt(keys, i)];
    codes.insert(codes.end(), chunk.begin(), chunk.end());
  }
  // A word whose letters all map to silence still needs a sound.
  if (codes.empty() && !keys.empty()) codes.push_back(static_cast<uint8_t>(fmt::PhoneCode("AH1")));
  FixStress(codes);
  return codes;
}

std::vector<std::string> Lexicon::Predict(std::string_view word) const {
  return ToSymbols(impl_->PredictCodes(word));
}

Lexicon::Lexicon(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Lexicon::Lexicon(Lexicon&&) noexcept = default;
Lexicon& Lexicon::operator=(Lexicon&&) noexcept = default;
Lexicon::~Lexicon() = default;

}  // namespace voxlet
