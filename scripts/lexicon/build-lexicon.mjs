#!/usr/bin/env node
// Builds the Voxlet US English lexicon asset (.voxlex) from CMUdict:
// the dictionary (first pronunciation of each plain word, front coded) plus a
// letter-to-sound model trained on 98% of it and scored on the other 2%.
//
//   node scripts/lexicon/build-lexicon.mjs --out PATH [--report]
//
// Output is byte-for-byte deterministic. Format: scripts/lexicon/asset.mjs and
// docs/g2p.md.

import { writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

import { alignWords, letterIndex } from './align.mjs';
import { assembleAsset, encodeEntries, fnv1a, HEADER_SIZE } from './asset.mjs';
import { predictLts, serializeLts, trainLts } from './lts.mjs';
import { BASE_INDEX, phoneCode, stripStress } from './phones.mjs';

const HOLDOUT_MODULUS = 50; // 1 word in 50 (2%) is held out of LTS training

function parseArgs(argv) {
  const args = { out: null, report: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') args.out = argv[++i];
    else if (argv[i] === '--report') args.report = true;
    else throw new Error(`Unknown argument "${argv[i]}"; usage: --out PATH [--report]`);
  }
  if (!args.out) throw new Error('Missing --out PATH');
  return args;
}

// The package lives in web/node_modules, not next to this script.
async function loadCmudict() {
  const require = createRequire(new URL('../../web/package.json', import.meta.url));
  const path = require.resolve('cmu-pronouncing-dictionary');
  const { dictionary } = await import(pathToFileURL(path).href);
  return dictionary;
}

// [[word, phones[]]] sorted, first pronunciation only, plain words only.
function plainEntries(dictionary) {
  const entries = [];
  for (const [key, value] of Object.entries(dictionary)) {
    if (!/^[a-z']+$/.test(key)) continue; // variants "(2)", "a.d.", "all-out"
    const phones = value.split('#')[0].trim().split(/\s+/); // drop "# place, dutch"
    if (phones.some((p) => phoneCode(p) === undefined)) continue;
    entries.push([key, phones]);
  }
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function isHeldOut(word) {
  return fnv1a(Buffer.from(word, 'latin1')) % HOLDOUT_MODULUS === 0;
}

// Aligned training words: each letter gets its chunk of phones with stress.
function alignTraining(entries, log) {
  const words = entries.map(([word, phones]) => ({
    letters: [...word].map(letterIndex),
    phones: phones.map((p) => BASE_INDEX.get(stripStress(p))),
  }));
  const lengths = alignWords(words, { log });
  const aligned = [];
  entries.forEach(([word, phones], w) => {
    if (!lengths[w]) return;
    let next = 0;
    const chunks = lengths[w].map((n) => phones.slice(next, (next += n)).join(' '));
    aligned.push({ word, chunks });
  });
  return aligned;
}

function editDistance(a, b) {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length];
}

function evaluate(model, heldOut) {
  let exact = 0, exactNoStress = 0, errors = 0, errorsNoStress = 0, phones = 0;
  for (const [word, reference] of heldOut) {
    const predicted = predictLts(model, word);
    const bare = (list) => list.map(stripStress);
    if (predicted.join(' ') === reference.join(' ')) exact++;
    if (bare(predicted).join(' ') === bare(reference).join(' ')) exactNoStress++;
    errors += editDistance(predicted, reference);
    errorsNoStress += editDistance(bare(predicted), bare(reference));
    phones += reference.length;
  }
  const pct = (x, n) => ((100 * x) / n).toFixed(1);
  return {
    words: heldOut.length,
    wordAccuracy: pct(exact, heldOut.length),
    wordAccuracyNoStress: pct(exactNoStress, heldOut.length),
    phoneErrorRate: pct(errors, phones),
    phoneErrorRateNoStress: pct(errorsNoStress, phones),
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const log = args.report ? (line) => console.log(line) : () => {};
  const entries = plainEntries(await loadCmudict());
  const training = entries.filter(([w]) => !isHeldOut(w));
  const heldOut = entries.filter(([w]) => isHeldOut(w));
  log(`CMUdict plain words: ${entries.length} (LTS training ${training.length}, held out ${heldOut.length})`);

  const aligned = alignTraining(training, log);
  const model = trainLts(aligned);
  const lts = serializeLts(model);
  const { codes, index, entries: entryBytes } = encodeEntries(entries);
  const asset = assembleAsset({ wordCount: entries.length, codes, index, entries: entryBytes, lts });
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, asset);

  if (args.report) {
    const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
    log(`Aligned for training: ${aligned.length} words, ${model.instances} letters, ${model.classNames.length} classes`);
    log(`LTS tree: ${model.keys.length} nodes`);
    log(`Sizes: header ${HEADER_SIZE} B, codes ${codes.length} B, index ${kb(index.length)}, entries ${kb(entryBytes.length)}, ` +
        `lts ${kb(lts.length)}, total ${kb(asset.length)} (${asset.length} bytes)`);
    const score = evaluate(model, heldOut);
    log(`Held-out LTS (${score.words} words): word accuracy ${score.wordAccuracy}% with stress, ` +
        `${score.wordAccuracyNoStress}% without; phone error rate ${score.phoneErrorRate}% with stress, ` +
        `${score.phoneErrorRateNoStress}% without`);
    log(`Wrote ${args.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
