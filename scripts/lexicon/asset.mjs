// Binary layout of the .voxlex asset (all integers little-endian). The C++
// loader is engine/src/lexicon.cc; engine/include/voxlet/lexicon_format.h and
// docs/g2p.md document the same layout.
//
//   header (48 bytes)
//     0  "VXLX"            magic
//     4  u16 version       FORMAT_VERSION
//     6  u16 header size   48
//     8  u32 file size
//    12  u32 checksum      FNV-1a 32 of the file with these 4 bytes as zero
//    16  u32 word count
//    20  u32 restart interval (words per front-coding block)
//    24  u32 codes size    byte-pair merge tables (codes.mjs)
//    28  u32 index size    4 bytes per block: offset of the block in entries
//    32  u32 entries size
//    36  u32 lts size      letter-to-sound model (lts.mjs)
//    40  8 bytes reserved (zero)
//   codes | index | entries | lts    (in this order, right after the header)
//
// An entry: u8 length of the prefix shared with the previous word (0 at a
// block start), the rest of the word as letter codes with bit 7 set on the
// last one, then phone codes with bit 7 set on the last one.

import { encodeSymbols, serializeMerges } from './codes.mjs';

export const MAGIC = 'VXLX';
export const FORMAT_VERSION = 1;
export const HEADER_SIZE = 48;
export const RESTART_INTERVAL = 16;

export function fnv1a(bytes) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i];
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function sharedPrefixLength(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function pushTerminated(bytes, codes) {
  codes.forEach((c, k) => bytes.push(c | (k === codes.length - 1 ? 0x80 : 0)));
}

// entries: [[word, phones[]]] sorted by word (byte order), unique, words of
// at most 255 letters.
export function encodeEntries(entries) {
  const shared = entries.map(([word], i) =>
    i % RESTART_INTERVAL === 0 ? 0 : sharedPrefixLength(entries[i - 1][0], word),
  );
  const suffixes = entries.map(([word], i) => word.slice(shared[i]));
  const coded = encodeSymbols(suffixes, entries.map(([, phones]) => phones));
  const index = [];
  const bytes = [];
  entries.forEach((_, i) => {
    if (i % RESTART_INTERVAL === 0) index.push(bytes.length);
    bytes.push(shared[i]);
    pushTerminated(bytes, coded.letterSeqs[i]);
    pushTerminated(bytes, coded.phoneSeqs[i]);
  });
  const indexBytes = new Uint8Array(index.length * 4);
  const view = new DataView(indexBytes.buffer);
  index.forEach((offset, i) => view.setUint32(i * 4, offset, true));
  return {
    codes: serializeMerges(coded.letterMerges, coded.phoneMerges),
    index: indexBytes,
    entries: Uint8Array.from(bytes),
  };
}

export function assembleAsset({ wordCount, codes, index, entries, lts }) {
  const sections = [codes, index, entries, lts];
  const size = HEADER_SIZE + sections.reduce((sum, s) => sum + s.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  view.setUint16(4, FORMAT_VERSION, true);
  view.setUint16(6, HEADER_SIZE, true);
  view.setUint32(8, size, true);
  view.setUint32(16, wordCount, true);
  view.setUint32(20, RESTART_INTERVAL, true);
  let offset = HEADER_SIZE;
  sections.forEach((section, i) => {
    view.setUint32(24 + 4 * i, section.length, true);
    out.set(section, offset);
    offset += section.length;
  });
  view.setUint32(12, fnv1a(out), true); // checksum field is still zero here
  return out;
}
