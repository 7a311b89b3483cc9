// The chunk stream for Piper voices (phoneme_type "espeak"): one chunk per
// sentence, as Piper synthesizes them, in the shape of the engine's chunks
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
  return function* chunks(text, { format = 'auto' } = {}) {
    if (format === 'ssml' || (format === 'auto' && /^\s*<speak[\s>]/.test(text))) {
      throw new VoxletError('INVALID_ARGUMENT', 'SSML is not supported for Piper (espeak) voices yet; pass plain text');
    }
    const { sentences } = phonemizer.phonemize(text, { voice, phonemeMap });
    for (let index = 0; index < sentences.length; index++) {
      yield sentenceChunk(sentences[index], index, index === sentences.length - 1, text, config);
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
  const words = sentence.clauses.flatMap((clause) => clauseWords(clause, sentence.phonemes, text, idAt));
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

// Spoken words of a clause (phonemes between spaces) with their id ranges and source spans.
function clauseWords(clause, phonemes, text, idAt) {
  const [from, to] = clause.phonemeRange;
  const spoken = [];
  let start = from;
  for (let k = from; k <= to; k++) {
    if (k === to || phonemes[k] === ' ') {
      if (k > start) spoken.push({ ipa: phonemes.slice(start, k).join(''), ids: [idAt(start), idAt(k)] });
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
    ids: word.ids,
  }));
}

// "(word)," -> "word" with its offsets.
function trimPunctuation(token, offset) {
  const lead = token.match(/^[^\p{L}\p{N}]*/u)[0].length;
  const core = token.slice(lead).replace(/[^\p{L}\p{N}]+$/u, '');
  return { text: core, span: [offset + lead, offset + lead + core.length] };
}
