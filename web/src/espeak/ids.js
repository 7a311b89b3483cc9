// Piper phonemes -> model ids, exactly as piper-phonemize's phonemes_to_ids:
//   ^ _ p1 _ p2 _ ... pN _ $     (a pad after BOS and after every phoneme found in the map)
// Phonemes missing from the map are skipped (no pad either) and counted.
//
// Why not the engine's PhonemeIdMapper (engine/include/voxlet/phoneme_ids.h)?
// It maps the engine's word/punctuation tokens, not a phoneme stream: for a
// missing punctuation mark it falls back to "." or "," where Piper skips it,
// and espeak's phonemes never pass through the engine (they come from this
// module), so a token round trip would only add ways to differ from Piper.
// This file has no espeak-ng code in it; it is MIT like the core.

/**
 * @param {string[]} phonemes  one code point each (a sentence, from EspeakPhonemizer)
 * @param {{ phoneme_id_map: Record<string, number[]>, voxlet?: { interspersed_pad?: boolean } }} config
 * @returns {{ ids: number[], starts: Int32Array, missing: Map<string, number> }}
 *   starts[k]: index in ids of phoneme k's first id, or -1 when the map lacks it
 */
export function phonemesToIds(phonemes, config) {
  const map = config.phoneme_id_map;
  const intersperse = config.voxlet?.interspersed_pad ?? true;
  const pad = map._ ?? [];
  const ids = [...(map['^'] ?? [])];
  if (intersperse) ids.push(...pad);
  const starts = new Int32Array(phonemes.length).fill(-1);
  const missing = new Map();
  phonemes.forEach((phoneme, index) => {
    const mapped = Object.hasOwn(map, phoneme) ? map[phoneme] : null;
    if (!mapped) {
      missing.set(phoneme, (missing.get(phoneme) ?? 0) + 1);
      return;
    }
    starts[index] = ids.length;
    ids.push(...mapped);
    if (intersperse) ids.push(...pad);
  });
  ids.push(...(map.$ ?? []));
  return { ids, starts, missing };
}

/**
 * The first id a config's phoneme_id_map uses that the model cannot embed, or null.
 * @param {Record<string, number[]>} idMap
 * @param {number} numSymbols
 * @returns {{ symbol: string, id: number }|null}
 */
export function idBeyondSymbols(idMap, numSymbols) {
  for (const [symbol, ids] of Object.entries(idMap ?? {})) {
    const id = ids.find((value) => value >= numSymbols);
    if (id !== undefined) return { symbol, id };
  }
  return null;
}
