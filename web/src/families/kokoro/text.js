// Kokoro's English front end around espeak-ng: the text rules before it and the
// phoneme rules after it, so that Voxlet gives a Kokoro model exactly the phoneme
// string kokoro-js 1.2.1 would (tests/runtime/kokoro-parity.test.mjs checks every
// row of tests/golden/kokoro_parity.jsonl, which kokoro-js itself wrote).
//
// The behaviour — which rule, in which order, with which quirks — is kokoro-js's
// (Apache-2.0, hexgrad/kokoro kokoro.js/src/phonemize.js), itself a port of the
// English rules of misaki/Kokoro's Python pipeline. Quirks kept on purpose, because
// the model was trained on them and parity needs them: only the FIRST run of two or
// more spaces is collapsed; "(" ")" become "«" "»"; "yeah" becomes "ye'a"; years are
// read in pairs ("1990" -> "19 90"); "9" + "ti" is "di" in American English.
//
//   const pieces = kokoroTextPieces('Dr. Smith paid $3.50.');
//   // [{ text: 'Doctor Smith paid 3 dollars and 50 cents', punctuation: false }, { text: '.', punctuation: true }]
//   // espeak-ng phonemizes each non-punctuation piece; the punctuation pieces pass through;
//   const phonemes = kokoroPostProcess(joined, 'a');

import { Tracked } from './tracked.js';

/** Punctuation that Kokoro's vocab has and espeak-ng must not see (kept verbatim between pieces). */
export const KOKORO_PUNCTUATION = ';:,.!?¡¿—…"«»“”(){}[]';

const escaped = KOKORO_PUNCTUATION.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// A run of punctuation with the whitespace around it, repeated (", " "." "!? " ...).
const PUNCTUATION_RUN = new RegExp(`(\\s*[${escaped}]+\\s*)+`, 'g');

/** The espeak-ng voice for a Kokoro language code ("a" American, "b" British). */
export function espeakVoiceFor(lang) {
  return lang === 'a' ? 'en-us' : 'en';
}

// "1990" -> "19 90", "1905" -> "19 oh 5", "1900s" -> "19 hundreds", "10:05" -> "10 oh 5",
// "3:00" -> "3 o'clock"; anything with a "." is left for the decimal rules.
function readTimeOrYear(match) {
  if (match.includes('.')) return match;
  if (match.includes(':')) {
    const [hours, minutes] = match.split(':').map(Number);
    if (minutes === 0) return `${hours} o'clock`;
    return minutes < 10 ? `${hours} oh ${minutes}` : `${hours} ${minutes}`;
  }
  const year = parseInt(match.slice(0, 4), 10);
  if (year < 1100 || year % 1000 < 10) return match;
  const century = match.slice(0, 2);
  const rest = parseInt(match.slice(2, 4), 10);
  const plural = match.endsWith('s') ? 's' : '';
  if (year % 1000 >= 100 && year % 1000 <= 999) {
    if (rest === 0) return `${century} hundred${plural}`;
    if (rest < 10) return `${century} oh ${rest}${plural}`;
  }
  return `${century} ${rest}${plural}`;
}

// "$3.50" -> "3 dollars and 50 cents", "£1" -> "1 pound", "$5 million" -> "5 million dollars".
function readMoney(match) {
  const unit = match[0] === '$' ? 'dollar' : 'pound';
  const amount = match.slice(1);
  if (Number.isNaN(Number(amount))) return `${amount} ${unit}s`;
  if (!amount.includes('.')) return `${amount} ${unit}${amount === '1' ? '' : 's'}`;
  const [whole, fraction] = amount.split('.');
  const small = parseInt(fraction.padEnd(2, '0'), 10);
  const smallUnit = match[0] === '$' ? (small === 1 ? 'cent' : 'cents') : small === 1 ? 'penny' : 'pence';
  return `${whole} ${unit}${whole === '1' ? '' : 's'} and ${small} ${smallUnit}`;
}

// "3.14" -> "3 point 1 4"
function readDecimal(match) {
  const [whole, fraction] = match.split('.');
  return `${whole} point ${fraction.split('').join(' ')}`;
}

// [pattern, replacement] in the order they apply (replacements are plain strings without
// $-patterns, or functions: tracked.js applies them with the same result as String.replace). Order matters: quotes before brackets,
// titles before the decimal rule, thousands separators after years, money before decimals.
export const TEXT_RULES = [
  [/[‘’]/g, "'"],
  [/«/g, '“'],
  [/»/g, '”'],
  [/[“”]/g, '"'],
  [/\(/g, '«'],
  [/\)/g, '»'],
  [/、/g, ', '],
  [/。/g, '. '],
  [/！/g, '! '],
  [/，/g, ', '],
  [/：/g, ': '],
  [/；/g, '; '],
  [/？/g, '? '],
  [/[^\S \n]/g, ' '], // tabs and other white space (not newlines) become spaces
  [/  +/, ' '], // not global: only the first run (kokoro-js's behaviour)
  [/(?<=\n) +(?=\n)/g, ''],
  [/\bD[Rr]\.(?= [A-Z])/g, 'Doctor'],
  [/\b(?:Mr\.|MR\.(?= [A-Z]))/g, 'Mister'],
  [/\b(?:Ms\.|MS\.(?= [A-Z]))/g, 'Miss'],
  [/\b(?:Mrs\.|MRS\.(?= [A-Z]))/g, 'Mrs'],
  [/\betc\.(?! [A-Z])/gi, 'etc'],
  [/\b(y)eah?\b/gi, (match, y) => `${y}e'a`],
  [/\d*\.\d+|\b\d{4}s?\b|(?<!:)\b(?:[1-9]|1[0-2]):[0-5]\d\b(?!:)/g, readTimeOrYear],
  [/(?<=\d),(?=\d)/g, ''],
  [/[$£]\d+(?:\.\d+)?(?: hundred| thousand| (?:[bm]|tr)illion)*\b|[$£]\d+\.\d\d?\b/gi, readMoney],
  [/\d*\.\d+/g, readDecimal],
  [/(?<=\d)-(?=\d)/g, ' to '],
  [/(?<=\d)S/g, ' S'],
  [/(?<=[BCDFGHJ-NP-TV-Z])'?s\b/g, "'S"],
  [/(?<=X')S\b/g, 's'],
  [/(?:[A-Za-z]\.){2,} [a-z]/g, (match) => match.replace(/\./g, '-')], // "U.S. economy" -> "U-S- economy"
  [/(?<=[A-Z])\.(?=[A-Z])/gi, '-'],
];

/** kokoro-js's text normalization (before espeak-ng), keeping each character's source span. */
export function normalizeTracked(text) {
  let out = Tracked.of(text);
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return out.trim();
}

/** kokoro-js's text normalization (before espeak-ng). */
export function normalizeKokoroText(text) {
  return normalizeTracked(text).text;
}

/**
 * A normalized Tracked text cut into pieces: runs of punctuation (with their white space)
 * pass to the model as they are; the pieces between them go to espeak-ng.
 * @returns {{ tracked: Tracked, punctuation: boolean }[]}
 */
export function trackedPieces(source) {
  const pieces = [];
  let at = 0;
  for (const match of source.text.matchAll(PUNCTUATION_RUN)) {
    if (at < match.index) pieces.push({ tracked: source.slice(at, match.index), punctuation: false });
    if (match[0].length > 0) pieces.push({ tracked: source.slice(match.index, match.index + match[0].length), punctuation: true });
    at = match.index + match[0].length;
  }
  if (at < source.text.length) pieces.push({ tracked: source.slice(at), punctuation: false });
  return pieces;
}

/** The same pieces as plain text: { text, punctuation }. */
export function kokoroTextPieces(text) {
  return trackedPieces(normalizeTracked(text)).map(({ tracked, punctuation }) => ({ text: tracked.text, punctuation }));
}

// Phoneme rules after espeak-ng: Kokoro's own name, symbols outside Kokoro's set, and two
// spacing fixes ("ninety" "a hundred"; a plural "z" espeak split off its word).
export const PHONEME_RULES = [
  [/kəkˈoːɹoʊ/g, 'kˈoʊkəɹoʊ'],
  [/kəkˈɔːɹəʊ/g, 'kˈəʊkəɹəʊ'],
  [/ʲ/g, 'j'],
  [/r/g, 'ɹ'],
  [/x/g, 'k'],
  [/ɬ/g, 'l'],
  [/(?<=[a-zɹː])(?=hˈʌndɹɪd)/g, ' '],
  [/ z(?=[;:,.!?¡¿—…"«»“” ]|$)/g, 'z'],
];
export const AMERICAN_RULES = [[/(?<=nˈaɪn)ti(?!ː)/g, 'di']]; // flapped t: "ninety" nˈaɪndi

/** The phoneme rules for a language, in order (before the final trim). */
export function phonemeRules(lang) {
  return lang === 'a' ? [...PHONEME_RULES, ...AMERICAN_RULES] : PHONEME_RULES;
}

/** kokoro-js's phoneme post-processing of the joined pieces, on a Tracked string. */
export function postProcessTracked(phonemes, lang) {
  let out = phonemes;
  for (const [pattern, replacement] of phonemeRules(lang)) out = out.replace(pattern, replacement);
  return out.trim();
}

/** kokoro-js's phoneme post-processing of the joined pieces. */
export function kokoroPostProcess(phonemes, lang) {
  return postProcessTracked(Tracked.of(phonemes), lang).text;
}

/**
 * The whole front end with a given espeak-ng: `espeak(text, voice)` returns the IPA lines
 * espeak-ng writes for the text (one per clause, no punctuation), as the phonemizer npm
 * package's phonemize() does.
 * @param {string} text
 * @param {'a'|'b'} lang
 * @param {(text: string, voice: string) => Promise<string[]>|string[]} espeak
 * @returns {Promise<string>} the phoneme string Kokoro gets
 */
export async function phonemizeKokoro(text, lang, espeak) {
  const voice = espeakVoiceFor(lang);
  const parts = [];
  for (const piece of kokoroTextPieces(text)) {
    parts.push(piece.punctuation ? piece.text : (await espeak(piece.text, voice)).join(' '));
  }
  return kokoroPostProcess(parts.join(''), lang);
}
