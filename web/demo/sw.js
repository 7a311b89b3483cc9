// The demo's service worker: offline use and cross-origin isolation.
//
// - On install it precaches the app shell, the package's modules (found by
//   following imports), both engine builds, the lexicon, the ONNX Runtime Web
//   files the WASM backend uses and the built-in voice (every listed variant).
//   The WebGPU bundle (27 MB) is cached when first fetched, or when the page
//   reports that it runs on WebGPU. Bump VERSION to drop every cache.
// - Network first (cache fallback) for what changes with the repository: the
//   shell, ../src, ../dist, voice configs and models (a server that sends ETags
//   answers these with a cheap 304; the engine's .mjs and .wasm stay a matching
//   pair). Cache first for ONNX Runtime Web's files, versioned by its pinned npm
//   version.
// - Scope: the repository root where the server allows it (Service-Worker-Allowed,
//   as scripts/serve.mjs sends), so the Workers that Voxlet and ONNX Runtime start
//   are controlled too. Only then, when the server sent no COOP/COEP, responses get
//   COOP/COEP/CORP here (the coi-serviceworker idea) and app.js reloads once, so
//   the page becomes cross-origin isolated (threads). With this folder as scope
//   (a host that sends no headers) it only caches, and app.js runs Voxlet on the
//   page thread so that every fetch passes through here.

const VERSION = 'voxlet-demo-v3'; // v3: the default voice was retrained again (new model files)
const CACHE = `${VERSION}`;

// Paths relative to this file.
const SHELL = ['./', 'index.html', 'app.js', 'piper-voices.js', 'visualize.js', 'style.css', 'manifest.webmanifest', 'icon.svg', 'bench.html', 'bench.js'];
// The package's modules are found by following imports from these entry points
// (so the list stays right as web/src grows), plus the engine builds and the lexicon.
const MODULE_ENTRIES = ['../src/index.js', '../src/worker/voxlet-worker.js', '../src/audio/player.js', '../src/audio/player-worklet.js', '../src/bench-stats.js', '../src/stage-times.js'];
const PACKAGE = [
  '../dist/engine/voxlet-engine-simd.mjs',
  '../dist/engine/voxlet-engine-simd.wasm',
  '../dist/engine/voxlet-engine-simd-threads.mjs',
  '../dist/engine/voxlet-engine-simd-threads.wasm',
  '../dist/assets/en_us.voxlex',
];
// Optional: present in some builds only (Emscripten's separate pthread worker file).
const OPTIONAL = ['../dist/engine/voxlet-engine-simd-threads.worker.js'];
const ORT_DIR = '../node_modules/onnxruntime-web/dist/';
const ORT_WASM = ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'].map((f) => ORT_DIR + f);
// The WebGPU bundle and its 27 MB wasm: cached when the page reports that it uses them.
const ORT_WEBGPU = ['ort.webgpu.min.mjs', 'ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'].map((f) => ORT_DIR + f);
const VOICES = ['../../models/voxlet-en-us-slt/voice.json'];

const here = (path) => new URL(path, self.location.href).href;
const ortPrefix = here(ORT_DIR);
const siteRoot = here('../../'); // the repository root as served

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const required = [...SHELL, ...PACKAGE, ...ORT_WASM, ...VOICES].map(here);
      await Promise.all(required.map((url) => fetchInto(cache, url, { required: true })));
      await Promise.all(OPTIONAL.map((path) => fetchInto(cache, here(path), { required: false })));
      await precacheModules(cache, MODULE_ENTRIES.map(here));
      // Each voice's model files, as its config lists them (Piper configs: <name>.onnx next to <name>.onnx.json).
      for (const configUrl of VOICES.map(here)) {
        const config = await (await cache.match(configUrl))?.json().catch(() => null);
        const files = config?.voxlet?.variants?.map((v) => v.file) ?? [configUrl.endsWith('.onnx.json') ? configUrl.slice(0, -5) : 'model.onnx'];
        await Promise.all([...new Set(files)].map((file) => fetchInto(cache, new URL(file, configUrl).href, { required: false })));
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((name) => name.startsWith('voxlet-demo-') && name !== CACHE).map((name) => caches.delete(name)));
      await self.clients.claim();
    })(),
  );
});

// app.js posts the URLs the page fetched before this worker controlled it, and the
// backend it runs (Voxlet's own Worker fetches ONNX Runtime, out of the page's sight).
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'cache-urls' || !Array.isArray(event.data.urls)) return;
  const urls = [...event.data.urls, ...(event.data.backend === 'webgpu' ? ORT_WEBGPU : ORT_WASM).map(here)];
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const url of urls) {
        if (typeof url !== 'string' || !isCacheable(new URL(url))) continue;
        if (!(await cache.match(url))) await fetchInto(cache, url, { required: false });
      }
    })(),
  );
});

async function fetchInto(cache, url, { required }) {
  try {
    const response = await fetch(url, { cache: 'no-cache' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    await cache.put(url, response.clone());
    return response;
  } catch (error) {
    if (required) throw new Error(`Voxlet demo service worker: cannot precache ${url}: ${error.message}`);
    return null;
  }
}

// Static imports, dynamic imports with a literal and new URL('./x.js', import.meta.url).
const IMPORT_PATTERN = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)['"](\.{1,2}\/[^'"\s]+\.m?js)['"]/g;
const SRC_ROOT = here('../src/');

/** Caches the package's module graph under ../src/ (entry points that are missing are skipped). */
async function precacheModules(cache, entries) {
  const seen = new Set();
  const visit = async (url) => {
    if (seen.has(url) || !url.startsWith(SRC_ROOT)) return;
    seen.add(url);
    const response = await fetchInto(cache, url, { required: false });
    if (!response) return;
    const source = await response.text();
    const found = [...source.matchAll(IMPORT_PATTERN)].map((match) => new URL(match[1], url).href);
    await Promise.all(found.map(visit));
  };
  await Promise.all(entries.map(visit));
}

function isCacheable(url) {
  // Same origin, under the served tree, no query strings.
  return url.origin === self.location.origin && url.href.startsWith(siteRoot) && !url.search && !url.pathname.endsWith('/sw.js');
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.headers.has('range')) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(respond(event, request, url));
});

async function respond(event, request, url) {
  const cacheKey = url.origin + url.pathname; // the shell is cached without ?query
  const response = url.href.startsWith(ortPrefix) ? await cacheFirst(event, request, cacheKey) : await networkFirst(event, request, cacheKey, url);
  return isolate(response);
}

async function cacheFirst(event, request, cacheKey) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(cacheKey);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') event.waitUntil(cache.put(cacheKey, response.clone()));
  return response;
}

async function networkFirst(event, request, cacheKey, url) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic' && isCacheable(url)) {
      // Skip rewriting an unchanged large file (304 from the server comes back as this same 200).
      const cached = await cache.match(cacheKey);
      const etag = response.headers.get('etag');
      if (!cached || !etag || cached.headers.get('etag') !== etag) event.waitUntil(cache.put(cacheKey, response.clone()));
    }
    return response;
  } catch (error) {
    const cached = (await cache.match(cacheKey)) ?? (request.mode === 'navigate' ? await cache.match(here('index.html')) : null);
    if (cached) return cached;
    throw error;
  }
}

// Adds COOP/COEP/CORP when the server did not: the coi-serviceworker technique.
// Only with the repository root as scope: otherwise the Workers that Voxlet and
// ONNX Runtime start (scripts outside this folder) are not controlled, and an
// isolated page would refuse them or, offline, wait for them forever.
function isolate(response) {
  if (self.registration.scope !== siteRoot) return response;
  if (!response || response.status === 0 || response.type === 'opaqueredirect' || response.type === 'opaque') return response;
  if (response.headers.get('cross-origin-embedder-policy')) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  if (!headers.has('cross-origin-resource-policy')) headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
