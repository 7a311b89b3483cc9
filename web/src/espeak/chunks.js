// The chunk stream for Piper voices (phoneme_type "espeak"): one chunk per
// sentence, as Piper synthesizes them — or shorter, cut at clause ends, then word
// boundaries, when the caller's (the tuned plan's) first/max chunk sizes ask for it —
// phonemized a sentence at a time, in the shape of the engine's chunks
// (engine.js chunks()) so voxlet.js runs, joins and times them the same way.
//
// Words: espeak reads numbers and abbreviations as several words and does not
// say which source word each came from. When a clause has as many written
// words as espeak spoke, they pair up in order; otherwise every spoken word of
// the clause takes the clause's span (its words merge into one timed entry).
// Times come from the model's durations when it has them; stock Piper models
// do not, so they are estimated (word-timings.js flags them `estimated`).
import { VoxletError } from '../errors.js';
import { phonemesToIds } from './ids.js';

const WRITTEN_WORD = /[^\s]+/gu;
/**
 * Ids one model call may take on the espeak path when the config has no
 * voxlet.max_chunk_tokens. Piper runs a whole sentence per call, and so does
 * Voxlet up to this size (about 80 words: every ordinary sentence, so ids stay
 * identical to piper-phonemize); a longer sentence (text without punctuation, a
 * 4,000-letter "word") is cut at a clause end, else a word boundary, else
 * between phonemes, so no single call grows without bound.
 */
export const PIPER_MAX_CHUNK_IDS = 1000;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const NEUTRAL_PROSODY = Object.freeze({ rate: 1, pitch: 1, volume: 1 });

/**
 * @param {import('./phonemizer.js').EspeakPhonemizer} phonemizer
 * @param {object} config  the voice config (phoneme_id_map, espeak.voice, phoneme_map)
 * @returns {(text: string, frontEnd?: {format?: string}) => Generator<object>}
 */
export function espeakChunkSource(phonemizer, config) {
  const voice = config.espeak?.voice || 'en-us';
  const phonemeMap = config.phoneme_map;
  return function* chunks(text, { format = 'auto', first_chunk_ids: firstIds, max_chunk_ids: maxIdsOption } = {}) {
    if (format === 'ssml' || (format === 'auto' && /^\s*<speak[\s>]/.test(text))) {
      throw new VoxletError('INVALID_ARGUMENT', 'SSML is not supported for Piper (espeak) voices yet; pass plain text');
    }
    const maxIds = maxIdsOption ?? config.voxlet?.max_chunk_tokens ?? PIPER_MAX_CHUNK_IDS;
    // Sentences are phonemized one ahead of the chunk being yielded: is_last needs to know
    // whether another follows, and nothing past that is read before it is needed.
    const sentences = phonemizer.sentences(text, { voice, phonemeMap });
    let next = sentences.next();
    for (let index = 0; !next.done; index++) {
      const sentence = next.value;
      next = sentences.next();
      // The first chunk may be shorter than the rest (the plan's first_chunk_ids): first audio sooner.
      const parts = splitSentence(withWords(sentence, text), config, maxIds, index === 0 ? (firstIds ?? maxIds) : maxIds);
      for (let part = 0; part < parts.length; part++) {
        const chunk = sentenceChunk(parts[part], index, next.done && part === parts.length - 1, text, config);
        chunk.sentence_end = part === parts.length - 1;
        yield chunk;
      }
    }
  };
}

function sentenceChunk(sentence, index, isLast, text, config) {
  const { ids, starts, missing } = phonemesToIds(sentence.phonemes, config);
  const eosLength = (config.phoneme_id_map.$ ?? []).length;
  const idAt = (phonemeIndex) => {
    for (let k = phonemeIndex; k < starts.length; k++) if (starts[k] >= 0) return starts[k];
    return ids.length - eosLength;
  };
  const words = (sentence.words ?? withWords(sentence, text).words).map(({ text: word, span, phonemeRange: [from, to] }) => ({ text: word, span, ids: [idAt(from), idAt(to)] }));
  return {
    ids,
    words,
    marks: [],
    prosody: NEUTRAL_PROSODY,
    break_after_ms: 0,
    span: sentence.span,
    sentence: index,
    sentence_end: true,
    is_last: isLast,
    phonemes: sentence.phonemes.join(''),
    unknown_phonemes: Object.fromEntries(missing),
  };
}

/**
 * A sentence whose ids would exceed `maxIds` (its first part: `firstIds`), cut into parts that fit: each part
 * ends at the last clause end that fits, else the last space (word boundary),
 * else the last phoneme that fits. Clauses cut in two keep their span in both
 * parts; words (when the sentence carries them, see withWords) keep their own.
 */
export function splitSentence(sentence, config, maxIds, firstIds = maxIds) {
  const map = config.phoneme_id_map;
  const pad = (config.voxlet?.interspersed_pad ?? true) ? (map._ ?? []).length : 0;
  const overhead = (map['^'] ?? []).length + pad + (map.$ ?? []).length;
  const cost = (phoneme) => (Object.hasOwn(map, phoneme) && map[phoneme] ? map[phoneme].length + pad : 0);
  const { phonemes } = sentence;
  let total = overhead;
  for (const phoneme of phonemes) total += cost(phoneme);
  if (total <= Math.min(maxIds, firstIds)) return [sentence];
  // A clause ends where the next begins: after its punctuation and space.
  const clauseEnds = new Set(sentence.clauses.slice(1).map((clause) => clause.phonemeRange[0]));
  const parts = [];
  let begin = 0;
  while (begin < phonemes.length) {
    const budget = Math.max(1, (parts.length === 0 ? firstIds : maxIds) - overhead);
    let used = 0;
    let end = begin;
    let lastClause = -1;
    let lastSpace = -1;
    while (end < phonemes.length && (end === begin || used + cost(phonemes[end]) <= budget)) {
      used += cost(phonemes[end]);
      end++;
      if (clauseEnds.has(end)) lastClause = end;
      if (phonemes[end - 1] === ' ') lastSpace = end;
    }
    if (end < phonemes.length) {
      if (lastClause > begin) end = lastClause;
      else if (lastSpace > begin) end = lastSpace;
    }
    parts.push(sentencePart(sentence, begin, end));
    begin = end;
  }
  return parts;
}

// The phonemes [begin, end) of a sentence, with the clauses that overlap them.
function sentencePart(sentence, begin, end) {
  const clauses = sentence.clauses
    .filter(({ phonemeRange: [from, to] }) => from < end && to > begin)
    .map((clause) => ({ ...clause, phonemeRange: [Math.max(clause.phonemeRange[0], begin) - begin, Math.min(clause.phonemeRange[1], end) - begin] }));
  const span = clauses.length ? [clauses[0].span[0], clauses.at(-1).span[1]] : [...sentence.span];
  // Words keep their own text and span in the part that holds them (a word cut between
  // phonemes, longer than a whole chunk, is in both parts).
  const words = sentence.words
    ?.filter(({ phonemeRange: [from, to] }) => from < end && to > begin)
    .map((word) => ({ ...word, phonemeRange: [Math.max(word.phonemeRange[0], begin) - begin, Math.min(word.phonemeRange[1], end) - begin] }));
  return { ...sentence, phonemes: sentence.phonemes.slice(begin, end), span, clauses, ...(words ? { words } : {}) };
}

/** The sentence with its spoken words: { text, span (in the source), phonemeRange }, paired per clause. */
function withWords(sentence, text) {
  return { ...sentence, words: sentence.clauses.flatMap((clause) => clauseWords(clause, sentence.phonemes, text)) };
}

// Spoken words of a clause (phonemes between spaces) with their phoneme ranges and source spans.
function clauseWords(clause, phonemes, text) {
  const [from, to] = clause.phonemeRange;
  const spoken = [];
  let start = from;
  for (let k = from; k <= to; k++) {
    if (k === to || phonemes[k] === ' ') {
      if (k > start) spoken.push({ ipa: phonemes.slice(start, k).join(''), phonemeRange: [start, k] });
      start = k + 1;
    }
  }
  const written = [...text.slice(clause.span[0], clause.span[1]).matchAll(WRITTEN_WORD)]
    .map((match) => trimPunctuation(match[0], clause.span[0] + match.index))
    .filter((word) => HAS_LETTER_OR_DIGIT.test(word.text));
  const paired = written.length === spoken.length;
  return spoken.map((word, k) => ({
    text: paired ? written[k].text : word.ipa,
    span: paired ? written[k].span : [...clause.span],
    phonemeRange: word.phonemeRange,
  }));
}

// "(word)," -> "word" with its offsets.
function trimPunctuation(token, offset) {
  const lead = token.match(/^[^\p{L}\p{N}]*/u)[0].length;
  const core = token.slice(lead).replace(/[^\p{L}\p{N}]+$/u, '');
  return { text: core, span: [offset + lead, offset + lead + core.length] };
}
