// Kokoro's front end on Voxlet's espeak-ng: the phoneme string of a whole text
// (exactly kokoro-js's), its spoken words with their spans in the text, and the
// chunks a Kokoro model runs — in the shape of the engine's chunks (engine.js), so
// voxlet.js runs, joins and times them as it does every other voice's.
//
//   const espeak = await loadEspeakPhonemizer();                  // web/src/espeak (GPL, optional)
//   const analysis = analyzeKokoro('It costs $3.50.', 'a', (t, v) => espeak.traceIpa(t, v));
//   analysis.phonemes;  // 'ɪt kˈɔsts θɹˈiː dˈɑːlɚz ænd fˈɪfti sˈɛnts.'
//   for (const chunk of kokoroChunks(kokoroSentences(text, 'a', trace), vocab)) model.run(chunk.ids);
//
// Chunks: one per sentence (a space after . ! ? … in the phonemes, closing quotes
// allowed), a sentence over the budget cut at its last clause end (, ; : —) that fits,
// else its last word boundary, else between phonemes. The budget counts ids with the
// two pad ids 0 around them and never exceeds Kokoro's context: 510 phoneme ids + 2.
// A cut drops the one space it is made at, so the chunks' phonemes joined by single
// spaces give the whole text's phonemes back (unless a single "word" had to be cut).
//
// Words: espeak reads a piece of text (the words between two punctuation runs) and does
// not say which written word each spoken word came from. When a piece has as many
// written words as spoken ones they pair in order; otherwise every spoken word of the
// piece takes the piece's span (the runtime merges words sharing a span into one entry).
import { espeakVoiceFor, normalizeTracked, phonemeRules, trackedPieces } from './text.js';
import { Tracked } from './tracked.js';

/** Kokoro's context: 512 ids per run, i.e. 510 phoneme ids between the two pads. */
export const KOKORO_MAX_IDS = 512;
export const KOKORO_MAX_PHONEME_IDS = KOKORO_MAX_IDS - 2;
const SENTENCE_END = '.!?…';
const CLAUSE_END = ',;:—';
const CLOSING = '"”»)]}';
const NEUTRAL_PROSODY = Object.freeze({ rate: 1, pitch: 1, volume: 1 });

/**
 * The text's sentences, phonemized one at a time as they are asked for (espeak-ng is the
 * costly part: 5 s for 2,000 words on one core, so a stream must not wait for all of it).
 * The text is normalized and cut into pieces as a whole (cheap, and some of kokoro-js's rules
 * depend on the whole text); a sentence ends inside a punctuation piece, after . ! ? … (and
 * closing quotes) where a space follows, and the space opens the next sentence.
 * The phoneme rules are local, so each sentence's phonemes are exactly its part of the whole
 * text's (joined without separator, they are the whole string; parity-tested on every golden row).
 * @param {string} text
 * @param {'a'|'b'} lang
 * @param {(text: string, voice: string) => string[]} espeak  espeak-ng's IPA trace lines
 *   (EspeakPhonemizer.traceIpa)
 * @returns {Generator<{ phonemes: string, words: { range: [number, number], span: [number, number] }[] }>}
 *   words: spoken words (phonemes between spaces, not punctuation alone), range in `phonemes`,
 *   span in `text` (UTF-16)
 */
export function* kokoroSentences(text, lang, espeak) {
  const voice = espeakVoiceFor(lang);
  const groups = sentenceGroups(trackedPieces(normalizeTracked(text)));
  for (let g = 0; g < groups.length; g++) {
    const spoken = []; // spans of spoken words; a phoneme unit's origin is [-1, id + 1]
    const parts = groups[g].map(({ tracked, punctuation }) => (punctuation ? Tracked.uniform(tracked.text, -1, 0) : spokenPiece(tracked, voice, espeak, spoken)));
    let phonemes = Tracked.concat(parts);
    for (const [pattern, replacement] of phonemeRules(lang)) phonemes = phonemes.replace(pattern, replacement);
    if (g === 0) phonemes = phonemes.slice(phonemes.text.length - phonemes.text.trimStart().length);
    if (g === groups.length - 1) phonemes = phonemes.slice(0, phonemes.text.trimEnd().length);
    const words = [];
    for (const match of phonemes.text.matchAll(/[^ ]+/g)) {
      let id = -1;
      for (let i = match.index; i < match.index + match[0].length && id < 0; i++) id = phonemes.ends[i] - 1;
      if (id >= 0) words.push({ range: [match.index, match.index + match[0].length], span: [...spoken[id]] });
    }
    yield { phonemes: phonemes.text, words };
  }
}

/**
 * The whole text at once: { phonemes, words } with `phonemes` exactly kokoro-js's phonemize(text, lang).
 * @returns {{ phonemes: string, words: { range: [number, number], span: [number, number] }[] }}
 */
export function analyzeKokoro(text, lang, espeak) {
  let phonemes = '';
  const words = [];
  for (const sentence of kokoroSentences(text, lang, espeak)) {
    for (const { range, span } of sentence.words) words.push({ range: [range[0] + phonemes.length, range[1] + phonemes.length], span });
    phonemes += sentence.phonemes;
  }
  return { phonemes, words };
}

// espeak-ng's phonemes for one piece, each spoken word's units marked with its index in `spoken`
// (which gets the word's span: the written word in the same place when the counts agree).
function spokenPiece(tracked, voice, espeak, spoken) {
  const ipa = espeak(tracked.text, voice).join(' ');
  const written = Array.from(tracked.text.matchAll(/\S+/g), (m) => tracked.spanOf(m.index, m.index + m[0].length));
  const said = Array.from(ipa.matchAll(/\S+/g));
  const whole = tracked.spanOf(0, tracked.text.length);
  const starts = new Int32Array(ipa.length).fill(-1);
  const ends = new Int32Array(ipa.length).fill(0);
  said.forEach((match, k) => {
    const id = spoken.length;
    spoken.push(written.length === said.length ? written[k] : whole);
    ends.fill(id + 1, match.index, match.index + match[0].length);
  });
  return new Tracked(ipa, starts, ends);
}

// Pieces grouped by sentence: a punctuation piece is cut after a sentence end followed by white space.
const SENTENCE_CUT = /[.!?…]["”»)\]}]*(?= )/g; // a space: where the chunker cuts (never at a newline)
function sentenceGroups(pieces) {
  const groups = [[]];
  for (const piece of pieces) {
    if (!piece.punctuation) {
      groups.at(-1).push(piece);
      continue;
    }
    let at = 0;
    for (const match of piece.tracked.text.matchAll(SENTENCE_CUT)) {
      const end = match.index + match[0].length;
      groups.at(-1).push({ tracked: piece.tracked.slice(at, end), punctuation: true });
      groups.push([]);
      at = end;
    }
    if (at < piece.tracked.text.length) groups.at(-1).push({ tracked: piece.tracked.slice(at), punctuation: true });
  }
  return groups.filter((group) => group.length > 0);
}

/** Kokoro's ids for a phoneme string: each character's vocab id, characters outside it dropped. */
export function kokoroIds(phonemes, vocab) {
  const ids = [0];
  for (const symbol of phonemes) if (Object.hasOwn(vocab, symbol)) ids.push(vocab[symbol]);
  ids.push(0);
  return ids;
}

/**
 * Engine-shaped chunks: { ids, phonemes, words: [{text, span, ids: [from, to]}], marks, prosody,
 * break_after_ms, span, sentence, sentence_end, is_last }. Pulled lazily: a sentence is
 * phonemized only when the chunk before the one that needs it is yielded (is_last looks one ahead).
 * @param {Iterable<{ phonemes: string, words: object[] }>|{ phonemes: string, words: object[] }} sentences
 *   from kokoroSentences() (or one analyzeKokoro() result)
 * @param {Record<string, number>} vocab
 * @param {{ maxIds?: number, firstIds?: number }} [options]  ids per run with the two pads
 *   (capped at 512); firstIds: the first chunk's (a short first chunk: audio sooner)
 * @returns {Generator<object>}
 */
export function* kokoroChunks(sentences, vocab, { maxIds = KOKORO_MAX_IDS, firstIds = maxIds } = {}) {
  let previous = null;
  for (const chunk of sentenceChunks('phonemes' in sentences ? [sentences] : sentences, vocab, Math.min(maxIds, KOKORO_MAX_IDS), Math.min(firstIds, maxIds, KOKORO_MAX_IDS))) {
    if (previous) yield previous;
    previous = chunk;
  }
  if (previous) yield { ...previous, is_last: true };
}

function* sentenceChunks(sentences, vocab, maxIds, firstIds) {
  let index = 0;
  let first = true;
  for (const { phonemes, words: allWords } of sentences) {
    const counts = new Int32Array(phonemes.length + 1); // ids before each unit
    for (let i = 0; i < phonemes.length; i++) counts[i + 1] = counts[i] + (Object.hasOwn(vocab, phonemes[i]) ? 1 : 0);
    const ranges = cutRanges(phonemes, counts, maxIds, first ? firstIds : maxIds);
    for (const { begin, end, sentenceEnd } of ranges) {
      first = false;
      const part = phonemes.slice(begin, end);
      const words = allWords
        .filter(({ range: [from, to] }) => from < end && to > begin)
        .map(({ range: [from, to], span }) => ({
          text: phonemes.slice(Math.max(from, begin), Math.min(to, end)),
          span: [...span],
          ids: [1 + counts[Math.max(from, begin)] - counts[begin], 1 + counts[Math.min(to, end)] - counts[begin]],
        }));
      const span = words.length ? [Math.min(...words.map((w) => w.span[0])), Math.max(...words.map((w) => w.span[1]))] : [0, 0];
      yield { ids: kokoroIds(part, vocab), phonemes: part, words, marks: [], prosody: NEUTRAL_PROSODY, break_after_ms: 0, span, sentence: index, sentence_end: sentenceEnd, is_last: false, unknown_phonemes: {} };
      if (sentenceEnd) index++;
    }
  }
}

// [begin, end) ranges of the phoneme string, each within its id budget (content = budget - 2).
function cutRanges(phonemes, counts, maxIds, firstIds) {
  const ranges = [];
  let begin = skipSpaces(phonemes, 0);
  while (begin < phonemes.length) {
    const budget = Math.max(1, (ranges.length === 0 ? firstIds : maxIds) - 2);
    let end = phonemes.length;
    let sentenceEnd = true;
    let lastClause = -1;
    let lastSpace = -1;
    for (let i = begin; i < phonemes.length; i++) {
      if (phonemes[i] === ' ' && i > begin) {
        const kind = boundaryKind(phonemes, i);
        if (kind === 'sentence' && counts[i] - counts[begin] <= budget) {
          end = i;
          break;
        }
        if (counts[i] - counts[begin] <= budget) {
          lastSpace = i;
          if (kind === 'clause') lastClause = i;
        }
      }
      if (counts[i + 1] - counts[begin] > budget) {
        sentenceEnd = false;
        end = lastClause > begin ? lastClause : lastSpace > begin ? lastSpace : Math.max(i, begin + 1);
        break;
      }
    }
    ranges.push({ begin, end, sentenceEnd });
    begin = skipSpaces(phonemes, end);
  }
  return ranges;
}

function skipSpaces(phonemes, at) {
  return phonemes[at] === ' ' ? at + 1 : at;
}

// What a space at `at` ends: a sentence (after . ! ? …, closing quotes allowed), a clause, or a word.
function boundaryKind(phonemes, at) {
  let k = at - 1;
  while (k >= 0 && CLOSING.includes(phonemes[k])) k--;
  if (k >= 0 && SENTENCE_END.includes(phonemes[k])) return 'sentence';
  if (k >= 0 && CLAUSE_END.includes(phonemes[k])) return 'clause';
  return 'word';
}
