// Keeps every same-origin file the app fetches (the page, voxlet's Worker, engine, lexicon and
// voice, ONNX Runtime's wasm), so the app works offline after its first visit. The network
// comes first, so an updated file replaces its copy; offline, the copy answers.
const CACHE = 'voxlet-pwa-v1';
// The page itself was fetched before this worker existed: keep the app shell from the start.
const SHELL = ['./', './index.html', './main.js', './manifest.webmanifest', './icon.svg'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
  self.skipWaiting();
});
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(networkThenCache(request));
});

async function networkThenCache(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const copy = await cache.match(request, { ignoreSearch: true });
    if (copy) return copy;
    throw error;
  }
}
