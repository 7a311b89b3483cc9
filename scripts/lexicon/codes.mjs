// Byte codes for the dictionary entries, with byte-pair merges.
//
// Entries end each word and each pronunciation with bit 7 of the last byte,
// so a symbol has 7 bits: 1..127. Letters use 1..27 (a-z, apostrophe) and
// phones 1..69 (phones.mjs); the remaining codes are the most frequent pairs
// of codes, merged greedily (byte-pair encoding), each defined by the two
// earlier codes it stands for. This shrinks the entries by about a quarter
// while decoding stays a table lookup.

import { phoneCode } from './phones.mjs';

export const MAX_CODE = 127;
export const LETTER_BASE_CODES = 27;
export const PHONE_BASE_CODES = 69;

export function letterCode(ch) {
  return ch === "'" ? 27 : ch.charCodeAt(0) - 96;
}

function mostFrequentPair(sequences) {
  const counts = new Map();
  for (const seq of sequences) {
    for (let i = 0; i + 1 < seq.length; i++) {
      const key = seq[i] * 256 + seq[i + 1];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  let best = -1;
  let bestCount = 1; // a pair seen once saves nothing
  for (const [key, n] of counts) {
    if (n > bestCount || (n === bestCount && best >= 0 && key < best)) {
      best = key;
      bestCount = n;
    }
  }
  return best < 0 ? null : [best >> 8, best & 0xff];
}

function replacePair(seq, [a, b], code) {
  const out = [];
  for (let i = 0; i < seq.length; i++) {
    if (i + 1 < seq.length && seq[i] === a && seq[i + 1] === b) {
      out.push(code);
      i++;
    } else {
      out.push(seq[i]);
    }
  }
  return out;
}

// Learns merges for codes baseCount+1..MAX_CODE and rewrites `sequences`
// (arrays of codes) in place. Returns the merges as [a, b] pairs.
function learnMerges(sequences, baseCount) {
  const merges = [];
  for (let code = baseCount + 1; code <= MAX_CODE; code++) {
    const pair = mostFrequentPair(sequences);
    if (!pair) break;
    merges.push(pair);
    for (let i = 0; i < sequences.length; i++) sequences[i] = replacePair(sequences[i], pair, code);
  }
  return merges;
}

// suffixes: strings; pronunciations: phone symbol arrays. Returns the coded
// sequences and the merge tables.
export function encodeSymbols(suffixes, pronunciations) {
  const letterSeqs = suffixes.map((s) => [...s].map(letterCode));
  const phoneSeqs = pronunciations.map((p) => p.map(phoneCode));
  const letterMerges = learnMerges(letterSeqs, LETTER_BASE_CODES);
  const phoneMerges = learnMerges(phoneSeqs, PHONE_BASE_CODES);
  return { letterSeqs, phoneSeqs, letterMerges, phoneMerges };
}

// Section bytes: u8 count and (a, b) pairs for letters, then for phones.
export function serializeMerges(letterMerges, phoneMerges) {
  return Uint8Array.from([
    letterMerges.length, ...letterMerges.flat(),
    phoneMerges.length, ...phoneMerges.flat(),
  ]);
}
