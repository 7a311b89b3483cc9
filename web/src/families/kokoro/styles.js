// Kokoro voices ("styles"): per voice a [510, 256] float32 table; row n is the style
// vector for an input of n phoneme ids (Kokoro picks row min(ids - 2, 509)).
//
// Two published forms are read:
// - kokoro-js / onnx-community `voices/<name>.bin`: the raw table, 510 * 256 little-endian
//   float32 (522,240 bytes);
// - kokoro-onnx `voices-v1.0.bin`: a NumPy .npz (a ZIP of <name>.npy arrays, each
//   [510, 1, 256] float32), stored or deflated.
//
//   const styles = parseStyleTables({ af_heart: bytes });      // Map name -> Float32Array(130560)
//   const npz = parseStyleTables(npzBytes);                      // every voice in the archive
//   const mix = blendStyles(styles, { af_heart: 0.7, af_bella: 0.3 });
import { VoxletError } from '../../errors.js';

export const STYLE_ROWS = 510;
export const STYLE_DIM = 256;
const TABLE_FLOATS = STYLE_ROWS * STYLE_DIM;
export const STYLE_TABLE_BYTES = TABLE_FLOATS * 4;

/**
 * @param {Uint8Array|Record<string, Uint8Array>} source  an .npz archive, a raw table (named
 *   `name`), or raw tables by voice name
 * @param {{ name?: string }} [options]
 * @returns {Promise<Map<string, Float32Array>>}
 */
export async function parseStyleTables(source, { name = 'voice' } = {}) {
  if (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
    const bytes = asBytes(source);
    if (isZip(bytes)) return readNpz(bytes);
    return new Map([[name, rawTable(bytes, name)]]);
  }
  const tables = new Map();
  for (const [voice, bytes] of Object.entries(source)) {
    const view = asBytes(bytes);
    if (isZip(view)) for (const [inner, table] of await readNpz(view)) tables.set(inner, table);
    else tables.set(voice, rawTable(view, voice));
  }
  return tables;
}

/**
 * A weighted mix of voices (weights need not sum to 1: they are normalized).
 * @param {Map<string, Float32Array>} tables
 * @param {Record<string, number>} weights
 */
export function blendStyles(tables, weights) {
  const entries = Object.entries(weights);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (entries.length === 0 || entries.some(([, weight]) => !(Number.isFinite(weight) && weight >= 0)) || !(total > 0)) {
    throw new VoxletError('INVALID_ARGUMENT', `A voice blend needs non-negative finite weights with a positive sum, e.g. { af_heart: 0.7, af_bella: 0.3 }; got ${JSON.stringify(weights)}`);
  }
  const mix = new Float32Array(TABLE_FLOATS);
  for (const [voice, weight] of entries) {
    const table = tables.get(voice);
    if (!table) throw new VoxletError('INVALID_ARGUMENT', `Unknown Kokoro voice "${voice}" in the blend; loaded voices: ${[...tables.keys()].join(', ')}`);
    const share = weight / total;
    for (let i = 0; i < TABLE_FLOATS; i++) mix[i] += share * table[i];
  }
  return mix;
}

/** The style vector for a run of `idCount` ids (pads included): row min(idCount - 2, 509). */
export function styleRow(table, idCount) {
  const row = Math.min(Math.max(idCount - 2, 0), STYLE_ROWS - 1);
  return table.subarray(row * STYLE_DIM, (row + 1) * STYLE_DIM);
}

function asBytes(value) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new VoxletError('INVALID_ARGUMENT', 'A Kokoro voice table must be bytes (ArrayBuffer or a typed array)');
}

function rawTable(bytes, name) {
  if (bytes.byteLength !== STYLE_TABLE_BYTES) {
    throw new VoxletError(
      'MODEL_MISMATCH',
      `Kokoro voice table "${name}" has ${bytes.byteLength} bytes; expected ${STYLE_TABLE_BYTES} (${STYLE_ROWS} x ${STYLE_DIM} float32, as kokoro-js's voices/*.bin) or an .npz archive (kokoro-onnx's voices-v1.0.bin)`,
    );
  }
  return littleEndianFloats(bytes);
}

function littleEndianFloats(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

function isZip(bytes) {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

// ZIP central directory -> entries; each .npy parsed. Only what NumPy writes is supported.
async function readNpz(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw npzError('no ZIP end-of-directory record');
  let entries = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  if (entries === 0xffff || at === 0xffffffff) throw npzError('ZIP64 archives are not supported');
  const tables = new Map();
  const decoder = new TextDecoder();
  for (; entries > 0; entries--) {
    if (view.getUint32(at, true) !== 0x02014b50) throw npzError('a broken central directory');
    const method = view.getUint16(at + 10, true);
    const compressedSize = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const fileName = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const stored = bytes.subarray(dataStart, dataStart + compressedSize);
    const data = method === 0 ? stored : method === 8 ? await inflateRaw(stored) : null;
    if (!data) throw npzError(`entry ${fileName} uses ZIP method ${method}`);
    const voice = fileName.replace(/\.npy$/, '');
    tables.set(voice, npyTable(data, voice));
  }
  return tables;
}

// DecompressionStream, read by hand (no Response: Node without its fetch has none).
async function inflateRaw(bytes) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const parts = [];
  let length = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    parts.push(next.value);
    length += next.value.length;
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

// .npy: magic, version, header length, a Python dict literal, then the array.
function npyTable(bytes, voice) {
  if (bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') throw npzError(`${voice}.npy is not a NumPy array`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((d) => d.trim()).filter(Boolean).map(Number);
  const floats = shape.reduce((product, d) => product * d, 1);
  if (descr !== '<f4' || fortran || floats !== TABLE_FLOATS || shape[0] !== STYLE_ROWS || shape.at(-1) !== STYLE_DIM) {
    throw new VoxletError(
      'MODEL_MISMATCH',
      `Kokoro voice "${voice}" in the .npz is ${descr} with shape [${shape.join(', ')}]${fortran ? ' (Fortran order)' : ''}; expected little-endian float32 [${STYLE_ROWS}, 1, ${STYLE_DIM}] or [${STYLE_ROWS}, ${STYLE_DIM}] in C order`,
    );
  }
  return littleEndianFloats(bytes.subarray(headerStart + headerLength, headerStart + headerLength + TABLE_FLOATS * 4));
}

function npzError(what) {
  return new VoxletError('MODEL_MISMATCH', `The Kokoro voices archive cannot be read: ${what}; expected a NumPy .npz of [510, 1, 256] float32 arrays (kokoro-onnx's voices-v1.0.bin)`);
}
