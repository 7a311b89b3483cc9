// Loads the C++ engine (WebAssembly) and wraps its JSON API with plain JS
// values and VoxletErrors. The same code runs in a page, a Worker and Node.
//
//   const engine = await Engine.load();            // picks simd or simd+threads
//   engine.loadVoice(configObject);
//   for (const chunk of engine.chunks('Hello there.')) { ... }
import { hasWasmSimd, hasWasmThreads, isNode } from './capabilities.js';
import { VoxletError, unwrapEngineReply } from './errors.js';

const DEFAULT_BASE = new URL('../dist/', import.meta.url);

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

async function readBytes(url) {
  if (isNode() && url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    try {
      return new Uint8Array(await readFile(url));
    } catch (cause) {
      throw new VoxletError('ASSET_NOT_FOUND', `Cannot read ${url.pathname}: ${cause.code ?? cause.message}. Run scripts/build first.`, { cause });
    }
  }
  const response = await fetch(url);
  if (!response.ok) {
    throw new VoxletError('ASSET_NOT_FOUND', `Cannot load ${url}: HTTP ${response.status}.`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

export class Engine {
  #api;
  #module;
  variant;

  constructor(module, api, variant) {
    this.#module = module;
    this.#api = api;
    this.variant = variant;
  }

  // options.base: URL of the folder holding engine/ and assets/ (default: web/dist/)
  // options.threads: force the threaded (true) or plain (false) build
  // options.lexicon: false to skip loading the lexicon (normalization only)
  static async load(options = {}) {
    const base = new URL(options.base ?? DEFAULT_BASE);
    const variant = chooseEngineVariant(options);
    const moduleUrl = new URL(`engine/${variant}.mjs`, base);
    const wasmUrl = new URL(`engine/${variant}.wasm`, base);
    let factory;
    try {
      ({ default: factory } = await import(moduleUrl.href));
    } catch (cause) {
      throw new VoxletError('ASSET_NOT_FOUND', `Cannot load the engine from ${moduleUrl}; run scripts/build first.`, { cause });
    }
    // Node: hand over the bytes (Emscripten 3.1.6 would try fetch() on a file path).
    const moduleArgs = isNode() ? { wasmBinary: await readBytes(wasmUrl) } : {};
    const module = await factory(moduleArgs);
    const engine = new Engine(module, new module.EngineApi(), variant);
    if (options.lexicon !== false) {
      engine.loadLexicon(await readBytes(new URL(options.lexiconUrl ?? 'assets/en_us.voxlex', base)));
    }
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

  dispose() {
    this.#api?.delete();
    this.#api = null;
  }
}
