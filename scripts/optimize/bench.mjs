#!/usr/bin/env node
// Benchmarks every optimizer variant of the generated Piper-interface voice against
// fp32, side by side in one process per thread count (ORT Web fixes its thread
// count per process), interleaved runs, medians.
//
//   node scripts/optimize/bench.mjs [--rounds 9] [--threads 1,2] [--model M.onnx]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { isPiperInterface, piperFeeds, randomIdLists } from '../../web/src/optimize/inputs.js';
import { convertModel, inspectModel } from '../../web/src/optimize/python.js';
import { compareModels, configureRuntime } from '../../web/src/optimize/verify.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MODES = ['fp16', 'int8', 'int8-weights', 'pruned:0.3'];
const { values } = parseArgs({ options: {
  rounds: { type: 'string', default: '9' }, threads: { type: 'string', default: '1,2' },
  model: { type: 'string' }, child: { type: 'string' }, dir: { type: 'string' },
} });

async function child(threads, dir) {
  configureRuntime(threads);
  const original = path.join(dir, 'fp32.onnx');
  const inspection = await inspectModel(original);
  if (!isPiperInterface(inspection)) throw new Error('bench.mjs needs a Piper-interface model');
  const feeds = piperFeeds(randomIdLists(inspection), inspection);
  const rows = [];
  for (const mode of MODES) {
    const variantPath = path.join(dir, `${mode}.onnx`);
    const result = await compareModels({ originalPath: original, variantPath, feeds, outputNames: ['output'], rounds: Number(values.rounds) });
    rows.push({ mode, threads, ...result, size: statSync(variantPath).size });
  }
  console.log(JSON.stringify(rows));
}

async function parent() {
  const dir = mkdtempSync(path.join(tmpdir(), 'voxlet-bench-'));
  const original = path.join(dir, 'fp32.onnx');
  if (values.model) execFileSync('cp', [values.model, original]);
  else execFileSync('/usr/bin/python3', [path.join(HERE, 'make_test_voice.py'), original]);
  for (const mode of MODES) await convertModel(original, mode, path.join(dir, `${mode}.onnx`));
  const fp32Size = statSync(original).size;
  console.log(`model: ${values.model ?? 'make_test_voice.py defaults (192 channels, 3 blocks)'}; fp32 ${fp32Size} bytes; ${values.rounds} interleaved rounds of 3 inputs (21/47/93 ids)`);
  console.log('threads | variant      | size (% fp32)      | SNR dB | fp32 ms | variant ms | speed vs fp32');
  for (const threads of values.threads.split(',').map(Number)) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(threads), '--dir', dir, '--rounds', values.rounds], { encoding: 'utf8' });
    for (const r of JSON.parse(out.trim().split('\n').pop())) {
      console.log(`${threads}       | ${r.mode.padEnd(12)} | ${String(r.size).padStart(8)} (${(r.size / fp32Size * 100).toFixed(1).padStart(5)}%) | ${r.snrDb.toFixed(1).padStart(6)} | ${r.originalMs.toFixed(1).padStart(7)} | ${r.variantMs.toFixed(1).padStart(10)} | ${r.speedup.toFixed(2)}x`);
    }
  }
}

if (values.child) await child(Number(values.child), values.dir);
else await parent();
