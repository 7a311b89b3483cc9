// ONNX Runtime Web for one voice: backend choice, session creation, the check
// that the model has the interface its config describes, and one call per chunk.
// Piper interface: input int64 [1,N], input_lengths int64 [1], scales float32
// [noise_scale, length_scale, noise_w], sid int64 [1] for multi-speaker voices;
// audio out (last dimension = samples), per-id durations in frames optionally.
import { isNode } from './capabilities.js';
import { VoxletError } from './errors.js';
import { allowWorkersUnderInputType, importIgnored } from './node-builtins.js';

export const BACKENDS = ['auto', 'webgpu', 'wasm'];
const PIPER_INPUTS = ['input', 'input_lengths', 'scales'];
const DEFAULT_INFERENCE = { noise_scale: 0.667, length_scale: 1, noise_w: 0.8 };

/** What a Voxlet that asked for WebGPU on a software (fallback) adapter says (tts.backendWarning). */
export const SOFTWARE_WEBGPU_WARNING =
  'WebGPU runs on a software (fallback) adapter here, i.e. CPU emulation: far slower than the WASM backend ' +
  '(measured real-time factor 13.9 on SwiftShader). Use backend "wasm", or "auto", which passes such adapters over.';
let softwareWebGpuWarned = false; // console.warn once per page, Worker or process

/**
 * The backend to run on: `auto` is WebGPU where a hardware adapter exists, else
 * WASM. A fallback (software) adapter such as SwiftShader computes correctly but
 * is slower than WASM, so `auto` passes it over; asking for `webgpu` still uses it,
 * and then `onWarning` gets SOFTWARE_WEBGPU_WARNING (also console.warn'ed once).
 * @param {string} requested  auto | webgpu | wasm
 * @param {{ onWarning?: (warning: string) => void }} [options]
 * @returns {Promise<'webgpu'|'wasm'>}
 */
export async function resolveBackend(requested = 'auto', { onWarning } = {}) {
  if (!BACKENDS.includes(requested)) {
    throw new VoxletError('UNSUPPORTED_BACKEND', `Unsupported backend "${requested}"; expected one of: ${BACKENDS.join(', ')}`);
  }
  if (requested === 'wasm') return 'wasm';
  const adapter = await webGpuAdapterKind();
  if (requested === 'webgpu' && adapter === 'none') {
    const where = isNode()
      ? 'WebGPU is not available in Node (onnxruntime-web runs its WASM backend here)'
      : 'This browser offers no WebGPU adapter';
    throw new VoxletError('UNSUPPORTED_BACKEND', `${where}; expected one of: auto, wasm`);
  }
  if (requested === 'webgpu') {
    if (adapter === 'fallback') warnSoftwareWebGpu(onWarning);
    return 'webgpu';
  }
  return adapter === 'hardware' ? 'webgpu' : 'wasm';
}

function warnSoftwareWebGpu(onWarning) {
  if (!softwareWebGpuWarned) console.warn(`Voxlet: ${SOFTWARE_WEBGPU_WARNING}`);
  softwareWebGpuWarned = true;
  onWarning?.(SOFTWARE_WEBGPU_WARNING);
}

// 'hardware' | 'fallback' | 'none'. A hung requestAdapter() (seen with broken drivers) counts as none.
async function webGpuAdapterKind() {
  if (isNode() || !globalThis.navigator?.gpu) return 'none';
  try {
    const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 2000));
    const adapter = await Promise.race([globalThis.navigator.gpu.requestAdapter(), timeout]);
    if (!adapter) return 'none';
    return (adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter) ? 'fallback' : 'hardware';
  } catch {
    return 'none';
  }
}

/**
 * The ORT Web module for a backend: the native-WebGPU-EP bundle for WebGPU, the
 * plain one otherwise (in Node both resolve to its node build).
 * @param {'webgpu'|'wasm'} backend
 * @param {{ wasm?: string, webgpu?: string }} [urls]  where the bundles are, when bare
 *   specifiers do not resolve (a module Worker has no import map)
 */
export async function importOrt(backend, urls = {}) {
  const url = urls[backend];
  if (isNode()) await allowWorkersUnderInputType(); // ORT's thread pool under `node --input-type=module -e`
  if (url) return import(/* webpackIgnore: true */ /* @vite-ignore */ url);
  // Node: ORT's Node build, by an import bundlers do not follow (they would pull in its browser
  // bundle with every backend's wasm). Browsers: the WASM-only bundle (14 MB of wasm, not 28).
  if (isNode()) return importIgnored('onnxruntime-web');
  return backend === 'webgpu' ? import('onnxruntime-web/webgpu') : import('onnxruntime-web/wasm');
}

// ORT Web reads numThreads once, when its WASM instance starts: one count per ORT module.
const threadsByOrt = new WeakMap();

/**
 * Sets the WASM thread count before the first session. Without cross-origin
 * isolation a page cannot use threads, so it gets 1 (ORT would silently drop to 1).
 * @returns {number} the thread count ORT will use
 */
export function configureThreads(ort, requested) {
  const threads = requested ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new VoxletError('INVALID_ARGUMENT', `threads must be an integer from 1 to 64, got ${requested}`);
  }
  const current = threadsByOrt.get(ort);
  if (current !== undefined && current !== threads) {
    throw new VoxletError('THREADS_FIXED', `ONNX Runtime already runs with ${current} threads in this context; it cannot change to ${threads} (a Voxlet in a worker has its own instance: worker: true)`);
  }
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  threadsByOrt.set(ort, threads);
  return threads;
}

function defaultThreads() {
  if (!isNode() && globalThis.crossOriginIsolated !== true) return 1;
  const cores = globalThis.navigator?.hardwareConcurrency ?? 2;
  return Math.max(1, Math.min(4, cores));
}

/**
 * One InferenceSession for a model held in memory.
 * @param {object} ort  the onnxruntime-web module
 * @param {Uint8Array} bytes
 * @param {{ backend: 'webgpu'|'wasm', name: string }} options  name: the file, for messages
 */
export async function createSession(ort, bytes, { backend, name }) {
  try {
    const session = await exclusive(ort, () => ort.InferenceSession.create(bytes, { executionProviders: [backend], graphOptimizationLevel: 'all' }));
    return serialized(ort, session);
  } catch (cause) {
    throw new VoxletError(
      'MODEL_LOAD_FAILED',
      `ONNX Runtime Web cannot load ${name} (${backend} backend): ${firstLine(cause.message)}; the file is corrupt, truncated or not an ONNX model`,
      { cause },
    );
  }
}

// ONNX Runtime Web's WASM backend has one C stack per module, and its run() keeps its argument
// arrays on that stack across awaits (lib/wasm/wasm-core-impl.ts: stackSave + stackAlloc, then
// `await prepareInputOutputTensor(...)` and `await _OrtRun(...)`, stackRestore at the end). Two
// runs in flight on one module restore the stack out of order, and the next call's frames
// overwrite the arrays of a run still in flight: "operation does not support unaligned
// accesses", "Cannot read properties of null", or wrong audio. Every Voxlet (and the tuner's
// probes) in one page, Worker or Node process shares that module, so each call into it
// (session creation, run, release) waits for the previous one: one queue per module, keyed by
// its `env` (the same object behind every import of the module, and kept by a spread copy).
const ortQueues = new WeakMap();

// The smallest model (Identity on one float, 78 bytes): creating a session on it starts ONNX
// Runtime's WebAssembly (compile, instantiate, runtime init: ~1.6 s of a 3 s cold load in Node,
// more in browsers), which every later session would otherwise wait for.
const WARM_UP_MODEL = 'CAcSBnZveGxldDo8ChAKAXgSAXkiCElkZW50aXR5EgZ3YXJtdXBaDwoBeBIKCggIARIECgIIAWIPCgF5EgoKCAgBEgQKAggBQgQKABAN';
const warmUps = new WeakMap();

/**
 * Starts ONNX Runtime's WebAssembly in the background (once per ORT module), so it overlaps the
 * engine load and the voice's download instead of coming after them. Never rejects: a failure
 * shows up, with its reason, when the voice's own session is created.
 */
export function warmUpOrt(ort) {
  const key = ort.env ?? ort;
  if (!warmUps.has(key)) {
    const bytes = Uint8Array.from(atob(WARM_UP_MODEL), (char) => char.charCodeAt(0));
    const start = () => watchingMemories(key, () => ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] })).then((session) => session.release());
    warmUps.set(key, exclusive(ort, start).catch(() => {}));
  }
  return warmUps.get(key);
}

const ortMemories = new WeakMap(); // ORT module key -> its WebAssembly.Memory

// ORT makes its WebAssembly memory as it starts (in the warm-up): the memories created meanwhile
// are watched, and ORT's is the one declared with the largest maximum (4 GiB; the engine's, which
// may start at the same time, declares 2 GiB). The constructor is wrapped for that call only.
async function watchingMemories(key, work) {
  const { Memory } = WebAssembly;
  const created = [];
  function WatchedMemory(descriptor) {
    const memory = new Memory(descriptor);
    created.push({ memory, maximum: descriptor?.maximum ?? 0 });
    return memory;
  }
  WatchedMemory.prototype = Memory.prototype;
  WebAssembly.Memory = WatchedMemory;
  try {
    return await work();
  } finally {
    if (WebAssembly.Memory === WatchedMemory) WebAssembly.Memory = Memory;
    const largest = created.sort((a, b) => b.maximum - a.maximum)[0];
    if (largest) ortMemories.set(key, largest.memory);
  }
}

/**
 * Bytes of ONNX Runtime's WebAssembly memory in this context (it never shrinks, so this is the
 * peak so far), or null when it was not seen starting (an ORT module passed in already running).
 */
export function ortMemoryBytes(ort) {
  return ortMemories.get(ort.env ?? ort)?.buffer.byteLength ?? null;
}

/** Runs `work` (returning a promise) when every earlier call into this ORT module has settled. */
export function exclusive(ort, work) {
  const key = ort.env ?? ort;
  const result = (ortQueues.get(key) ?? Promise.resolve()).then(work);
  ortQueues.set(key, result.catch(() => {})); // a failed call does not block the next
  return result;
}

// The session with run() and release() queued on its module (see exclusive()).
function serialized(ort, session) {
  return {
    get inputNames() {
      return session.inputNames;
    },
    get outputNames() {
      return session.outputNames;
    },
    run: (feeds, options) => exclusive(ort, () => session.run(feeds, options)),
    release: () => exclusive(ort, () => session.release()),
  };
}

function firstLine(text) {
  return String(text).split('\n')[0];
}

/**
 * Checks the session's inputs/outputs against the config; returns what to feed and read.
 * @returns {{ audioName: string, durationsName: string|null, feedsSid: boolean }}
 */
export function checkModelInterface(session, config, name) {
  const multiSpeaker = speakerCount(config) > 1;
  const expectedInputs = multiSpeaker ? [...PIPER_INPUTS, 'sid'] : PIPER_INPUTS;
  const audioName = config.voxlet?.outputs?.audio ?? 'output';
  const durationsName = config.voxlet?.outputs?.durations ?? 'durations';
  const { inputNames, outputNames } = session;
  const problems = [
    ...expectedInputs.filter((input) => !inputNames.includes(input)).map((input) => `missing input "${input}"`),
    ...inputNames.filter((input) => ![...PIPER_INPUTS, 'sid'].includes(input)).map((input) => `unexpected input "${input}"`),
  ];
  if (!outputNames.includes(audioName)) problems.push(`missing audio output "${audioName}" (voxlet.outputs.audio)`);
  if (problems.length) {
    throw new VoxletError(
      'MODEL_MISMATCH',
      `${name} does not match its voice config: ${problems.join('; ')}. The model has inputs [${inputNames.join(', ')}] and outputs [${outputNames.join(', ')}]; ` +
        `expected inputs [${expectedInputs.join(', ')}] and the audio output "${audioName}"`,
    );
  }
  // A model with `sid` under a one-speaker config still needs it fed: speaker 0.
  return { audioName, durationsName: outputNames.includes(durationsName) ? durationsName : null, feedsSid: inputNames.includes('sid') };
}

function speakerCount(config) {
  return config.num_speakers ?? 1;
}

/**
 * The model's speaker id for a speaker option (a name from speaker_id_map, or an id).
 * @returns {number} 0 for single-speaker voices
 */
export function resolveSpeaker(config, speaker) {
  const count = speakerCount(config);
  if (speaker === undefined || speaker === null) return 0;
  const map = config.speaker_id_map ?? {};
  if (typeof speaker === 'string' && Object.hasOwn(map, speaker)) return map[speaker];
  const id = typeof speaker === 'string' && /^\d+$/.test(speaker) ? Number(speaker) : speaker;
  if (Number.isInteger(id) && id >= 0 && id < count) return id;
  const names = Object.keys(map);
  const choices = count === 1 ? 'this voice has one speaker (0)' : `expected one of: ${names.length ? `${names.join(', ')}, or an id ` : 'an id '}0..${count - 1}`;
  throw new VoxletError('INVALID_ARGUMENT', `Unknown speaker "${speaker}"; ${choices}`);
}

/**
 * Piper's scales input. SSML/option rate divides length_scale (rate 2 = twice as fast).
 * @returns {[number, number, number]} [noise_scale, length_scale, noise_w]
 */
export function makeScales(config, { noiseScale, lengthScale, noiseW, rate = 1 } = {}) {
  const defaults = { ...DEFAULT_INFERENCE, ...config.inference };
  return [noiseScale ?? defaults.noise_scale, (lengthScale ?? defaults.length_scale) / rate, noiseW ?? defaults.noise_w];
}

/** One voice model: an ORT session plus what its interface needs. */
export class VoiceModel {
  #ort;
  #session;
  #io;
  #onRun;

  /**
   * @param {object} ort  the onnxruntime-web module
   * @param {object} session  an ORT InferenceSession
   * @param {{audioName: string, durationsName: string|null, feedsSid: boolean}} io  from checkModelInterface()
   * @param {(info: {ids: number[], scales: number[], sid: number}) => void} [onRun]
   *   called before every session.run (diagnostics; a throw aborts the run: see callHook)
   */
  constructor(ort, session, io, onRun) {
    this.#ort = ort;
    this.#session = session;
    this.#io = io;
    this.#onRun = onRun;
  }

  get hasDurations() {
    return this.#io.durationsName !== null;
  }

  /**
   * Runs the model on one chunk's ids.
   * @returns {Promise<{ audio: Float32Array, durations: number[]|null }>}
   */
  async run(ids, { scales, sid = 0 }) {
    callHook(this.#onRun, { ids, scales, sid });
    const feeds = this.#feeds(ids, scales, sid);
    let outputs;
    try {
      outputs = await this.#session.run(feeds);
    } catch (cause) {
      throw new VoxletError('MODEL_RUN_FAILED', `The voice model failed on a chunk of ${ids.length} ids: ${firstLine(cause.message)}`, { cause });
    }
    const audio = lastDimension(outputs[this.#io.audioName]);
    const durations = this.#io.durationsName ? Array.from(outputs[this.#io.durationsName].data, Number) : null;
    return { audio, durations };
  }

  #feeds(ids, scales, sid) {
    const { Tensor } = this.#ort;
    const feeds = {
      input: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      input_lengths: new Tensor('int64', BigInt64Array.of(BigInt(ids.length)), [1]),
      scales: new Tensor('float32', Float32Array.from(scales), [3]),
    };
    if (this.#io.feedsSid) feeds.sid = new Tensor('int64', BigInt64Array.of(BigInt(sid)), [1]);
    return feeds;
  }

  async release() {
    await this.#session?.release();
    this.#session = null;
  }
}

// The onInference hook's contract: a throw aborts the synthesis with that error (a VoxletError
// as thrown, anything else as ABORTED with it as `cause`), never retried. The one exception is
// the fault table's seam: a VoxletError whose code is a run fault (MODEL_RUN_FAILED,
// OUT_OF_MEMORY, DEVICE_LOST) stands for that fault and is handled as one (fallback.js).
function callHook(hook, info) {
  if (!hook) return;
  try {
    hook(info);
  } catch (thrown) {
    if (thrown instanceof VoxletError) throw thrown;
    const what = thrown instanceof Error ? thrown.message : String(thrown);
    throw new VoxletError('ABORTED', `The synthesis was aborted: onInference threw ${what}`, { cause: thrown });
  }
}

// Piper returns [1,1,T] or [1,1,1,T]: the samples are the last dimension of the first item.
// A copy, so the result owns its buffer (transferable to the page or an AudioWorklet).
function lastDimension(tensor) {
  const samples = tensor.dims.at(-1) ?? tensor.data.length;
  const data = tensor.type === 'float16' ? decodeFloat16(tensor.data) : tensor.data;
  return Float32Array.from(data.subarray(0, samples));
}

function decodeFloat16(data) {
  if (typeof Float16Array === 'function' && data instanceof Float16Array) return Float32Array.from(data);
  return Float32Array.from(data, (bits) => {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const fraction = bits & 0x3ff;
    if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
    if (exponent === 31) return fraction ? NaN : sign * Infinity;
    return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  });
}
