// The ARPAbet phone set of the lexicon asset and its one-byte codes.
// Code 0 is never a phone; consonants take 1..24, then every vowel takes three
// consecutive codes for stress 0, 1, 2. engine/include/voxlet/lexicon_format.h
// holds the same table: change both or neither.

export const CONSONANTS = [
  'B', 'CH', 'D', 'DH', 'F', 'G', 'HH', 'JH', 'K', 'L', 'M', 'N',
  'NG', 'P', 'R', 'S', 'SH', 'T', 'TH', 'V', 'W', 'Y', 'Z', 'ZH',
];
export const VOWELS = [
  'AA', 'AE', 'AH', 'AO', 'AW', 'AY', 'EH', 'ER', 'EY', 'IH', 'IY', 'OW',
  'OY', 'UH', 'UW',
];

// Index = byte code.
export const PHONE_SYMBOLS = [
  '',
  ...CONSONANTS,
  ...VOWELS.flatMap((v) => [`${v}0`, `${v}1`, `${v}2`]),
];
const CODE_OF = new Map(PHONE_SYMBOLS.map((s, i) => [s, i]).slice(1));

export function phoneCode(symbol) {
  return CODE_OF.get(symbol); // undefined for anything outside the set
}

export function isVowel(symbol) {
  return /[012]$/.test(symbol);
}

export function stripStress(symbol) {
  return symbol.replace(/[012]$/, '');
}

// Base phones without stress (39), for alignment.
export const BASE_PHONES = [...CONSONANTS, ...VOWELS];
export const BASE_INDEX = new Map(BASE_PHONES.map((p, i) => [p, i]));
