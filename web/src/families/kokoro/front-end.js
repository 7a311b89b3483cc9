// Kokoro's front end on Voxlet's espeak-ng: the phoneme string of a whole text
// (exactly kokoro-js's), its spoken words with their spans in the text, and the
// chunks a Kokoro model runs — in the shape of the engine's chunks (engine.js), so
// voxlet.js runs, joins and times them as it does every other voice's.
//
//   const espeak = await loadEspeakPhonemizer();                  // web/src/espeak (GPL, optional)
//   const analysis = analyzeKokoro('It costs $3.50.', 'a', (t, v) => espeak.traceIpa(t, v));
//   analysis.phonemes;  // 'ɪt kˈɔsts θɹˈiː dˈɑːlɚz ænd fˈɪfti sˈɛnts.'
//   for (const chunk of kokoroChunks(analysis, vocab, { maxIds: 512 })) model.run(chunk.ids);
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
import { espeakVoiceFor, normalizeTracked, postProcessTracked, trackedPieces } from './text.js';
import { Tracked } from './tracked.js';

/** Kokoro's context: 512 ids per run, i.e. 510 phoneme ids between the two pads. */
export const KOKORO_MAX_IDS = 512;
export const KOKORO_MAX_PHONEME_IDS = KOKORO_MAX_IDS - 2;
const SENTENCE_END = '.!?…';
const CLAUSE_END = ',;:—';
const CLOSING = '"”»)]}';
const NEUTRAL_PROSODY = Object.freeze({ rate: 1, pitch: 1, volume: 1 });

/**
 * @param {string} text
 * @param {'a'|'b'} lang
 * @param {(text: string, voice: string) => string[]} espeak  espeak-ng's IPA trace lines
 *   (EspeakPhonemizer.traceIpa)
 * @returns {{ phonemes: string, words: { range: [number, number], span: [number, number] }[] }}
 *   words: spoken words (phonemes between spaces, not punctuation alone), range in `phonemes`,
 *   span in `text` (UTF-16)
 */
export function analyzeKokoro(text, lang, espeak) {
  const voice = espeakVoiceFor(lang);
  const spoken = []; // spans of spoken words; a phoneme unit's origin is [-1, id + 1]
  const parts = [];
  for (const { tracked, punctuation } of trackedPieces(normalizeTracked(text))) {
    if (punctuation) {
      parts.push(Tracked.uniform(tracked.text, -1, 0));
      continue;
    }
    const ipa = espeak(tracked.text, voice).join(' ');
    const written = Array.from(tracked.text.matchAll(/\S+/g), (m) => tracked.spanOf(m.index, m.index + m[0].length));
    const said = Array.from(ipa.matchAll(/\S+/g));
    const whole = tracked.spanOf(0, tracked.text.length);
    const starts = new Int32Array(ipa.length).fill(-1);
    const ends = new Int32Array(ipa.length).fill(0);
    said.forEach((match, k) => {
      const id = spoken.length;
      spoken.push(written.length === said.length ? written[k] : whole);
      starts.fill(-1, match.index, match.index + match[0].length);
      ends.fill(id + 1, match.index, match.index + match[0].length);
    });
    parts.push(new Tracked(ipa, starts, ends));
  }
  const phonemes = postProcessTracked(Tracked.concat(parts), lang);
  const words = [];
  for (const match of phonemes.text.matchAll(/[^ ]+/g)) {
    let id = -1;
    for (let i = match.index; i < match.index + match[0].length && id < 0; i++) id = phonemes.ends[i] - 1;
    if (id >= 0) words.push({ range: [match.index, match.index + match[0].length], span: [...spoken[id]] });
  }
  return { phonemes: phonemes.text, words };
}

/** Kokoro's ids for a phoneme string: each character's vocab id, characters outside it dropped. */
export function kokoroIds(phonemes, vocab) {
  const ids = [0];
  for (const symbol of phonemes) if (Object.hasOwn(vocab, symbol)) ids.push(vocab[symbol]);
  ids.push(0);
  return ids;
}

/**
 * The chunks of an analysis, engine-shaped: { ids, phonemes, words: [{text, span, ids: [from, to]}],
 * marks, prosody, break_after_ms, span, sentence, sentence_end, is_last }.
 * @param {{ phonemes: string, words: object[] }} analysis  from analyzeKokoro()
 * @param {Record<string, number>} vocab
 * @param {{ maxIds?: number, firstIds?: number, text?: string }} [options]  ids per run with the
 *   two pads (capped at 512); firstIds: the first chunk's (a short first chunk: audio sooner)
 * @returns {Generator<object>}
 */
export function* kokoroChunks(analysis, vocab, { maxIds = KOKORO_MAX_IDS, firstIds = maxIds, text = '' } = {}) {
  const { phonemes } = analysis;
  const counts = new Int32Array(phonemes.length + 1); // ids before each unit
  for (let i = 0; i < phonemes.length; i++) counts[i + 1] = counts[i] + (Object.hasOwn(vocab, phonemes[i]) ? 1 : 0);
  const ranges = cutRanges(phonemes, counts, Math.min(maxIds, KOKORO_MAX_IDS), Math.min(firstIds, maxIds, KOKORO_MAX_IDS));
  let sentence = 0;
  for (let index = 0; index < ranges.length; index++) {
    const { begin, end, sentenceEnd } = ranges[index];
    const part = phonemes.slice(begin, end);
    const ids = kokoroIds(part, vocab);
    const words = analysis.words
      .filter(({ range: [from, to] }) => from < end && to > begin)
      .map(({ range: [from, to], span }) => ({
        text: phonemes.slice(from, to),
        span: [...span],
        ids: [1 + counts[Math.max(from, begin)] - counts[begin], 1 + counts[Math.min(to, end)] - counts[begin]],
      }));
    const span = words.length ? [Math.min(...words.map((w) => w.span[0])), Math.max(...words.map((w) => w.span[1]))] : [0, 0];
    yield { ids, phonemes: part, words, marks: [], prosody: NEUTRAL_PROSODY, break_after_ms: 0, span, sentence, sentence_end: sentenceEnd, is_last: index === ranges.length - 1, unknown_phonemes: {} };
    if (sentenceEnd) sentence++;
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
