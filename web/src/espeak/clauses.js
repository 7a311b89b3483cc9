// Where espeak-ng ends its clauses in plain text, and with which terminator.
//
// piper-phonemize reads text clause by clause through a patched espeak-ng call
// (espeak_TextToPhonemesWithTerminator) and appends punctuation chosen by the
// clause's terminator: "." "?" "!" for a period, question or exclamation, and
// ", " ": " "; " for a comma, colon or semicolon; a terminator of the sentence
// type also ends the sentence (one model input). The npm espeak-ng builds only
// expose the stock call, which returns a clause's phonemes without saying how
// it ended, so this module finds the same clause ends in the text, following
// the rules of espeak-ng's ReadClause for plain (non-SSML) text:
//   - a clause punctuation mark ends a clause when a space, bracket/quote, "?",
//     or the end of the text follows it (marks such as ¡ ¿ … end it anyway);
//   - runs of marks ("?!", "!!", "?.") count as their first mark;
//   - three or more dots are an ellipsis; a "." followed (after spaces) by a
//     lower-case letter, or by "'s", is not an end (abbreviations, "U.S.'s");
//     in languages with ordinal dots (German...) neither is "3. oktober";
//   - nothing ends a clause before its first letter or digit;
//   - two or more newlines end a paragraph (a sentence end without punctuation);
//   - a clause longer than espeak's buffer is cut at a non-alphanumeric char.
// The caller checks the clause count against espeak's own split (phonemizer.js).

/** How a clause ends, as piper-phonemize sees it. */
export const TERMINATORS = ['period', 'question', 'exclamation', 'comma', 'colon', 'semicolon', 'other'];

// espeak-ng's clause types for the marks it knows (its ucd property table):
// kind (what Piper appends), sentence (ends a sentence), optionalSpace (ends a
// clause without a following space). Marks whose type Piper does not compare
// equal (inverted marks, ellipsis, CJK full stops) append nothing: 'other'.
const MARKS = new Map([
  [0x2e, { kind: 'period', sentence: true }],
  [0x3f, { kind: 'question', sentence: true }],
  [0x21, { kind: 'exclamation', sentence: true }],
  [0x2c, { kind: 'comma', sentence: false }],
  [0x3a, { kind: 'colon', sentence: false }],
  [0x3b, { kind: 'semicolon', sentence: false }],
  [0xa1, { kind: 'other', sentence: false, optionalSpace: true }], // ¡
  [0xbf, { kind: 'other', sentence: false, optionalSpace: true }], // ¿
  [0x2013, { kind: 'semicolon', sentence: false }], // en dash
  [0x2014, { kind: 'semicolon', sentence: false }], // em dash
  [0x2026, { kind: 'other', sentence: false, optionalSpace: true }], // …
  [0x203c, { kind: 'exclamation', sentence: true }], // ‼
  [0x2047, { kind: 'question', sentence: true }], // ⁇
  [0x2048, { kind: 'question', sentence: true }], // ⁈
  [0x2049, { kind: 'question', sentence: true }], // ⁉
  [0x3002, { kind: 'other', sentence: true, optionalSpace: true }], // 。
  [0xff01, { kind: 'other', sentence: true, optionalSpace: true }], // ！
  [0xff1f, { kind: 'other', sentence: true, optionalSpace: true }], // ？
  [0xff0c, { kind: 'other', sentence: false, optionalSpace: true }], // ，
  [0x3001, { kind: 'other', sentence: false, optionalSpace: true }], // 、
  [0xff1a, { kind: 'other', sentence: false, optionalSpace: true }], // ：
  [0xff1b, { kind: 'other', sentence: false, optionalSpace: true }], // ；
]);

// espeak's brackets (IsBracket): these, and U+2018..U+201F (curly quotes).
const BRACKETS = new Set([...'()[]{}<>"\'`'].map((c) => c.codePointAt(0)).concat([0xab, 0xbb, 0x300a, 0x300b]));
// Languages whose dot after a number makes an ordinal (espeak's NUM_ORDINAL_DOT).
const ORDINAL_DOT_LANGUAGES = new Set(['bs', 'cs', 'da', 'de', 'et', 'fi', 'fo', 'hr', 'hu', 'is', 'lt', 'lv', 'nb', 'no', 'sk', 'sl', 'sr', 'tr']);
// espeak's clause buffer (N_TR_SOURCE) and the margin at which it cuts early.
const CLAUSE_BUFFER_BYTES = 800;

const isSpace = (c) => (c >= 9 && c <= 13) || /\p{Z}/u.test(String.fromCodePoint(c));
const isAlnum = (c) => /[\p{L}\p{N}]/u.test(String.fromCodePoint(c));
const isAlpha = (c) => /\p{L}/u.test(String.fromCodePoint(c));
const isDigit = (c) => /\p{Nd}/u.test(String.fromCodePoint(c));
const isLower = (c) => /\p{Ll}/u.test(String.fromCodePoint(c));
const isBracket = (c) => BRACKETS.has(c) || (c >= 0x2018 && c <= 0x201f);
const isRoman = (c) => c === 0x49 || c === 0x56 || c === 0x58 || c === 0x4c; // I V X L
const utf8Length = (c) => (c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4);
const SPACE = 0x20;
const DOT = 0x2e;

/**
 * The clauses espeak-ng reads from `text`, in order.
 * @param {string} text
 * @param {string} [voice]  espeak voice (e.g. "de"): language rules for ordinal dots
 * @returns {{start: number, end: number, kind: string, sentenceEnd: boolean}[]}
 *   start/end: UTF-16 offsets of the clause (without surrounding spaces, with its mark)
 */
export function espeakClauses(text, voice = '') {
  const chars = Array.from(text, (ch) => ch.codePointAt(0));
  const offsets = [0];
  for (const c of chars) offsets.push(offsets.at(-1) + (c > 0xffff ? 2 : 1));
  const ordinalDot = ORDINAL_DOT_LANGUAGES.has(voice.toLowerCase().split(/[-_]/)[0]);
  const clauses = [];
  let i = 0;
  while (i < chars.length) {
    const clause = readClause(chars, i, ordinalDot);
    clauses.push(trimmed(chars, offsets, i, clause));
    i = clause.next;
    if (clause.kind === 'eof') break;
  }
  return clauses;
}

// One clause from index `from`: { end (index past its last char), next, kind, sentenceEnd }.
function readClause(chars, from, ordinalDot) {
  const n = chars.length;
  const at = (k) => (k < n ? chars[k] : SPACE); // espeak reads a space at the end of the text
  let anyAlnum = false;
  let bytes = 0;
  let cprev = SPACE;
  let cprev2 = SPACE;
  for (let i = from; i < n; ) {
    let c1 = chars[i];
    let after = i + 1; // index of c2
    if (isAlnum(c1)) anyAlnum = true;
    if (c1 === 0x0a) {
      let j = i + 1;
      let newlines = 0;
      while (j < n && isSpace(chars[j])) newlines += chars[j++] === 0x0a ? 1 : 0;
      if (newlines > 0) return { end: i, next: j, kind: 'other', sentenceEnd: true }; // paragraph
    }
    if (c1 === DOT && at(after) === DOT) {
      let dots = 1;
      while (at(i + dots) === DOT && i + dots < n) dots++;
      if (dots >= 3) {
        c1 = 0x2026;
        after = i + dots;
      }
    }
    const mark = MARKS.get(c1);
    let isEnd = false;
    if (mark) {
      while (after < n && MARKS.has(chars[after])) after++; // "?!", "!!!", "?." count as the first
      const c2 = at(after);
      if (isSpace(c2) || mark.optionalSpace || isBracket(c2) || c2 === 0x3f || after >= n) isEnd = true;
    }
    if (isEnd) {
      let next = after;
      let newlines = 0;
      while (next < n && isSpace(chars[next])) newlines += chars[next++] === 0x0a ? 1 : 0;
      const cNext = at(next);
      if (newlines === 0) {
        if (c1 === DOT) {
          if (ordinalDot && (isDigit(cprev) || (isRoman(cprev) && (isRoman(cprev2) || isSpace(cprev2))))) {
            if (!isDigit(cprev) || isLower(cNext) || cNext === 0x2d) isEnd = false;
          } else if (cNext === 0x27 && at(next + 1) === 0x73) {
            isEnd = false; // "U.S.A.'s"
          }
          if (isLower(cNext)) isEnd = false; // an abbreviation
        }
        if (!anyAlnum) isEnd = false;
      }
      if (isEnd) {
        if (newlines > 1) return { end: after, next, kind: 'other', sentenceEnd: true }; // paragraph
        return { end: after, next, kind: mark.kind, sentenceEnd: mark.sentence };
      }
    }
    bytes += utf8Length(c1);
    if ((bytes > CLAUSE_BUFFER_BYTES - 75 && !isAlpha(c1) && !isDigit(c1)) || bytes >= CLAUSE_BUFFER_BYTES - 4) {
      return { end: after, next: after, kind: 'other', sentenceEnd: false }; // clause too long
    }
    cprev2 = cprev;
    cprev = c1;
    i = after;
  }
  return { end: n, next: n, kind: 'eof', sentenceEnd: true };
}

function trimmed(chars, offsets, from, { end, kind, sentenceEnd }) {
  let start = from;
  let stop = end;
  while (start < stop && isSpace(chars[start])) start++;
  while (stop > start && isSpace(chars[stop - 1])) stop--;
  return { start: offsets[start], end: offsets[stop], kind: kind === 'eof' ? 'other' : kind, sentenceEnd };
}
