// Loads the C++ engine (WebAssembly) and wraps its JSON API with plain JS
// values and VoxletErrors. The same code runs in a page, a Worker and Node.
//
//   const engine = await Engine.load();            // picks simd or simd+threads
//   engine.loadVoice(configObject);
//   for (const chunk of engine.chunks('Hello there.')) { ... }
//   const post = engine.createAudioPipeline({ voiceRate: 22050, outputRate: 48000 });
//   const { audio, origin } = post.push(chunkAudio, { isLast: true });
//   const wavBytes = engine.encodeWav(audio, 48000);
import { hasWasmSimd, hasWasmThreads, isNode } from './capabilities.js';
import { VoxletError, unwrapEngineReply } from './errors.js';
import { fetchBytes } from './fetch-bytes.js';
import { toUrl } from './voice-loader.js';

// The engine's files inside the package, each named by a literal `new URL(..., import.meta.url)`
// so bundlers (Vite, webpack) emit them with the app and rewrite the URL. The glue is imported
// with the import marked ignored: bundlers copy it as a file instead of re-bundling it, and it
// is handed its wasm bytes and its pthread worker's URL (below), so it needs nothing next to it.
const PACKAGED_FILES = {
  'voxlet-engine-simd': () => ({
    glue: new URL('../dist/engine/voxlet-engine-simd.mjs', import.meta.url),
    wasm: new URL('../dist/engine/voxlet-engine-simd.wasm', import.meta.url),
  }),
  'voxlet-engine-simd-threads': () => ({
    glue: new URL('../dist/engine/voxlet-engine-simd-threads.mjs', import.meta.url),
    wasm: new URL('../dist/engine/voxlet-engine-simd-threads.wasm', import.meta.url),
    worker: new URL('../dist/engine/voxlet-engine-simd-threads.worker.js', import.meta.url),
  }),
};
const packagedLexicon = () => new URL('../dist/assets/en_us.voxlex', import.meta.url);

// An engine's files: the packaged ones, or those under options.base (a folder holding engine/
// and assets/, laid out as the package's dist/).
function engineFiles(variant, { base, lexiconUrl }) {
  const folder = base === undefined ? null : toUrl(withSlash(String(base)));
  const files = folder
    ? { glue: new URL(`engine/${variant}.mjs`, folder), wasm: new URL(`engine/${variant}.wasm`, folder), worker: new URL(`engine/${variant}.worker.js`, folder) }
    : PACKAGED_FILES[variant]();
  const defaultLexicon = folder ? new URL('assets/en_us.voxlex', folder) : packagedLexicon();
  const lexicon = lexiconUrl === undefined ? defaultLexicon : folder ? new URL(String(lexiconUrl), folder) : toUrl(String(lexiconUrl));
  return { ...files, lexicon };
}

function withSlash(text) {
  return text.endsWith('/') ? text : `${text}/`;
}

// Which build to load: threads only where the page may use them (and not in
// Node, where the engine's own work is single-threaded anyway).
export function chooseEngineVariant({ threads } = {}) {
  if (!hasWasmSimd()) {
    throw new VoxletError(
      'UNSUPPORTED_BROWSER',
      'This browser lacks WebAssembly SIMD, which Voxlet needs; use a current Chrome, Edge, Firefox or Safari.',
    );
  }
  const useThreads = threads ?? (hasWasmThreads() && !isNode());
  return useThreads ? 'voxlet-engine-simd-threads' : 'voxlet-engine-simd';
}

// detect()'s camelCase keys as the engine's snake_case JSON (values untouched).
function snakeCaseKeys(value) {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeCaseKeys(item)]),
  );
}

export class Engine {
  #api;
  #module;
  #audioGeneration = 0; // which createAudioPipeline() result is live
  variant;

  constructor(module, api, variant) {
    this.#module = module;
    this.#api = api;
    this.variant = variant;
  }

  // options.base: URL of a folder holding engine/ and assets/ (default: the package's dist/)
  // options.threads: force the threaded (true) or plain (false) build
  // options.lexicon: false to skip loading the lexicon (normalization only)
  // options.lexiconUrl: the lexicon file (default: assets/en_us.voxlex under base)
  static async load(options = {}) {
    const variant = chooseEngineVariant(options);
    const files = engineFiles(variant, options);
    let factory;
    try {
      ({ default: factory } = await import(/* webpackIgnore: true */ /* @vite-ignore */ files.glue.href));
    } catch (cause) {
      throw new VoxletError('ASSET_NOT_FOUND', `Cannot load the engine from ${files.glue}: ${cause.message}; reinstall the voxlet package (in its repository: scripts/build)`, { cause });
    }
    // The wasm bytes are handed over: Emscripten 3.1.6 would fetch() a file path in Node, and
    // fetch() cannot read a file:// page's files.
    const wasmBinary = await fetchBytes(files.wasm, 'the engine');
    const locateFile = (name) => (name.endsWith('.worker.js') ? files.worker : new URL(name, files.glue)).href;
    const module = await factory({ wasmBinary, locateFile });
    const engine = new Engine(module, new module.EngineApi(), variant);
    if (options.lexicon !== false) engine.loadLexicon(await fetchBytes(files.lexicon, 'the lexicon'));
    return engine;
  }

  #call(method, ...args) {
    return unwrapEngineReply(this.#api[method](...args));
  }

  loadLexicon(bytes) {
    return this.#call('loadLexicon', bytes);
  }

  // config: an object or JSON text (a Piper .onnx.json or a Voxlet voice.json)
  loadVoice(config) {
    return this.#call('loadVoice', typeof config === 'string' ? config : JSON.stringify(config));
  }

  normalize(text, options = {}) {
    return this.#call('normalize', text, JSON.stringify(options));
  }

  phonemize(text, options = {}) {
    return this.#call('phonemize', text, JSON.stringify(options));
  }

  // Pull-based chunks: the generator runs the front end lazily, so breaking
  // out of the loop stops all remaining work.
  *chunks(text, options = {}) {
    this.#call('start', text, JSON.stringify(options));
    for (;;) {
      const chunk = this.#call('next');
      if (chunk.done) return;
      yield chunk;
      if (chunk.is_last) return;
    }
  }

  diagnostics() {
    return JSON.parse(this.#api.diagnostics());
  }

  // Single-stage calls used by the shared golden tables.
  normalizeText(text, options = {}) {
    return this.#call('normalizeText', text, JSON.stringify(options));
  }
  parseSsml(text) {
    return this.#call('parseSsml', text);
  }
  validateVoice(config) {
    return this.#call('validateVoice', typeof config === 'string' ? config : JSON.stringify(config));
  }
  mapTokens(tokens) {
    return this.#call('mapTokens', JSON.stringify(tokens));
  }
  planChunks(request) {
    return this.#call('planChunks', JSON.stringify(request));
  }
  version() {
    return this.#api.version();
  }

  /**
   * The tuner (docs/tuning.md): a plan for this device and voice, each field with a
   * reason in words and the rule that decided it. Pure; the loaded voice is not used.
   * @param {object} profile  detect()'s profile (camelCase) or the snake_case JSON form
   * @param {object|string} voiceConfig  the voice's config (object or JSON text)
   * @param {object} [overrides]  forced fields (backend, precision, threads, batchSize,
   *   firstChunkIds, maxChunkIds, components, warmup) and use: 'interactive' | 'offline'
   * @returns {object} the plan: {backend, precision, files, threads, batch_size, ...,
   *   symptoms, reasons, rules}
   */
  tune(profile, voiceConfig, overrides = {}) {
    const voice = typeof voiceConfig === 'string' ? voiceConfig : JSON.stringify(voiceConfig ?? null);
    return this.#call('tune', JSON.stringify(snakeCaseKeys(profile ?? {})), voice, JSON.stringify(snakeCaseKeys(overrides ?? {})));
  }

  /**
   * The engine's audio post-processing (trim, crossfade, DC removal, gain,
   * resampling, loudness) for one utterance at a time. An Engine holds one
   * pipeline: creating another makes earlier ones throw FAILED_PRECONDITION.
   * @param {{voiceRate?: number, outputRate?: number, normalize?: boolean, gain?: number, pitch?: number}} options
   *   voiceRate: Hz of the model's audio (default: the loaded voice's); outputRate: Hz wanted
   *   (default voiceRate); normalize: peak to [-3, -1] dBFS (default true); gain: linear,
   *   applied after normalization (default 1); pitch: factor for every chunk (default 1, > 0),
   *   times each push's pitch, clamped to [0.5, 2]; duration is kept (audio_pitch.h).
   * @returns {{voiceRate: number, outputRate: number, latencySamples: number,
   *   push(samples: Float32Array, options?: {isLast?: boolean, pauseAfterMs?: number, gain?: number, pitch?: number}): {audio: Float32Array, origin: number, end: number},
   *   reset(): void}}
   *   push() returns the output-rate samples final now (a new array) and `origin`: the output
   *   position (samples since the utterance start) of the chunk's input sample 0, so input
   *   sample k plays at origin + k * outputRate / voiceRate; `end`: the output position just
   *   past the chunk's kept audio (ids in trimmed silence fall outside [origin, end)). After
   *   isLast the next push starts a new utterance; reset() drops a half-pushed one.
   */
  createAudioPipeline({ voiceRate, outputRate, normalize = true, gain = 1, pitch = 1 } = {}) {
    const config = { voice_rate: voiceRate, output_rate: outputRate ?? voiceRate, normalize, gain, pitch };
    const reply = this.#call('createAudioPipeline', JSON.stringify(config));
    const generation = ++this.#audioGeneration;
    const live = () => {
      if (generation !== this.#audioGeneration) {
        throw new VoxletError('FAILED_PRECONDITION', 'This audio pipeline was replaced by a later createAudioPipeline() on the same Engine');
      }
    };
    return {
      voiceRate: reply.voice_rate,
      outputRate: reply.output_rate,
      latencySamples: reply.latency_samples,
      push: (samples, { isLast = false, pauseAfterMs = 0, gain: chunkGain = 1, pitch: chunkPitch = 1 } = {}) => {
        live();
        const audio = this.#api.pushAudio(samples, Boolean(isLast), pauseAfterMs, chunkGain, chunkPitch);
        const { origin, end } = unwrapEngineReply(this.#api.audioReply());
        return { audio, origin, end };
      },
      reset: () => {
        live();
        this.#call('resetAudioPipeline');
      },
    };
  }

  /**
   * A 16-bit PCM mono WAV file made by the engine's encoder (rounded, clipped, NaN -> 0).
   * @param {Float32Array} audio  full scale 1.0
   * @param {number} sampleRate  Hz, a positive integer
   * @returns {Uint8Array} the whole file
   */
  encodeWav(audio, sampleRate) {
    if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 0x7fffffff) {
      throw new VoxletError('INVALID_ARGUMENT', `sampleRate must be a positive integer (Hz), got ${sampleRate}`);
    }
    const bytes = this.#api.encodeWav(audio, sampleRate);
    unwrapEngineReply(this.#api.audioReply());
    return bytes;
  }

  dispose() {
    this.#api?.delete();
    this.#api = null;
  }
}
