// Finds, reads and verifies a voice: its JSON config and its model bytes.
// All I/O goes through one seam, readBytes(url, { onProgress, useCache }) ->
// Uint8Array, so the same code runs in a page, a Worker and Node; the default
// keeps downloads in Cache Storage (voice-cache.js).
import { isNode } from './capabilities.js';
import { VoxletError } from './errors.js';
import { adaptPiperConfig } from './piper-config.js';
import { evictVoiceFile, fetchVoiceFile, isVoiceFileCached } from './voice-cache.js';
import { importNodeBuiltin } from './node-builtins.js';
import { builtinVoiceFiles } from './builtin-voice.js';
import { familyOf, loadFamily } from './families/index.js';

/** The precisions `auto` tries, in order, when a config lists several variants. */
export const PRECISION_PREFERENCE = ['fp32', 'fp16', 'int8-weights', 'int8', 'pruned'];
export const PRECISIONS = ['auto', ...PRECISION_PREFERENCE];

/**
 * Default I/O seam: file: URLs through node:fs in Node; everything else through
 * fetch, with progress, kept in Cache Storage where there is one.
 * @param {URL} url
 * @param {{ onProgress?: Function, useCache?: boolean }} [options]
 * @returns {Promise<Uint8Array>}
 */
export async function defaultReadBytes(url, options = {}) {
  if (url.protocol === 'file:' && isNode()) {
    const { readFile } = await importNodeBuiltin('fs/promises');
    try {
      const bytes = new Uint8Array(await readFile(url));
      options.onProgress?.({ file: url.href, loaded: bytes.length, total: bytes.length, cached: false });
      return bytes;
    } catch (cause) {
      throw new VoxletError('ASSET_NOT_FOUND', cause.code === 'ENOENT' ? 'no such file' : cause.message, { cause });
    }
  }
  return fetchVoiceFile(url, options);
}

/** Whether a voice source names files by URL (a config URL/path, or none: the built-in voice). */
export function isUrlSource(source) {
  return source === undefined || source === null || typeof source === 'string' || source instanceof URL;
}

/**
 * A URL for a voice source: absolute URLs as they are; other strings are paths,
 * relative to the working directory in Node and to the page elsewhere.
 * @param {string|URL} source
 */
export function toUrl(source) {
  if (source instanceof URL) return source;
  if (/^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[a-z]:[\\/]/i.test(source)) return new URL(source);
  if (isNode()) {
    // Like url.pathToFileURL, without importing node:url into a browser module.
    const path = encodeURI(source.replaceAll('\\', '/')).replaceAll('#', '%23').replaceAll('?', '%3F');
    return new URL(path, `file://${encodeURI(process.cwd()).replaceAll('#', '%23').replaceAll('?', '%3F')}/`);
  }
  return new URL(source, globalThis.location?.href);
}

/** The last path segment of a URL, for messages. */
export function fileName(url) {
  return decodeURIComponent(url.pathname.split('/').pop() || url.href);
}

/**
 * Reads a voice from a config URL/path (model file next to it) or from
 * `{ config, model }` already in memory, and verifies the model bytes against
 * the size and sha256 the config lists. No source: the built-in voice (builtin-voice.js).
 * @param {string|URL|{config: string|object, model: ArrayBuffer|ArrayBufferView, name?: string}} [source]
 * @param {{ precision?: string, readBytes?: (url: URL, options?: object) => Promise<Uint8Array>, onProgress?: Function }} [options]
 * @returns {Promise<{ config: object, configText: string, model: Uint8Array, modelName: string, variant: object|null, verified: boolean }>}
 */
export async function loadVoiceSource(source, { precision = 'auto', readBytes = defaultReadBytes, onProgress } = {}) {
  if (!PRECISIONS.includes(precision)) {
    throw new VoxletError('INVALID_ARGUMENT', `Unsupported precision "${precision}"; expected one of: ${PRECISIONS.join(', ')}`);
  }
  if (source === undefined || source === null) {
    const { config, files } = builtinVoiceFiles();
    return loadFromUrl(config, precision, readBytes, onProgress, files);
  }
  if (typeof source === 'string' || source instanceof URL) return loadFromUrl(toUrl(source), precision, readBytes, onProgress);
  const family = await familySource(source, { precision, readBytes, onProgress }); // families/: e.g. Kokoro
  if (family) return family;
  if (isFileList(source)) return loadFromMemory(await pairFiles(source), precision);
  if (source && typeof source === 'object' && source.config && source.model) return loadFromMemory(await readBlobs(source), precision);
  throw new VoxletError(
    'INVALID_ARGUMENT',
    'loadVoice() takes a URL or path to a voice config, { config, model: ArrayBuffer|Blob }, the two Files (<name>.onnx and its .json), or nothing for the built-in voice',
  );
}

/**
 * A voice source's config text, without reading its model: what the tuner needs to plan before
 * ONNX Runtime starts (Voxlet.createTuned).
 */
export async function readConfigText(source, readBytes = defaultReadBytes) {
  const text = await rawConfigText(source, readBytes);
  // A model family's config (families/) becomes the Piper-superset config its loader makes.
  let config = null;
  try {
    config = JSON.parse(text);
  } catch {
    return text; // the engine reports it
  }
  const family = familyOf(config);
  return family ? (await loadFamily(family)).engineConfigText(config) : text;
}

async function rawConfigText(source, readBytes) {
  if (source === undefined || source === null) source = builtinVoiceFiles().config;
  if (typeof source === 'string' || source instanceof URL) return decodeText(await readOrExplain(readBytes, toUrl(source), 'VOICE_NOT_FOUND', 'voice config', {}));
  if (source && typeof source === 'object' && source.config) {
    if (source.config instanceof URL || (typeof source.config === 'string' && !source.config.trimStart().startsWith('{'))) return rawConfigText(source.config, readBytes);
    if (typeof source.config === 'string') return source.config;
    if (typeof source.config.text === 'function') return source.config.text(); // a Blob/File
    return JSON.stringify(source.config);
  }
  throw new VoxletError('INVALID_ARGUMENT', 'Voxlet.createTuned() needs { voice }: a URL or path to a voice config, or { config, model }');
}

// An object source whose config belongs to a model family (families/index.js): the config as
// an object, JSON text, a Blob, or a URL/path; the family reads the rest (model, voice tables).
// null for every other source (Piper-interface voices), which the code below loads as before.
async function familySource(source, { precision, readBytes, onProgress }) {
  if (!source || typeof source !== 'object' || isFileList(source) || source instanceof URL || source.config === undefined) return null;
  const raw = source.config;
  let config = raw;
  let configUrl;
  if (isBlob(raw)) config = parseConfig(await raw.text(), raw.name ?? 'voice config');
  else if (typeof raw === 'string' && raw.trimStart().startsWith('{')) config = parseConfig(raw, 'voice config');
  else if (typeof raw === 'string' || raw instanceof URL) {
    configUrl = toUrl(raw);
    config = parseConfig(decodeText(await readOrExplain(readBytes, configUrl, 'VOICE_NOT_FOUND', 'voice config', { onProgress })), fileName(configUrl));
  }
  const family = familyOf(config);
  if (!family) return null;
  return (await loadFamily(family)).loadSource({ ...source, config, configUrl }, { precision, readBytes, toUrl, onProgress });
}

// fileUrls: where each model file is, when not next to the config (a bundled built-in voice).
async function loadFromUrl(configUrl, precision, readBytes, onProgress, fileUrls = {}) {
  const configText = decodeText(await readOrExplain(readBytes, configUrl, 'VOICE_NOT_FOUND', 'voice config', { onProgress }));
  const config = parseConfig(configText, fileName(configUrl));
  const family = familyOf(config);
  if (family) return (await loadFamily(family)).loadSource({ config, configUrl }, { precision, readBytes, toUrl, onProgress });
  const { url: modelUrl, variant } = locateModel(configUrl, config, precision, fileUrls);
  const { model, verified } = await readVerifiedModel(readBytes, modelUrl, variant, onProgress);
  return { ...withAdaptedConfig(config, configText, model), model, modelName: fileName(modelUrl), variant, verified };
}

// Gaps a converter left in a Piper config, filled from the model (piper-config.js);
// the engine then validates the result. The text changes only when a field was filled.
function withAdaptedConfig(config, configText, model) {
  const { config: adapted, filled } = adaptPiperConfig(config, model);
  return filled.length ? { config: adapted, configText: JSON.stringify(adapted), adapted: filled } : { config, configText };
}

// A copy that fails verification is evicted from the cache, so a bad download
// never sticks; one that came from the cache (a download cut short earlier, a
// voice updated in place) is downloaded once more before giving up.
async function readVerifiedModel(readBytes, url, variant, onProgress) {
  const wasCached = await isVoiceFileCached(url);
  const read = (useCache) => readOrExplain(readBytes, url, 'MODEL_NOT_FOUND', 'voice model', { onProgress, useCache });
  const model = await read(true);
  try {
    return { model, verified: await verifyModel(model, variant, fileName(url)) };
  } catch (error) {
    await evictVoiceFile(url).catch(() => false);
    if (!wasCached) throw error;
    const fresh = await read(false);
    return { model: fresh, verified: await verifyModel(fresh, variant, fileName(url)) };
  }
}

async function loadFromMemory({ config: rawConfig, model: rawModel, name = 'model.onnx' }, precision) {
  const configText = typeof rawConfig === 'string' ? rawConfig : JSON.stringify(rawConfig);
  const config = typeof rawConfig === 'string' ? parseConfig(rawConfig, 'voice config') : rawConfig;
  const model = toBytes(rawModel);
  const variant = variantForBytes(config, precision, model.length, name);
  const verified = await verifyModel(model, variant, name);
  return { ...withAdaptedConfig(config, configText, model), model, modelName: name, variant, verified };
}

function isFileList(source) {
  return (Array.isArray(source) || source?.constructor?.name === 'FileList') && Array.from(source).every(isBlob);
}

function isBlob(value) {
  return typeof Blob === 'function' && value instanceof Blob;
}

// Files a user picked or dropped: the .json is the config, the .onnx the model.
async function pairFiles(fileList) {
  const files = Array.from(fileList);
  const config = files.find((file) => /\.json$/i.test(file.name));
  const model = files.find((file) => /\.onnx$/i.test(file.name));
  if (files.length !== 2 || !config || !model) {
    const names = files.map((file) => file.name).join(', ') || 'none';
    throw new VoxletError('INVALID_ARGUMENT', `Pick two files, a model (.onnx) and its config (.json); got: ${names}`);
  }
  return readBlobs({ config, model, name: model.name });
}

async function readBlobs({ config, model, name }) {
  return {
    config: isBlob(config) ? await config.text() : config,
    model: isBlob(model) ? await model.arrayBuffer() : model,
    name: name ?? (isBlob(model) ? model.name : undefined),
  };
}

async function readOrExplain(readBytes, url, code, what, options) {
  try {
    return await readBytes(url, options);
  } catch (cause) {
    throw new VoxletError(code, `Cannot read the ${what} ${fileName(url)} (${url.href}): ${cause.message}`, { cause });
  }
}

function decodeText(bytes) {
  return new TextDecoder('utf-8').decode(bytes);
}

function toBytes(model) {
  if (model instanceof ArrayBuffer) return new Uint8Array(model);
  if (ArrayBuffer.isView(model)) return new Uint8Array(model.buffer, model.byteOffset, model.byteLength);
  throw new VoxletError('INVALID_ARGUMENT', 'the model must be an ArrayBuffer or a typed array');
}

function parseConfig(text, name) {
  let config;
  try {
    config = JSON.parse(text);
  } catch (cause) {
    throw new VoxletError('MALFORMED_JSON', `${name} is not valid JSON: ${cause.message}`, { cause });
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) {
    throw new VoxletError('INVALID_CONFIG', `${name} must hold a JSON object`);
  }
  return config;
}

function fullModelVariants(config) {
  const variants = config.voxlet?.variants ?? [];
  return variants.filter((variant) => (variant.component ?? 'full') === 'full');
}

/**
 * Which variant to load: the requested precision, or for `auto` the first of
 * PRECISION_PREFERENCE the config lists. null when the config lists none.
 */
export function chooseVariant(config, precision) {
  const variants = fullModelVariants(config);
  if (variants.length === 0) return null;
  const wanted = precision === 'auto' ? PRECISION_PREFERENCE : [precision];
  for (const candidate of wanted) {
    const variant = variants.find((v) => v.precision === candidate);
    if (variant) return variant;
  }
  const listed = variants.map((v) => v.precision).join(', ');
  throw new VoxletError('INVALID_ARGUMENT', `This voice has no ${precision} model; its variants are: ${listed}`);
}

// A variant's file, relative to the config; else Piper's <name>.onnx next to <name>.onnx.json.
function locateModel(configUrl, config, precision, fileUrls) {
  const variant = chooseVariant(config, precision);
  if (variant) return { url: fileUrls[variant.file] ?? new URL(variant.file, configUrl), variant };
  const piperName = configUrl.pathname.match(/\/([^/]+\.onnx)\.json$/)?.[1];
  if (!piperName) {
    throw new VoxletError(
      'INVALID_CONFIG',
      `${fileName(configUrl)} lists no voxlet.variants and is not named <name>.onnx.json, so the model file is unknown; add a variant {precision, file, sha256, size}`,
    );
  }
  if (precision !== 'auto' && precision !== 'fp32') {
    throw new VoxletError('INVALID_ARGUMENT', `This voice has only one model (${piperName}, assumed fp32); precision "${precision}" is not available`);
  }
  return { url: new URL(piperName, configUrl), variant: null };
}

// In-memory models: the requested variant, or for `auto` the one whose size matches.
function variantForBytes(config, precision, byteLength, name) {
  const variants = fullModelVariants(config);
  if (variants.length === 0) return null;
  if (precision !== 'auto') return chooseVariant(config, precision);
  const match = variants.find((variant) => variant.size === undefined || variant.size === byteLength);
  if (match) return match;
  const sizes = variants.map((v) => `${v.precision} ${v.size} bytes`).join(', ');
  throw new VoxletError('MODEL_SIZE_MISMATCH', `${name} has ${byteLength} bytes, matching no variant of the voice config (${sizes}); the file is truncated or belongs to another voice`);
}

/**
 * Checks the model bytes against the variant's size and sha256 (Web Crypto).
 * @returns {Promise<boolean>} true when a sha256 was checked; false when there was none to check
 *   or Web Crypto is unavailable (insecure page)
 */
export async function verifyModel(bytes, variant, name) {
  if (!variant) return false;
  if (variant.size !== undefined && bytes.length !== variant.size) {
    const truncated = bytes.length < variant.size;
    throw new VoxletError(
      truncated ? 'MODEL_TRUNCATED' : 'MODEL_SIZE_MISMATCH',
      `${name} has ${bytes.length} bytes but the voice config expects ${variant.size}: ${truncated ? 'the file is truncated (an interrupted download?)' : 'the file belongs to another voice or version'}`,
    );
  }
  if (!variant.sha256 || !globalThis.crypto?.subtle) return false;
  const actual = await sha256Hex(bytes);
  if (actual !== variant.sha256.toLowerCase()) {
    throw new VoxletError(
      'MODEL_CHECKSUM_MISMATCH',
      `${name} has sha256 ${actual} but the voice config expects ${variant.sha256.toLowerCase()}: the file is corrupt or belongs to another voice`,
    );
  }
  return true;
}

/** Lowercase hex SHA-256 of the bytes. */
export async function sha256Hex(bytes) {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
