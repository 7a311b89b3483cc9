// Model families: what differs between voice models (their ONNX interface, front end,
// chunk limits, durations) sits in one module per family, behind one small contract
// the runtime calls; the runtime itself stays family-agnostic. Piper-interface voices
// (VITS: Voxlet's own, Piper's) are the runtime's default and have no module here yet.
//
// A family module exports:
//   loadSource(source, { precision, readBytes, toUrl, onProgress }) -> loaded
//     loaded: { config (with the Piper fields the engine validates), configText, model (bytes),
//               modelName, variant, verified, family, ... }
//   openModel(ort, session, loaded, onInference) -> { run(ids, { scales, sid }), hasDurations, release() }
//     (MODEL_MISMATCH when the session's interface is not the family's)
//   createChunkSource(loaded, { url, dataUrl }) -> (text, frontEnd) => Generator<engine-shaped chunk>
//
// Families are imported on first use, so a page that never loads such a voice never loads them.

/** The family a parsed voice config names ("family": "kokoro"), or null for Piper-interface voices. */
export function familyOf(config) {
  const name = config && typeof config === 'object' ? config.family : undefined;
  if (name === undefined || name === null || name === 'piper' || name === 'vits') return null;
  if (name === 'kokoro') return 'kokoro';
  return { unknown: String(name) };
}

/** The family module for a name from familyOf(). */
export async function loadFamily(name) {
  if (name === 'kokoro') return import('./kokoro/index.js');
  const { VoxletError } = await import('../errors.js');
  throw new VoxletError('INVALID_CONFIG', `Unknown model family "${name?.unknown ?? name}"; expected one of: piper (default), kokoro`);
}
