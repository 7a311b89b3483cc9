// Joins chunk audio into one utterance. SEAM: this minimal JS version only
// applies the chunk's gain and appends the pause that follows it. The engine's
// C++ joiner (silence trimming at joins, short crossfades, loudness
// normalization, resampling) replaces the body of push(); callers depend only
// on createAssembler(sampleRate) -> { push(chunkAudio, options) -> Float32Array }.
//
// Contract the callers rely on: concatenating every push() result gives the
// utterance; a chunk's speech starts where the previous results end. (When the
// engine joiner trims or crossfades, it must report that offset instead.)

/**
 * @param {number} sampleRate  Hz
 * @returns {{ push(chunkAudio: Float32Array, options?: { pauseAfterMs?: number, gain?: number, isLast?: boolean }): Float32Array }}
 */
export function createAssembler(sampleRate) {
  return {
    push(chunkAudio, { pauseAfterMs = 0, gain = 1, isLast = false } = {}) {
      void isLast; // the engine joiner flushes its crossfade tail on the last chunk
      const pauseSamples = Math.round((Math.max(0, pauseAfterMs) * sampleRate) / 1000);
      const out = new Float32Array(chunkAudio.length + pauseSamples); // zero-filled: the pause
      if (gain === 1) out.set(chunkAudio);
      else for (let i = 0; i < chunkAudio.length; i++) out[i] = chunkAudio[i] * gain;
      return out;
    },
  };
}

/** Concatenates Float32Arrays into one. */
export function concatAudio(parts) {
  const out = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
