#!/usr/bin/env node
// Benchmarks every optimizer variant of the generated Piper-interface voice against
// fp32, side by side in one process per thread count (ORT Web fixes its thread
// count per process), interleaved runs, medians.
// With --voice, the variants a voice.json lists instead (no conversion), run on the
// engine's ids for the optimizer's three verification sentences.
//
//   node scripts/optimize/bench.mjs [--rounds 9] [--threads 1,2] [--model M.onnx]
//   node scripts/optimize/bench.mjs --voice models/voxlet-en-us-slt/voice.json [--rounds 5]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../web/src/engine.js';
import { VERIFY_SENTENCES, isPiperInterface, piperFeeds, randomIdLists } from '../../web/src/optimize/inputs.js';
import { convertModel, inspectModel } from '../../web/src/optimize/python.js';
import { performance } from 'node:perf_hooks';
import { compareModels, configureRuntime, openSession, runOnce } from '../../web/src/optimize/verify.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MODES = ['fp16', 'int8', 'int8-weights', 'pruned:0.3'];
const { values } = parseArgs({ options: {
  rounds: { type: 'string', default: '9' }, threads: { type: 'string', default: '1,2' },
  model: { type: 'string' }, voice: { type: 'string' }, child: { type: 'string' }, dir: { type: 'string' },
} });

// [{ mode, path }] of the variants to compare with `original`, and the id lists to feed.
async function plan(dir, inspection) {
  if (!values.voice) {
    return { original: path.join(dir, 'fp32.onnx'), variants: MODES.map((mode) => ({ mode, path: path.join(dir, `${mode}.onnx`) })), idLists: randomIdLists(inspection) };
  }
  const text = readFileSync(values.voice, 'utf8');
  const config = JSON.parse(text);
  const folder = path.dirname(values.voice);
  const engine = await Engine.load();
  engine.loadVoice(text);
  const idLists = VERIFY_SENTENCES.map((sentence) => engine.phonemize(sentence).sentences.flatMap((s) => s.ids));
  const fileOf = (v) => path.join(folder, v.file);
  const variants = config.voxlet.variants;
  return {
    original: fileOf(variants.find((v) => v.precision === 'fp32')),
    variants: variants.filter((v) => v.precision !== 'fp32').map((v) => ({ mode: v.precision, path: fileOf(v) })),
    idLists,
  };
}

// Sum over the inputs of each model's fastest run (interleaved rounds): on a shared machine
// the minimum is what the model costs, the median also measures the neighbours.
async function fastestRuns(originalPath, variantPath, feeds) {
  const sessions = [await openSession(originalPath, 'original'), await openSession(variantPath, 'optimized')];
  const best = sessions.map(() => feeds.map(() => Infinity));
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [f, feed] of feeds.entries()) {
      for (const [s, session] of sessions.entries()) {
        const started = performance.now();
        await runOnce(session, feed, 'bench');
        best[s][f] = Math.min(best[s][f], performance.now() - started);
      }
    }
  }
  await Promise.all(sessions.map((session) => session.release()));
  const [originalMin, variantMin] = best.map((times) => times.reduce((a, b) => a + b, 0));
  return { originalMin, variantMin };
}

async function child(threads, dir) {
  configureRuntime(threads);
  const inspection = await inspectModel(values.voice ? (await plan(dir, null)).original : path.join(dir, 'fp32.onnx'));
  if (!isPiperInterface(inspection)) throw new Error('bench.mjs needs a Piper-interface model');
  const { original, variants, idLists } = await plan(dir, inspection);
  const feeds = piperFeeds(idLists, inspection);
  const rows = [];
  for (const { mode, path: variantPath } of variants) {
    const result = await compareModels({ originalPath: original, variantPath, feeds, outputNames: ['output'], rounds: Number(values.rounds) });
    rows.push({ mode, threads, ...result, ...(await fastestRuns(original, variantPath, feeds)), size: statSync(variantPath).size });
  }
  console.log(JSON.stringify(rows));
}

async function parent() {
  const dir = mkdtempSync(path.join(tmpdir(), 'voxlet-bench-'));
  let original = path.join(dir, 'fp32.onnx');
  if (values.voice) {
    original = (await plan(dir, null)).original;
  } else {
    if (values.model) execFileSync('cp', [values.model, original]);
    else execFileSync('/usr/bin/python3', [path.join(HERE, 'make_test_voice.py'), original]);
    for (const mode of MODES) await convertModel(original, mode, path.join(dir, `${mode}.onnx`));
  }
  const fp32Size = statSync(original).size;
  const inputs = values.voice ? `the 3 verification sentences through ${values.voice}'s front end` : '3 inputs (21/47/93 ids)';
  console.log(`model: ${values.voice ?? values.model ?? 'make_test_voice.py defaults (192 channels, 3 blocks)'}; fp32 ${fp32Size} bytes; ${values.rounds} interleaved rounds of ${inputs}`);
  console.log('threads | variant      | size (% fp32)      | SNR dB | fp32 ms | variant ms | speed vs fp32 | min fp32 ms | min variant ms | speed (min)');
  for (const threads of values.threads.split(',').map(Number)) {
    const voice = values.voice ? ['--voice', values.voice] : [];
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(threads), '--dir', dir, '--rounds', values.rounds, ...voice], { encoding: 'utf8' });
    for (const r of JSON.parse(out.trim().split('\n').pop())) {
      console.log(`${threads}       | ${r.mode.padEnd(12)} | ${String(r.size).padStart(8)} (${(r.size / fp32Size * 100).toFixed(1).padStart(5)}%) | ${r.snrDb.toFixed(1).padStart(6)} | ${r.originalMs.toFixed(1).padStart(7)} | ${r.variantMs.toFixed(1).padStart(10)} | ${r.speedup.toFixed(2).padStart(12)}x | ${r.originalMin.toFixed(1).padStart(11)} | ${r.variantMin.toFixed(1).padStart(14)} | ${(r.originalMin / r.variantMin).toFixed(2)}x`);
    }
  }
}

if (values.child) await child(Number(values.child), values.dir);
else await parent();
