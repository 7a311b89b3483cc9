// The Kokoro family (Kokoro-82M v1.0 and models with its ONNX interface) behind the
// contract of web/src/families/index.js:
//   loadSource(source, options) -> loaded   config + model bytes + voice tables, read and checked
//   openModel(ort, session, loaded, onRun)  -> the runtime's model (run/hasDurations/release)
//   createChunkSource(loaded, options)      -> (text, frontEnd) => Generator<engine-shaped chunk>
//
//   await tts.loadVoice({
//     config: 'models/kokoro-82m-v1.0/voice.json',   // or the parsed object / JSON text / a Blob
//     model: 'kokoro/onnx/model_quantized.onnx',     // a URL, a path (Node), bytes or a Blob
//     voices: { af_heart: 'kokoro/voices/af_heart.bin' }, // or kokoro-onnx's voices-v1.0.bin (npz)
//     voice: { af_heart: 0.7, af_bella: 0.3 },       // optional: a name or a weighted blend
//   });
//   // or loadVoice('kokoro/voice.json') with the model and voices laid out as the config lists them
//
// The loaded config is the family config plus the Piper fields the engine reads (its vocab as
// phoneme_id_map with the pad 0 for "_" "^" "$", one "speaker" per loaded voice table), so the
// engine validates it and the runtime's speaker option picks a voice by name.
import { VoxletError } from '../../errors.js';
import { kokoroChunks, kokoroSentences, KOKORO_MAX_IDS } from './front-end.js';
import { checkKokoroInterface, KokoroModel } from './model.js';
import { blendStyles, parseStyleTables, STYLE_TABLE_BYTES } from './styles.js';

export const FAMILY = 'kokoro';
/**
 * espeak: kokoro-js's exact phonemes (espeak-ng, GPL-3.0, optional); builtin-en-us: the engine's
 * own front end (CMUdict + letter-to-sound, MIT) writing espeak-style IPA: no GPL code at all,
 * an approximation of the phonemes Kokoro was trained on (README: its phoneme error rate).
 */
export const PHONEMIZERS = ['espeak', 'builtin-en-us'];
const DTYPES_BY_PRECISION = { fp32: ['fp32'], fp16: ['fp16'], int8: ['q8', 'int8', 'uint8'], 'int8-weights': ['q8f16', 'uint8f16', 'q4', 'q4f16'] };

/** Whether a parsed voice config is a Kokoro one. */
export function isKokoroConfig(config) {
  return config?.family === FAMILY;
}

/**
 * Reads what a Kokoro voice needs. `configUrl` (when the config came from a URL) is where
 * files named by the config are looked for.
 * @param {{ config: object, configUrl?: URL, model?: any, voices?: any, voice?: string|Record<string, number>, lang?: 'a'|'b' }} source
 * @param {{ precision?: string, readBytes: Function, toUrl: Function, onProgress?: Function }} options
 */
export async function loadSource(source, { precision = 'auto', readBytes, toUrl, onProgress }) {
  const { config, configUrl } = source;
  checkConfig(config);
  const read = (value, what, code) => readValue(value, { configUrl, readBytes, toUrl, onProgress, what, code });
  const { bytes: model, name: modelName } = source.model !== undefined ? await read(source.model, 'Kokoro model', 'MODEL_NOT_FOUND') : await findModel(config, configUrl, precision, read);
  const wanted = wantedVoices(config, source.voice);
  const tables = await readStyles(config, configUrl, source.voices, wanted, read);
  const { names, styles } = speakers(config, tables, source.voice);
  const lang = source.lang ?? langOf(typeof source.voice === 'string' ? source.voice : (Object.keys(source.voice ?? {})[0] ?? config.kokoro.default_voice ?? names[0]));
  const phonemizer = source.phonemizer ?? config.voxlet?.phonemizer ?? 'espeak';
  if (!PHONEMIZERS.includes(phonemizer)) {
    throw new VoxletError('INVALID_ARGUMENT', `Unsupported phonemizer "${phonemizer}" for a Kokoro voice; expected one of: ${PHONEMIZERS.join(', ')}`);
  }
  const expanded = engineConfig(config, names, phonemizer);
  return { config: expanded, configText: JSON.stringify(expanded), model, modelName, variant: null, verified: false, family: FAMILY, styles, lang, phonemizer };
}

function checkConfig(config) {
  const kokoro = config?.kokoro;
  const problems = [];
  if (!kokoro || typeof kokoro !== 'object') problems.push('missing the "kokoro" section');
  else {
    if (!kokoro.vocab || typeof kokoro.vocab !== 'object') problems.push('kokoro.vocab must map phoneme characters to ids');
    else if (Object.values(kokoro.vocab).some((id) => !Number.isInteger(id) || id < 1)) problems.push('kokoro.vocab ids must be positive integers (0 is the pad)');
  }
  if (config?.audio?.sample_rate !== undefined && !Number.isInteger(config.audio.sample_rate)) problems.push('audio.sample_rate must be an integer');
  if (problems.length) throw new VoxletError('INVALID_CONFIG', `Kokoro voice config: ${problems.join('; ')}`);
}

// Piper fields for the engine and the runtime (validation, speakers, chunk bounds, sample rate).
function engineConfig(config, names, phonemizer = 'espeak') {
  const vocab = config.kokoro.vocab;
  const phonemeIdMap = { _: [0], '^': [0], $: [0] };
  for (const [symbol, id] of Object.entries(vocab)) phonemeIdMap[symbol] = [id];
  return {
    ...config,
    audio: { sample_rate: 24000, ...config.audio },
    phoneme_type: 'espeak',
    phoneme_id_map: phonemeIdMap,
    num_symbols: Math.max(...Object.values(vocab)) + 1,
    num_speakers: names.length,
    speaker_id_map: Object.fromEntries(names.map((name, id) => [name, id])),
    inference: { noise_scale: 0, length_scale: 1, noise_w: 0, ...config.inference },
    voxlet: { ...config.voxlet, phonemizer, max_chunk_tokens: config.kokoro.context_length ?? KOKORO_MAX_IDS, interspersed_pad: false, outputs: { audio: 'waveform', durations: 'durations' } },
  };
}

function wantedVoices(config, voice) {
  if (voice === undefined || voice === null) return [config.kokoro.default_voice].filter(Boolean);
  if (typeof voice === 'string') return [voice];
  if (typeof voice === 'object') return Object.keys(voice);
  throw new VoxletError('INVALID_ARGUMENT', `voice must be a voice name or { name: weight, ... }, got ${typeof voice}`);
}

async function readStyles(config, configUrl, voices, wanted, read) {
  if (voices !== undefined && voices !== null) {
    if (isBytesLike(voices) || typeof voices === 'string' || voices instanceof URL) {
      const { bytes, name } = await read(voices, 'Kokoro voices table', 'ASSET_NOT_FOUND');
      const fallbackName = wanted.length === 1 ? wanted[0] : name.replace(/\.bin$/, '');
      return parseStyleTables(bytes, { name: fallbackName });
    }
    const entries = await Promise.all(Object.entries(voices).map(async ([voice, value]) => [voice, (await read(value, `Kokoro voice ${voice}`, 'ASSET_NOT_FOUND')).bytes]));
    const tables = await parseStyleTables(Object.fromEntries(entries));
    await verifyListed(config, Object.fromEntries(entries));
    return tables;
  }
  if (configUrl) {
    // Next to the config: the voices it lists (each a raw table), else kokoro-onnx's archive.
    const listed = (config.kokoro.voices ?? []).filter((entry) => wanted.includes(entry.name));
    try {
      const entries = await Promise.all(listed.map(async (entry) => [entry.name, (await read(entry.file, `Kokoro voice ${entry.name}`, 'ASSET_NOT_FOUND')).bytes]));
      if (entries.length && entries.length === wanted.length) {
        await verifyListed(config, Object.fromEntries(entries));
        return parseStyleTables(Object.fromEntries(entries));
      }
    } catch (error) {
      if (error.code !== 'ASSET_NOT_FOUND') throw error;
    }
    for (const table of config.kokoro.voice_tables ?? []) {
      try {
        return await parseStyleTables((await read(table.file, 'Kokoro voices archive', 'ASSET_NOT_FOUND')).bytes);
      } catch (error) {
        if (error.code !== 'ASSET_NOT_FOUND') throw error;
      }
    }
  }
  throw new VoxletError(
    'MODEL_MISMATCH',
    'A Kokoro model needs its voices table (style vectors), and none was given or found next to the config: pass voices: { af_heart: <kokoro-js voices/af_heart.bin> } ' +
      '(510 x 256 float32 each) or voices: <kokoro-onnx voices-v1.0.bin> (an .npz of [510, 1, 256]) to loadVoice()',
  );
}

// The sha256 the config lists for a voice, checked when the bytes are a raw table.
async function verifyListed(config, entries) {
  if (!globalThis.crypto?.subtle) return;
  for (const [voice, bytes] of Object.entries(entries)) {
    const entry = (config.kokoro.voices ?? []).find((listed) => listed.name === voice);
    if (!entry?.sha256 || bytes.byteLength !== STYLE_TABLE_BYTES) continue;
    const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
    const actual = Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
    if (actual !== entry.sha256.toLowerCase()) {
      throw new VoxletError('MODEL_CHECKSUM_MISMATCH', `Kokoro voice ${voice} has sha256 ${actual} but the voice config expects ${entry.sha256}: the file is corrupt or another voice`);
    }
  }
}

// Speaker 0 is the chosen voice (or the blend), then every loaded table by name.
function speakers(config, tables, voice) {
  if (tables.size === 0) throw new VoxletError('MODEL_MISMATCH', 'The Kokoro voices table holds no voice');
  const names = [];
  const styles = [];
  if (voice && typeof voice === 'object') {
    names.push(Object.entries(voice).map(([name, weight]) => `${name}*${weight}`).join('+'));
    styles.push(blendStyles(tables, voice));
  } else {
    const first = typeof voice === 'string' ? voice : tables.has(config.kokoro.default_voice) ? config.kokoro.default_voice : tables.keys().next().value;
    if (!tables.has(first)) throw new VoxletError('INVALID_ARGUMENT', `Unknown Kokoro voice "${first}"; the voices table holds: ${[...tables.keys()].join(', ')}`);
    names.push(first);
    styles.push(tables.get(first));
  }
  for (const [name, table] of tables) {
    if (names.includes(name)) continue;
    names.push(name);
    styles.push(table);
  }
  return { names, styles };
}

// kokoro-js: a voice's first letter is its language ("a" American English, "b" British).
function langOf(voiceName) {
  return typeof voiceName === 'string' && voiceName[0] === 'b' ? 'b' : 'a';
}

async function findModel(config, configUrl, precision, read) {
  const models = config.kokoro.models ?? [];
  const dtypes = precision === 'auto' ? null : DTYPES_BY_PRECISION[precision];
  if (precision !== 'auto' && !dtypes) throw new VoxletError('INVALID_ARGUMENT', `This voice has no ${precision} model`);
  const candidates = models.filter((entry) => !dtypes || dtypes.includes(entry.dtype));
  if (!configUrl || candidates.length === 0) {
    throw new VoxletError('INVALID_ARGUMENT', `This voice has no ${precision} model: pass model: <a Kokoro .onnx> to loadVoice() (files: ${models.map((m) => m.url ?? m.file).join(', ') || 'see the config'})`);
  }
  for (const entry of candidates) {
    try {
      return await read(entry.file, 'Kokoro model', 'MODEL_NOT_FOUND');
    } catch (error) {
      if (error.code !== 'MODEL_NOT_FOUND') throw error;
    }
  }
  throw new VoxletError(
    'MODEL_NOT_FOUND',
    `No Kokoro model file (${precision}) next to the voice config: looked for ${candidates.map((m) => m.file).join(', ')}. Download one (${candidates.map((m) => m.url).filter(Boolean).slice(0, 2).join(', ')}, ...) or pass model: to loadVoice()`,
  );
}

function isBytesLike(value) {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value) || (typeof Blob === 'function' && value instanceof Blob);
}

// bytes | ArrayBuffer | Blob | URL | path/URL string (relative to the config's URL when there is one).
async function readValue(value, { configUrl, readBytes, toUrl, onProgress, what, code }) {
  if (value instanceof Uint8Array) return { bytes: value, name: what };
  if (value instanceof ArrayBuffer) return { bytes: new Uint8Array(value), name: what };
  if (ArrayBuffer.isView(value)) return { bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength), name: what };
  if (typeof Blob === 'function' && value instanceof Blob) return { bytes: new Uint8Array(await value.arrayBuffer()), name: value.name ?? what };
  if (typeof value === 'string' || value instanceof URL) {
    const url = configUrl && typeof value === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(value) && !value.startsWith('/') ? new URL(value, configUrl) : toUrl(value);
    try {
      return { bytes: await readBytes(url, { onProgress }), name: decodeURIComponent(url.pathname.split('/').pop()) };
    } catch (cause) {
      throw new VoxletError(code, `Cannot read the ${what} ${url.href}: ${cause.message}`, { cause });
    }
  }
  throw new VoxletError('INVALID_ARGUMENT', `The ${what} must be a URL or path, bytes or a Blob`);
}

/** The runtime's model for a session of a loaded Kokoro voice (MODEL_MISMATCH if it is not one). */
export function openModel(ort, session, loaded, onRun) {
  return new KokoroModel(ort, session, checkKokoroInterface(session, loaded.modelName), loaded.styles, onRun);
}

/**
 * The chunk source: kokoro-js's phonemes through Voxlet's espeak-ng module (loaded here,
 * GPL-3.0 and optional), cut into runs of at most 510 phoneme ids. null for the builtin-en-us
 * phonemizer: the runtime then uses the engine's chunks (the config says 512 ids, no pads).
 * @param {{ config: object, lang: 'a'|'b' }} loaded
 * @param {{ url?: string, dataUrl?: string, phonemizer?: object }} [options]  espeak-ng's URLs; or a loaded EspeakPhonemizer
 */
export async function createChunkSource(loaded, { url, dataUrl, phonemizer } = {}) {
  if (loaded.phonemizer === 'builtin-en-us') return null; // the engine's front end: [0, IPA ids, 0] with no pads between
  const espeak = phonemizer ?? (await (await import('../../espeak/index.js')).loadEspeakPhonemizer({ url, dataUrl }));
  const vocab = loaded.config.kokoro.vocab;
  const lang = loaded.lang ?? 'a';
  return function* chunks(text, { format = 'auto', first_chunk_ids: firstIds, max_chunk_ids: maxIds } = {}) {
    if (format === 'ssml' || (format === 'auto' && /^\s*<(speak|\?xml)[\s>]/.test(text))) {
      throw new VoxletError('INVALID_ARGUMENT', 'SSML is not supported for Kokoro voices yet; pass plain text');
    }
    const sentences = kokoroSentences(text, lang, (piece, voice) => espeak.traceIpa(piece, voice));
    yield* kokoroChunks(sentences, vocab, { maxIds: maxIds ?? KOKORO_MAX_IDS, firstIds: firstIds ?? maxIds ?? KOKORO_MAX_IDS });
  };
}

/**
 * The chunk source of a Kokoro config alone (no model, no voices): what `voxlet phonemize --voice`
 * prints. lang: "a" (en-us, the default) or "b" (en-gb).
 */
export function chunkSourceForConfig(config, { lang = 'a', url, dataUrl } = {}) {
  checkConfig(config);
  return createChunkSource({ config, lang }, { url, dataUrl });
}

/** The Piper-superset config text the engine plans with (tuning before a model is loaded). */
export function engineConfigText(config) {
  checkConfig(config);
  return JSON.stringify(engineConfig(config, [config.kokoro.default_voice ?? 'voice']));
}
