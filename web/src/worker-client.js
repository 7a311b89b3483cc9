// The page-side Voxlet when the work runs in a Worker (the default in
// browsers): the same API as Voxlet, each call a message to voxlet-worker.js.
// The page thread never runs the engine or ONNX Runtime, so synthesis cannot
// make it janky; audio arrives as transferred buffers.
import { collectChunks } from './audio-assembly.js';
import { VoxletError } from './errors.js';
import { Turns } from './turns.js';
import { MAX_WAV_SAMPLES, checkOptionValues } from './voxlet.js';
import { speakOn } from './utterance.js';
import { errorFromMessage } from './worker/protocol.js';
import { startVoxletWorker } from './worker/port.js';
import { isNode } from './capabilities.js';
import { toUrl } from './voice-loader.js';
import { importNodeBuiltin } from './node-builtins.js';

const CHUNKS_AHEAD = 2; // chunks the worker may synthesize before the reader takes them
// Options that are functions or live objects cannot cross into a Worker.
const PAGE_ONLY_OPTIONS = ['engine', 'ort', 'readBytes', 'onInference'];

export class WorkerVoxlet {
  #worker;
  #nextId = 1;
  #pending = new Map(); // id -> { resolve, reject, onProgress }
  #streams = new Map(); // id -> inbox of chunk/end/error messages
  #speech = { queue: Promise.resolve() };
  #failure = null;
  #voice = null;
  #fallbacks = []; // the worker's, as of its last message
  #restarts = []; // workers started here after one died (#revive): they come before the current worker's steps
  #plan = null;
  #createOptions; // kept: a plan with another backend/thread count starts a new worker with them
  #source = null; // the loaded voice's source, loaded again in that worker
  // The same turn rule as Voxlet (turns.js), kept here: the page knows when a stream's consumer
  // stopped pulling, and a pre-empted stream is cancelled in the worker, which then moves on.
  #turns = new Turns();
  #reviving = null; // the new worker being started after this one died (#alive)
  #lifeLock; // the Web Lock the worker holds while it lives (#watchExit)

  constructor(worker, createOptions = {}) {
    this.#createOptions = createOptions;
    this.#attach(worker);
  }

  #attach(worker) {
    this.#worker = worker;
    worker.onmessage = (event) => this.#receive(event.data);
    // Only the current worker's end matters: one replaced by a plan's (#restartWith) is ended on purpose.
    const failed = (message) => this.#worker === worker && this.#die(new VoxletError('WORKER_FAILED', `${message}; the next call starts a new worker`));
    worker.onerror = (event) => failed(`The Voxlet worker failed: ${event.message ?? 'script error'}`);
    worker.onmessageerror = () => failed('A message from the Voxlet worker could not be read');
  }

  /** Starts the worker and, in it, the engine and ONNX Runtime (see Voxlet.create). */
  static async create(options = {}) {
    const misplaced = PAGE_ONLY_OPTIONS.filter((name) => options[name] !== undefined && !(name === 'engine' && isPlainObject(options.engine)));
    if (misplaced.length) {
      throw new VoxletError('INVALID_ARGUMENT', `Option ${misplaced.join(', ')} cannot be passed into a Worker; use Voxlet.create({ worker: false, ... }) for it`);
    }
    const { onProgress, workerUrl, ...rest } = options;
    const workerOptions = {
      ...rest,
      engine: rest.engine && { ...rest.engine, base: pageRelative(rest.engine.base, true), lexiconUrl: pageRelative(rest.engine.lexiconUrl) },
      ortUrls: { ...resolveOrtUrls(), ...mapValues(rest.ortUrls ?? {}, (url) => pageRelative(url)) },
      espeakUrl: pageRelative(rest.espeakUrl),
      espeakDataUrl: pageRelative(rest.espeakDataUrl, true),
    };
    const worker = await startVoxletWorker(pageRelative(workerUrl));
    const tts = new WorkerVoxlet(worker, { ...rest, workerUrl });
    onProgress?.({ stage: 'engine', loaded: 0, total: 1 });
    try {
      const lifeLock = globalThis.navigator?.locks ? `voxlet-worker-${Math.random().toString(36).slice(2)}-${Date.now()}` : undefined;
      const info = await tts.#request({ type: 'create', options: { ...workerOptions, lifeLock } });
      Object.assign(tts, info);
      tts.#lifeLock = lifeLock;
      tts.#watchExit(worker);
    } catch (error) {
      tts.#worker.terminate();
      throw error;
    }
    onProgress?.({ stage: 'engine', loaded: 1, total: 1 });
    return tts;
  }

  // Granted the worker's life lock when the worker has ended (voxlet-worker.js holdUntilExit).
  #watchExit(worker) {
    if (!this.#lifeLock) return;
    globalThis.navigator.locks.request(this.#lifeLock, () => {
      if (this.#worker === worker) this.#die(new VoxletError('WORKER_FAILED', 'The Voxlet worker stopped (terminated, crashed or out of memory); the next call starts a new worker'));
    });
  }

  // After the worker died, the next call starts a new one with the same options, backend and
  // threads, reloads the voice and re-applies the plan; what was in flight failed with
  // WORKER_FAILED. The step is listed in `fallbacks`. A disposed Voxlet stays disposed.
  async #alive() {
    if (!this.#failure) return;
    if (this.#failure.code !== 'WORKER_FAILED') throw this.#failure;
    this.#reviving ??= this.#revive().finally(() => (this.#reviving = null));
    await this.#reviving;
  }

  async #revive() {
    const failure = this.#failure;
    const next = await WorkerVoxlet.create({ ...this.#createOptions, backend: this.backend, threads: this.threads });
    try {
      if (this.#voice) await next.loadVoice(this.#source, { precision: this.#voice.precision, fallback: true });
      if (this.#plan) await next.applyPlan(this.#plan);
    } catch (error) {
      await next.dispose();
      throw error;
    }
    if (this.#failure !== failure) return void (await next.dispose()); // disposed meanwhile
    this.#adopt(next);
    this.#failure = null;
    this.#restarts.push({ stage: 'worker', from: 'worker', to: 'new worker', code: failure.code, message: failure.message });
    this.#fallbacks = [];
  }

  /** See Voxlet.loadVoice. Relative URLs resolve against the page, as a user expects. */
  async loadVoice(source, { onProgress, ...options } = {}) {
    const portable = portableSource(source);
    const info = await this.#exclusiveRequest('loadVoice()', { type: 'loadVoice', source: portable, options: { ...options, progress: Boolean(onProgress) } }, [], onProgress);
    this.#voice = info;
    this.#plan = null;
    this.#source = portable;
    return info;
  }

  /**
   * See Voxlet.createTuned: the plan comes first (detect() in the worker, the voice's config
   * only), then a worker with the plan's backend/threads loads the voice in the plan's precision
   * once; calibration (measure) reuses the same profile, so it changes at most the precision.
   */
  static async createTuned({ voice, measure, overrides, cache, profile, budgetMs, ...createOptions } = {}) {
    // The first worker starts with the tree's count before any measurement (threads.half-cores);
    // it is kept when the plan agrees, else replaced before any model is loaded.
    let tts = await WorkerVoxlet.create({ threads: await halfCores(), ...createOptions });
    try {
      const planned = await tts.planFor(voice, { profile, overrides });
      if (planned.plan.backend !== tts.backend || planned.plan.threads !== tts.threads) {
        const next = await WorkerVoxlet.create({ ...createOptions, backend: planned.plan.backend, threads: planned.plan.threads });
        await tts.dispose();
        tts = next;
      }
      await tts.loadVoice(voice, { precision: planned.plan.precision, fallback: true }); // a faulty variant hands over
      await tts.tune({ measure, overrides, cache, profile: planned.profile, budgetMs });
      return tts;
    } catch (error) {
      await tts.dispose();
      throw error;
    }
  }

  /** See Voxlet.planFor (runs in the worker: detect() measures where synthesis will run). */
  async planFor(voice, options = {}) {
    await this.#alive();
    return this.#request({ type: 'planFor', source: portableSource(voice), options });
  }

  /**
   * See Voxlet.tune: detect() and the calibration run in the worker, where synthesis runs. The
   * whole plan applies: a backend or thread count other than the worker's starts a new worker
   * (a new ONNX Runtime instance) with the voice loaded in the plan's precision.
   */
  async tune(options = {}) {
    const turn = await this.#acquire('tune()');
    try {
      const { plan, voice } = await this.#request({ type: 'tune', options: { ...options, deferIfRestart: true } });
      [this.#plan, this.#voice] = [plan, voice];
      if (!plan.pending) return plan;
      const applied = await this.#applyPlan(plan);
      return { ...applied, measured: plan.measured, timingsMs: { ...plan.timingsMs, ...applied.timingsMs } };
    } finally {
      turn.release();
    }
  }

  /**
   * Applies a plan (from tune() or engine.tune()): backend, threads, precision, chunk sizes,
   * warm-up. Call it between syntheses: a new worker replaces this one when backend/threads change.
   */
  async applyPlan(plan) {
    const turn = await this.#acquire('applyPlan()');
    try {
      return await this.#applyPlan(plan);
    } finally {
      turn.release();
    }
  }

  async #applyPlan(plan) {
    if (plan.backend !== this.backend || plan.threads !== this.threads) await this.#restartWith(plan);
    const { plan: applied, voice } = await this.#request({ type: 'applyPlan', plan });
    [this.#plan, this.#voice] = [applied, voice];
    return applied;
  }

  // A new worker with the plan's backend/threads and the voice in its precision; then the old
  // worker is released. Its ORT instance (and its threads) go with it.
  async #restartWith(plan) {
    if (!this.#voice) throw new VoxletError('FAILED_PRECONDITION', 'No voice loaded; call loadVoice() first');
    const next = await WorkerVoxlet.create({ ...this.#createOptions, backend: plan.backend, threads: plan.threads });
    try {
      await next.loadVoice(this.#source, { precision: plan.precision, fallback: true }); // applyPlan then says if it was not the plan's
    } catch (error) {
      await next.dispose();
      throw error;
    }
    const old = this.#worker;
    await this.#request({ type: 'dispose' }).catch(() => {});
    old.terminate();
    this.#adopt(next);
  }

  // Takes over another WorkerVoxlet's worker (a new one for a plan, or after a crash); `next`
  // is dropped without ending it.
  #adopt(next) {
    this.#attach(next.#worker);
    next.#worker = null; // its exit watch now ignores this worker; ours takes over
    this.#nextId = next.#nextId;
    this.#lifeLock = next.#lifeLock;
    this.#watchExit(this.#worker);
    Object.assign(this, { backend: next.backend, threads: next.threads, engineVariant: next.engineVariant, backendWarning: next.backendWarning, isolationNote: next.isolationNote });
  }

  /** See Voxlet.memoryUsage: the worker's ONNX Runtime. */
  async memoryUsage() {
    await this.#alive();
    return this.#request({ type: 'memoryUsage' });
  }

  /** See Voxlet.plan. */
  get plan() {
    return this.#plan;
  }

  get voice() {
    return this.#voice;
  }

  /** See Voxlet.fallbacks: run faults recovered in the worker, as of the last chunk received. */
  get fallbacks() {
    return [...this.#restarts, ...this.#fallbacks];
  }

  async synthesize(text, options = {}) {
    return collectChunks(this.#stream('synthesize()', text, options, false), options?.sampleRate ?? this.#voice?.sampleRate);
  }

  /** See Voxlet.stream (the same turn rule); breaking out of the loop cancels in the worker too. */
  stream(text, options = {}) {
    return this.#stream('stream()', text, options, true);
  }

  async *#stream(name, text, options, preemptible) {
    checkCall(name, text, options);
    await this.#alive();
    const { signal, ...portable } = options; // a signal does not cross: it is watched here
    const id = this.#nextId++;
    const cancel = () => {
      this.#streams.delete(id);
      if (!this.#failure) this.#worker.postMessage({ type: 'cancel', id });
    };
    const turn = await this.#turns.acquire(name, { signal, preemptible, onPreempt: cancel });
    const inbox = new Inbox();
    this.#streams.set(id, inbox);
    let finished = false;
    try {
      this.#throwIfDead();
      this.#worker.postMessage({ type: 'stream', id, text, options: portable, ahead: CHUNKS_AHEAD });
      for (;;) {
        const message = await inbox.take();
        turn.check();
        if (message.type === 'end') return void (finished = true);
        if (message.type === 'error') {
          finished = true;
          throw errorFromMessage(message.error);
        }
        this.#worker.postMessage({ type: 'credit', id });
        this.backend = message.backend ?? this.backend;
        this.#fallbacks = message.fallbacks ?? this.#fallbacks;
        turn.suspend();
        yield message.chunk;
        turn.check();
      }
    } finally {
      if (!finished && this.#streams.has(id)) cancel();
      this.#streams.delete(id);
      turn.release();
    }
  }

  /** See Voxlet.speak. */
  speak(text, options = {}) {
    return speakOn(this, this.#speech, text, options);
  }

  /** 16-bit WAV bytes of a result (or of samples + rate), encoded by the engine in the worker. */
  async toWav(audioOrResult, sampleRate) {
    const { audio, rate } = audioOrResult instanceof Float32Array ? { audio: audioOrResult, rate: sampleRate } : { audio: audioOrResult?.audio, rate: sampleRate ?? audioOrResult?.sampleRate };
    if (!(audio instanceof Float32Array)) throw new VoxletError('INVALID_ARGUMENT', 'toWav() needs a Float32Array or a synthesize() result');
    if (audio.length > MAX_WAV_SAMPLES) throw new VoxletError('LIMIT_EXCEEDED', `toWav() encodes at most ${MAX_WAV_SAMPLES} samples, got ${audio.length}; write the chunks of stream() to a file as they come, or use a lower sampleRate`);
    await this.#alive();
    return this.#request({ type: 'toWav', audio, sampleRate: rate }); // copied (the caller keeps its audio)
  }

  /** Releases the model and the engine, and ends the worker. */
  async dispose() {
    const disposed = new VoxletError('DISPOSED', 'This Voxlet was disposed; create another with Voxlet.create()');
    this.#turns.close(disposed); // waiting calls fail now; the worker ends the running one
    if (!this.#failure) await this.#request({ type: 'dispose' }).catch(() => {});
    await this.#speech.playerHandle?.context?.close().catch(() => {});
    this.#worker.terminate();
    this.#die(disposed);
  }

  async #acquire(name) {
    await this.#alive();
    return this.#turns.acquire(name);
  }

  // A request that changes what the worker synthesizes with: it takes its turn (turns.js).
  async #exclusiveRequest(name, message, transfer, onProgress) {
    const turn = await this.#acquire(name);
    try {
      return await this.#request(message, transfer, onProgress);
    } finally {
      turn.release();
    }
  }

  #request(message, transfer = [], onProgress) {
    this.#throwIfDead();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
      this.#worker.postMessage({ ...message, id }, transfer);
    });
  }

  #receive(message) {
    const inbox = this.#streams.get(message.id);
    if (inbox) return inbox.put(message);
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') return pending.onProgress?.(message.progress);
    this.#pending.delete(message.id);
    if (message.type === 'result') pending.resolve(message.value);
    else pending.reject(errorFromMessage(message.error));
  }

  // A dead worker fails everything in flight with the reason, and every later call.
  #die(error) {
    this.#failure ??= error;
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
    for (const inbox of this.#streams.values()) inbox.put({ type: 'error', error: { code: error.code, message: error.message } });
  }

  #throwIfDead() {
    if (this.#failure) throw this.#failure;
  }
}

// The page's import map (or bundler) decides where ORT lives; a module Worker
// has no import map, so the page resolves the URLs and hands them over.
function resolveOrtUrls() {
  if (isNode()) return {}; // a worker thread imports ORT's Node build by name (Node's resolution knows it)
  const resolve = (specifier) => {
    try {
      return import.meta.resolve(specifier);
    } catch {
      return undefined; // no import map: the worker imports the bare specifier (bundlers rewrite it)
    }
  };
  return { wasm: resolve('onnxruntime-web/wasm') ?? resolve('onnxruntime-web'), webgpu: resolve('onnxruntime-web/webgpu') };
}

// URLs a caller gives are relative to the page, as a user expects; inside the
// Worker a bare relative import would resolve against the importing module.
// No espeakUrl/espeakDataUrl: the worker's espeak modules find the packages next
// to themselves (import.meta.url), exactly as on the page: the defaults stay in one place.
// A URL object cannot be cloned into a Worker: it travels as its href.
function pageRelative(url, isFolder = false) {
  if (url === undefined || url === null) return undefined;
  const text = isFolder && !String(url).endsWith('/') ? `${url}/` : String(url);
  if (isNode()) return toUrl(text).href; // a worker thread: paths are relative to the working directory
  return new URL(text, globalThis.document?.baseURI ?? globalThis.location?.href).href;
}

function mapValues(object, map) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, map(value)]));
}

function portableSource(source) {
  if (typeof source === 'string' || source instanceof URL) return pageRelative(source);
  return isPlainObject(source) ? portableFields(source) : source;
}

// A model family's object source ({ config, model, voices }: web/src/families/) may name its
// files by URL or path: those resolve against the page too (JSON text, bytes and Blobs pass as they are).
function portableFields(source) {
  const path = (value) => ((typeof value === 'string' && !value.trimStart().startsWith('{')) || value instanceof URL ? pageRelative(value) : value);
  const out = { ...source };
  for (const key of ['config', 'model']) if (key in out) out[key] = path(out[key]);
  if (typeof out.voices === 'string' || out.voices instanceof URL) out.voices = path(out.voices);
  else if (isPlainObject(out.voices)) out.voices = mapValues(out.voices, path);
  return out;
}

async function halfCores() {
  if (!isNode() && globalThis.crossOriginIsolated !== true) return 1; // no threads without isolation
  const cores = globalThis.navigator?.hardwareConcurrency ?? (isNode() ? (await importNodeBuiltin('os')).availableParallelism() : 1);
  return Math.max(1, Math.min(4, Math.ceil(cores / 2)));
}

// The checks that need no voice, made on the page so a bad call fails before any message.
function checkCall(name, text, options) {
  if (typeof text !== 'string') {
    throw new VoxletError('INVALID_ARGUMENT', `${name} needs the text as a string (plain text or SSML), got ${text === null ? 'null' : typeof text}`);
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new VoxletError('INVALID_ARGUMENT', `${name} takes its options as an object, got ${options === null ? 'null' : typeof options}`);
  }
  checkOptionValues(options);
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

// Messages of one stream, taken in order by one reader.
class Inbox {
  #messages = [];
  #waiting = null;

  put(message) {
    if (this.#waiting) {
      this.#waiting(message);
      this.#waiting = null;
    } else {
      this.#messages.push(message);
    }
  }

  take() {
    if (this.#messages.length) return Promise.resolve(this.#messages.shift());
    return new Promise((resolve) => (this.#waiting = resolve));
  }
}
