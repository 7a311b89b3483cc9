// Time per stage of one synthesis, for benchmarks (Node's `voxlet bench`, the demo's benchmark
// page): normalize, phonemize, inference, post-processing. One pass outside Voxlet's pipeline,
// because inside it the stages interleave per chunk (and, on a page, run in a Worker).
import { createAssembler } from './audio-assembly.js';
import { round } from './bench-stats.js';
import { Engine } from './engine.js';
import { VoiceModel, checkModelInterface, createSession, importOrt, makeScales } from './inference.js';
import { loadVoiceSource } from './voice-loader.js';

/**
 * @param {{voice: string|URL, text: string, precision?: string, firstChunkIds?: number, maxChunkIds?: number, ortUrls?: object}} job
 * @returns {Promise<{normalize: number, phonemize: number, inference: number, post_processing: number, note: string}>} ms
 */
export async function stageTimes(job) {
  const ort = await importOrt('wasm', job.ortUrls); // the context's ORT instance, threads as already set
  const engine = await Engine.load();
  const loaded = await loadVoiceSource(job.voice, { precision: job.precision ?? 'auto' });
  engine.loadVoice(loaded.configText);
  const session = await createSession(ort, loaded.model, { backend: 'wasm', name: loaded.modelName });
  const model = new VoiceModel(ort, session, checkModelInterface(session, loaded.config, loaded.modelName));
  const frontEnd = job.firstChunkIds ? { first_chunk_ids: job.firstChunkIds, max_chunk_ids: job.maxChunkIds } : {};
  try {
    return await timeStages(engine, model, loaded.config, job.text, frontEnd);
  } finally {
    await model.release();
    engine.dispose();
  }
}

// The engine's front end (normalize, then the rest: phonemize and chunking), the model runs, the
// engine's post-processing (audio pipeline), each timed on its own.
async function timeStages(engine, model, config, text, frontEnd) {
  engine.normalize(text); // once untimed: the first call pays for the engine's own warm-up
  let t = performance.now();
  engine.normalize(text);
  const normalize = performance.now() - t;
  const rate = config.audio.sample_rate;
  const assembler = createAssembler(engine, { voiceRate: rate, outputRate: rate, normalize: true, gain: 1 });
  const scales = makeScales(config, {});
  let front = 0;
  let inference = 0;
  let post = 0;
  const chunks = engine.chunks(text, frontEnd);
  for (;;) {
    t = performance.now();
    const { value: chunk, done } = chunks.next();
    front += performance.now() - t;
    if (done) break;
    t = performance.now();
    const { audio } = chunk.ids.length ? await model.run(chunk.ids, { scales, sid: 0 }) : { audio: new Float32Array(0) };
    inference += performance.now() - t;
    t = performance.now();
    assembler.push(audio, { pauseAfterMs: chunk.break_after_ms, isLast: chunk.is_last });
    post += performance.now() - t;
  }
  return {
    normalize: round(normalize, 2),
    phonemize: round(Math.max(0, front - normalize), 2),
    inference: round(inference),
    post_processing: round(post, 2),
    note: 'phonemize = the front end (normalize + phonemize + chunking, run lazily per chunk) minus a separate normalize() of the text',
  };
}
