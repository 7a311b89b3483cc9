// Reads voice files over HTTP with download progress, keeping a copy in Cache
// Storage so a voice downloads once and then loads offline. The cache holds
// bytes only; whether they are right is decided by the loader's sha256 check,
// which evicts a bad copy and downloads again (see voice-loader.js).
import { VoxletError } from './errors.js';

export const VOICE_CACHE_NAME = 'voxlet-voices-v1';

/** Cache Storage is there (pages and workers on https or localhost, not Node). */
export function hasCacheStorage() {
  return typeof globalThis.caches?.open === 'function';
}

/**
 * The bytes at an http(s) URL: from the cache when present, else downloaded
 * (then cached). Progress: onProgress({ file, loaded, total, cached }).
 * @param {URL} url
 * @param {{ onProgress?: Function, useCache?: boolean }} [options]  useCache false:
 *   download even when a copy is cached (the copy is replaced)
 * @returns {Promise<Uint8Array>}
 */
export async function fetchVoiceFile(url, { onProgress, useCache = true } = {}) {
  const cache = hasCacheStorage() ? await openCache() : null;
  const cached = useCache ? await cache?.match(url.href) : undefined;
  if (cached) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    onProgress?.({ file: url.href, loaded: bytes.length, total: bytes.length, cached: true });
    return bytes;
  }
  const bytes = await download(url, onProgress);
  await cache?.put(url.href, new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } })).catch(() => {
    // Quota exceeded or private mode: the voice still plays, it just is not kept.
  });
  return bytes;
}

/** Whether a copy of the URL is in the cache. */
export async function isVoiceFileCached(url) {
  if (!hasCacheStorage()) return false;
  return Boolean(await (await openCache())?.match(url.href));
}

/** Drops a cached copy (after it failed verification). */
export async function evictVoiceFile(url) {
  if (!hasCacheStorage()) return false;
  return (await openCache())?.delete(url.href) ?? false;
}

async function openCache() {
  try {
    return await globalThis.caches.open(VOICE_CACHE_NAME);
  } catch {
    return null; // e.g. an opaque origin: behave as if there were no cache
  }
}

async function download(url, onProgress) {
  let response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new VoxletError('ASSET_NOT_FOUND', `network error: ${cause.message}`, { cause });
  }
  if (!response.ok) throw new VoxletError('ASSET_NOT_FOUND', `HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length')) || 0;
  if (!response.body || !onProgress) return new Uint8Array(await response.arrayBuffer());
  return readWithProgress(response.body, total, (loaded) => onProgress({ file: url.href, loaded, total, cached: false }));
}

async function readWithProgress(body, total, report) {
  const parts = [];
  let loaded = 0;
  report(0);
  for await (const part of body) {
    parts.push(part);
    loaded += part.length;
    report(loaded);
  }
  if (total && loaded < total) {
    throw new VoxletError('MODEL_TRUNCATED', `the download stopped after ${loaded} of ${total} bytes; try again`);
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}
