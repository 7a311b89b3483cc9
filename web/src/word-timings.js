// Word and mark times from a model's per-id durations.
//
// A model that reports durations (in frames, one per phoneme id) gives exact
// boundaries: the hop (samples per frame) is the chunk's sample count divided by
// its total frames, so rounding inside the model cannot drift the words off the
// audio. A model without durations (e.g. stock Piper exports) gets each id an
// equal share of the chunk's audio: times proportional to the words' phoneme id
// counts, flagged `estimated: true`.

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
 * @param {object} chunk  an engine chunk (words, marks, ids)
 * @param {object} timing
 * @param {Float64Array} timing.boundaries  from idBoundaries()
 * @param {boolean} timing.estimated
 * @param {number} timing.offsetSamples  where the chunk's audio starts in the utterance
 * @param {number} timing.sampleRate
 * @param {string} timing.sourceText  the input the spans index
 */
export function timeChunk(chunk, { boundaries, estimated, offsetSamples, sampleRate, sourceText }) {
  const last = boundaries.length - 1;
  const seconds = (id) => (offsetSamples + boundaries[Math.max(0, Math.min(id, last))]) / sampleRate;
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
