// Nothing Voxlet-specific: only the headers that make the page cross-origin isolated, so WASM
// gets threads (VOXLET_ISOLATE=0 serves without them, as a plain static host would).
const isolate = process.env.VOXLET_ISOLATE !== '0';
const headers = isolate ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};

export default { server: { headers }, preview: { headers } };
