// Reads the bytes at a URL wherever Voxlet runs: file: URLs from disk in Node and through
// XMLHttpRequest in browsers (fetch() refuses file: even where the page may read files, as a
// file:// page in Electron or Chromium with file access may), everything else through fetch().
import { isNode } from './capabilities.js';
import { VoxletError } from './errors.js';
import { importNodeBuiltin } from './node-builtins.js';

/**
 * @param {URL} url
 * @param {string} what  what the file is, for the error message ("the engine", "the lexicon")
 * @returns {Promise<Uint8Array>}
 */
export async function fetchBytes(url, what) {
  if (url.protocol === 'file:') return isNode() ? readFileInNode(url, what) : readFileInBrowser(url, what);
  let response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new VoxletError('ASSET_NOT_FOUND', `Cannot load ${what} from ${url}: ${cause.message}`, { cause });
  }
  if (!response.ok) throw new VoxletError('ASSET_NOT_FOUND', `Cannot load ${what} from ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function readFileInNode(url, what) {
  const { readFile } = await importNodeBuiltin('fs/promises');
  try {
    return new Uint8Array(await readFile(url));
  } catch (cause) {
    throw new VoxletError('ASSET_NOT_FOUND', `Cannot read ${what} at ${url.pathname}: ${cause.code ?? cause.message}; reinstall the voxlet package (in its repository: scripts/build)`, { cause });
  }
}

function readFileInBrowser(url, what) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('GET', url.href);
    request.responseType = 'arraybuffer';
    const fail = () =>
      reject(new VoxletError('ASSET_NOT_FOUND', `Cannot read ${what} at ${url.href}: this page may not read local files; serve it over http(s) (or, in Electron, a custom scheme; see the README)`));
    request.onload = () => (request.response && (request.status === 0 || request.status === 200) ? resolve(new Uint8Array(request.response)) : fail());
    request.onerror = fail;
    try {
      request.send();
    } catch {
      fail();
    }
  });
}
