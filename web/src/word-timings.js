// Word and mark times from a model's per-id durations.
//
// A model that reports durations (in frames, one per phoneme id) gives exact
// boundaries: the hop (samples per frame) is the chunk's sample count divided by
// its total frames, so rounding inside the model cannot drift the words off the
// audio. A model without durations (e.g. stock Piper exports) gets each id an
// equal share of the chunk's audio: times proportional to the words' phoneme id
// counts, flagged `estimated: true`.

/** The latest time among timed words and marks (0 when there are none). */
export function lastTime({ words, marks }) {
  return Math.max(0, ...words.map((word) => word.end), ...marks.map((mark) => mark.time));
}

/**
 * Sample position of every id boundary in a chunk.
 * @param {number} idCount  phoneme ids fed to the model
 * @param {number} samples  audio samples the model returned for them
 * @param {ArrayLike<number>|null} durations  frames per id, or null
 * @returns {{ boundaries: Float64Array, estimated: boolean }}  boundaries has idCount + 1 entries
 */
export function idBoundaries(idCount, samples, durations) {
  const measured = usableDurations(durations, idCount);
  const frames = measured ?? new Float64Array(idCount).fill(1);
  const total = frames.reduce((sum, value) => sum + value, 0);
  const hop = total > 0 ? samples / total : 0;
  const boundaries = new Float64Array(idCount + 1);
  for (let i = 0; i < idCount; i++) boundaries[i + 1] = boundaries[i] + frames[i] * hop;
  return { boundaries, estimated: measured === null };
}

// Durations are usable when there is one finite, non-negative value per id and
// they are not all zero; anything else means the output is not per-id frames.
function usableDurations(durations, idCount) {
  if (!durations || durations.length !== idCount) return null;
  const frames = Float64Array.from(durations, Number);
  const valid = frames.every((value) => Number.isFinite(value) && value >= 0);
  return valid && frames.some((value) => value > 0) ? frames : null;
}

/**
 * Engine words that share one source span (a written token spoken as several
 * words, e.g. "$3.50" → "three dollars and fifty cents") become one entry.
 * @param {{text: string, span: [number, number], ids: [number, number]}[]} words
 */
export function mergeSharedSpans(words) {
  const merged = [];
  for (const word of words) {
    const last = merged.at(-1);
    if (last && last.span[0] === word.span[0] && last.span[1] === word.span[1]) {
      last.ids = [last.ids[0], word.ids[1]];
      last.spoken += ` ${word.text}`;
    } else {
      merged.push({ span: [...word.span], ids: [...word.ids], spoken: word.text });
    }
  }
  return merged;
}

/**
 * Timed words and marks of one chunk, in seconds from the start of the utterance.
 *
 * The chunk's id boundaries are sample positions in the model's audio (voice
 * rate); the assembler says where that audio landed in the output: input
 * sample k plays at output sample origin + k * outputRate / voiceRate. Ids
 * in audio the assembler trimmed away as silence have no place in the output:
 * their times are clamped into [startSeconds, endSeconds]: callers pass the
 * previous chunk's last time and the end of the chunk's kept audio, so times
 * never go backwards or past the audio.
 * @param {object} chunk  an engine chunk (words, marks, ids)
 * @param {object} timing
 * @param {Float64Array} timing.boundaries  from idBoundaries(), in voice-rate samples
 * @param {boolean} timing.estimated
 * @param {number} timing.origin  output position of the chunk's audio sample 0 (assembler push())
 * @param {number} timing.voiceRate  Hz of the model's audio
 * @param {number} timing.outputRate  Hz of the utterance's audio (default voiceRate)
 * @param {number} [timing.startSeconds=0]  no time earlier (e.g. the previous chunk's last)
 * @param {number} [timing.endSeconds=Infinity]  no time later (the end of the chunk's kept audio)
 * @param {string} timing.sourceText  the input the spans index
 * Without resampling, { offsetSamples, sampleRate } may stand for { origin, voiceRate }.
 */
export function timeChunk(chunk, timing) {
  const { boundaries, estimated, sourceText, startSeconds = 0, endSeconds = Infinity } = timing;
  const origin = timing.origin ?? timing.offsetSamples;
  const voiceRate = timing.voiceRate ?? timing.sampleRate;
  const outputRate = timing.outputRate ?? voiceRate;
  const scale = outputRate / voiceRate;
  const last = boundaries.length - 1;
  const seconds = (id) => {
    const position = origin + boundaries[Math.max(0, Math.min(id, last))] * scale;
    return Math.max(startSeconds, Math.min(endSeconds, position / outputRate)); // monotonic first
  };
  const words = mergeSharedSpans(chunk.words).map(({ span, ids, spoken }) => ({
    text: sourceText.slice(span[0], span[1]),
    spoken,
    charStart: span[0],
    charEnd: span[1],
    start: seconds(ids[0]),
    end: seconds(ids[1]),
    ...(estimated ? { estimated: true } : {}),
  }));
  const marks = chunk.marks.map(({ name, id }) => ({ name, time: seconds(id) }));
  return { words, marks };
}
