// How the app:// scheme answers a request: the file under the app's folder and the headers
// that make the page cross-origin isolated (COOP/COEP), so WASM runs on several threads. Pure
// (no Electron), so the same answers are tested in Chromium (tests/consumer/electron.test.mjs).
import path from 'node:path';

export const SCHEME = 'app';
export const HOST = 'voxlet';

const TYPES = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json',
  '.wasm': 'application/wasm', '.css': 'text/css', '.onnx': 'application/octet-stream', '.voxlex': 'application/octet-stream',
};

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * @param {string} url  the request's URL (app://voxlet/index.html, or http://host/... in tests)
 * @param {string} root  the app's folder
 * @returns {{ file: string|null, status: number, headers: Record<string, string> }}
 */
export function resolveAppRequest(url, root) {
  const { pathname } = new URL(url);
  const relative = decodeURIComponent(pathname).replace(/^\/+/, '') || 'index.html';
  const file = path.resolve(root, relative);
  if (!file.startsWith(path.resolve(root) + path.sep)) return { file: null, status: 403, headers: {} };
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  return { file, status: 200, headers: { 'Content-Type': type, ...ISOLATION_HEADERS } };
}
