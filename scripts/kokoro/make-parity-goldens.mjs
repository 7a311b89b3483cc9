#!/usr/bin/env node
// Writes tests/golden/kokoro_parity.jsonl: kokoro-js 1.2.1's own phonemes for every
// sentence in scripts/kokoro/parity-sentences.txt, in both English accents
// (a = en-us, b = en-gb), with the ids Kokoro's model gets.
//
//   node scripts/kokoro/make-parity-goldens.mjs        (after scripts/setup)
//
// kokoro-js does not export phonemize(): it is a function inside dist/kokoro.js.
// This script copies that file into web/node_modules/.cache/ with the function
// added to the export list (so its own imports of "phonemizer" and
// "@huggingface/transformers" resolve from web/node_modules) and calls it. The
// phonemes are kokoro-js's, never Voxlet's. The ids follow Kokoro's KModel: each
// phoneme character's id in the vocab of Kokoro's config.json (characters absent
// from it dropped), wrapped in the pad id 0 at both ends, which is what kokoro-js's
// tokenizer (a character-level WordLevel model with "$"=0 around the text) gives.
// The vocab is read from models/kokoro-82m-v1.0/voice.json (kokoro.vocab), copied
// from hexgrad/Kokoro-82M's config.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const web = join(root, 'web');
const EXPECTED_VERSION = '1.2.1';

const kokoroPackage = JSON.parse(readFileSync(join(web, 'node_modules/kokoro-js/package.json'), 'utf8'));
if (kokoroPackage.version !== EXPECTED_VERSION) {
  throw new Error(`kokoro-js ${kokoroPackage.version} is installed; the goldens are for ${EXPECTED_VERSION} (run scripts/setup)`);
}
const phonemizerVersion = JSON.parse(readFileSync(join(web, 'node_modules/phonemizer/package.json'), 'utf8')).version;

// In 1.2.1's minified build, phonemize is `async function m(e,a="a",t=!0)` and the module ends
// with `export{M as KokoroTTS,w as TextSplitterStream,Q as env}`. Both are checked, so a
// different build fails here instead of exporting the wrong function.
const source = readFileSync(join(web, 'node_modules/kokoro-js/dist/kokoro.js'), 'utf8');
const SIGNATURE = 'async function m(e,a="a",t=!0){';
const EXPORTS = 'export{M as KokoroTTS,w as TextSplitterStream,Q as env}';
if (source.split(SIGNATURE).length !== 2 || source.split(EXPORTS).length !== 2) {
  throw new Error('kokoro-js/dist/kokoro.js does not have the expected phonemize function and export list');
}
const cache = join(web, 'node_modules/.cache/voxlet-kokoro-parity');
mkdirSync(cache, { recursive: true });
const patched = join(cache, 'kokoro.mjs');
writeFileSync(patched, source.replace(EXPORTS, 'export{M as KokoroTTS,w as TextSplitterStream,Q as env,m as phonemize}'));
const { phonemize } = await import(pathToFileURL(patched).href);

const voice = JSON.parse(readFileSync(join(root, 'models/kokoro-82m-v1.0/voice.json'), 'utf8'));
const vocab = voice.kokoro.vocab;
const toIds = (phonemes) => [0, ...Array.from(phonemes).flatMap((c) => (Object.hasOwn(vocab, c) ? [vocab[c]] : [])), 0];

const sentences = readFileSync(join(root, 'scripts/kokoro/parity-sentences.txt'), 'utf8')
  .split('\n')
  .filter((line) => line.length > 0 && !line.startsWith('#'))
  .map((line) => line.replaceAll('\\n', '\n').replaceAll('\\t', '\t'));

const rows = [];
for (const lang of ['a', 'b']) {
  for (const text of sentences) {
    const phonemes = await phonemize(text, lang);
    const ids = toIds(phonemes);
    if (ids.length > 512) throw new Error(`"${text}" has ${ids.length - 2} phoneme ids, over Kokoro's 510`);
    rows.push({ text, lang, phonemes, ids });
  }
}
const header = {
  comment: `kokoro-js ${kokoroPackage.version} phonemize(text, lang) with phonemizer ${phonemizerVersion}; ids = [0, vocab[c] for c in phonemes if c in vocab, 0]. Written by scripts/kokoro/make-parity-goldens.mjs; do not edit.`,
};
const out = join(root, 'tests/golden/kokoro_parity.jsonl');
writeFileSync(out, [header, ...rows].map((row) => JSON.stringify(row)).join('\n') + '\n');
console.log(`wrote ${rows.length} rows (${sentences.length} per accent) to ${out}`);
