// Feature probes the loaders share. Kept tiny and synchronous; the full
// device profile (detect()) builds on these.

// The smallest module that uses SIMD: one function () -> v128 whose body is
// i32.const 0; i8x16.splat. WebAssembly.validate() is false without SIMD.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, // magic, version
  1, 5, 1, 96, 0, 1, 123, // type section: () -> v128
  3, 2, 1, 0, // function section
  10, 8, 1, 6, 0, 65, 0, 253, 15, 11, // code: i32.const 0, i8x16.splat, end
]);

export function hasWasmSimd() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

// Threads need SharedArrayBuffer, which browsers only grant to
// cross-origin-isolated pages (COOP same-origin + COEP require-corp).
export function hasWasmThreads() {
  if (typeof SharedArrayBuffer !== 'function') return false;
  if (typeof globalThis.crossOriginIsolated === 'boolean') return globalThis.crossOriginIsolated;
  return isNode(); // Node has no isolation concept; SAB is always usable there
}

/**
 * Why WASM runs on one thread in this context, or null where threads are allowed (and in Node).
 * Said rather than silent: a page that is not cross-origin isolated (a plain static host, a
 * file:// page) still speaks, only slower.
 */
export function isolationNote() {
  if (isNode() || hasWasmThreads()) return null;
  const where = globalThis.location?.protocol === 'file:' ? 'This file:// page' : 'This page';
  return `${where} is not cross-origin isolated, so WASM runs on one thread; for threads serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (in Electron: from a custom scheme that sends them, see examples/electron)`;
}

let isolationNoted = false;

/** isolationNote(), console.info'ed once per context; returns it. */
export function noteIsolation() {
  const note = isolationNote();
  if (note && !isolationNoted) console.info(`Voxlet: ${note}`);
  isolationNoted ||= Boolean(note);
  return note;
}

export function isNode() {
  return typeof process === 'object' && !!process.versions?.node && typeof window === 'undefined';
}
