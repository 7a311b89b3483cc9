// Joins chunk audio into one utterance with the engine's C++ post-processing
// (audio_pipeline.h): silence trimmed at joins, short crossfades, DC removal,
// per-chunk gain ramps, exact pauses, pitch shifting that keeps duration,
// resampling to the output rate and peak normalization to [-3, -1] dBFS. This module only adapts the engine's
// pipeline to what the runtime calls per chunk.
//
// Contract the callers rely on: concatenating every push() result gives the
// utterance at outputRate. Trimming and crossfades move a chunk's audio, so
// push() also returns `origin`: the output position (samples since the
// utterance start) of the chunk's input sample 0; input sample k plays at
// origin + k * outputRate / voiceRate (see timeChunk in word-timings.js), and
// `end`, the position just past the chunk's kept audio.

/**
 * @param {import('./engine.js').Engine} engine  holds one pipeline at a time: a new assembler
 *   on the same engine retires the previous one
 * @param {{voiceRate: number, outputRate?: number, normalize?: boolean, gain?: number, pitch?: number}} options
 *   Hz of the model's audio and of the output (default voiceRate); normalize the peak
 *   (default true); linear gain after normalization (default 1); pitch factor of every
 *   chunk (default 1; times each push's pitch, clamped to [0.5, 2], duration kept)
 * @returns {{ outputRate: number, push(chunkAudio: Float32Array, options?: { pauseAfterMs?: number, gain?: number, pitch?: number, isLast?: boolean }): {audio: Float32Array, origin: number, end: number}, reset(): void }}
 */
export function createAssembler(engine, { voiceRate, outputRate = voiceRate, normalize = true, gain = 1, pitch = 1 }) {
  const pipeline = engine.createAudioPipeline({ voiceRate, outputRate, normalize, gain, pitch });
  return {
    outputRate: pipeline.outputRate,
    push(chunkAudio, { pauseAfterMs = 0, gain: chunkGain = 1, pitch: chunkPitch = 1, isLast = false } = {}) {
      return pipeline.push(chunkAudio, { pauseAfterMs, gain: chunkGain, pitch: chunkPitch, isLast });
    },
    reset() {
      pipeline.reset();
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

/**
 * Collects a stream() into one result: the utterance's audio, words and marks.
 * @param {AsyncIterable<{audio: Float32Array, sampleRate: number, words: object[], marks: object[]}>} chunks
 * @param {number} sampleRate  the rate to report when the stream yields no chunk
 */
export async function collectChunks(chunks, sampleRate) {
  const parts = [];
  const words = [];
  const marks = [];
  for await (const chunk of chunks) {
    parts.push(chunk.audio);
    words.push(...chunk.words);
    marks.push(...chunk.marks);
    sampleRate = chunk.sampleRate;
  }
  return { audio: concatAudio(parts), sampleRate, words, marks };
}
