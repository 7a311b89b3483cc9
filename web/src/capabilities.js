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

export function isNode() {
  return typeof process === 'object' && !!process.versions?.node && typeof window === 'undefined';
}
