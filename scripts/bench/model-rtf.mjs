#!/usr/bin/env node
// Real-time factor of ONNX voice models side by side: one Node process, ONNX Runtime Web
// (WASM, 1 thread), the same engine ids for every model, interleaved rounds, medians.
// Prints wall-time and CPU-time RTF per model and each model's speed relative to the first.
// CPU time (process.cpuUsage) is what an idle machine would show: with one thread all
// inference runs on this thread, while wall time also counts waiting for a shared core.
//
//   node scripts/bench/model-rtf.mjs BASELINE.onnx OTHER.onnx... [--voice voice.json] [--rounds 7]
//
// Baseline for the default voice's DSP change (docs/benchmarks.md):
//   git show f840e89~1:models/voxlet-en-us-slt/model.onnx > /tmp/before.onnx
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Engine } from '../../web/src/engine.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TEXT = 'It is the chief occupation of mankind. The quick brown fox jumps over the lazy dog, '
  + 'and then it runs far away into the woods. Numbers like 42 and dates like May 5 are read aloud.';

const { values, positionals: models } = parseArgs({
  allowPositionals: true,
  options: { voice: { type: 'string', default: path.join(ROOT, 'models/voxlet-en-us-slt/voice.json') },
    rounds: { type: 'string', default: '7' } },
});
if (models.length === 0) throw new Error('usage: model-rtf.mjs BASELINE.onnx [OTHER.onnx...] [--voice V] [--rounds N]');

const ort = await import(path.join(ROOT, 'web/node_modules/onnxruntime-web/dist/ort.node.min.mjs'));
ort.env.wasm.numThreads = 1;
const config = readFileSync(values.voice, 'utf8');
const sampleRate = JSON.parse(config).audio.sample_rate;
const engine = await Engine.load();
engine.loadVoice(config);
const idLists = engine.phonemize(TEXT).sentences.map((s) => s.ids);

function feeds(ids) {
  return {
    input: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
    input_lengths: new ort.Tensor('int64', BigInt64Array.from([BigInt(ids.length)]), [1]),
    scales: new ort.Tensor('float32', Float32Array.from([0.667, 1, 0.8]), [3]),
  };
}

// One pass over every sentence: { wall, cpu } milliseconds and the samples produced.
async function pass(session) {
  let wall = 0, cpu = 0, samples = 0;
  for (const ids of idLists) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const out = await session.run(feeds(ids));
    wall += performance.now() - started;
    const used = process.cpuUsage(cpuBefore);
    cpu += (used.user + used.system) / 1000;
    samples += out.output.data.length;
  }
  return { wall, cpu, samples };
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const sessions = [];
for (const model of models) {
  const session = await ort.InferenceSession.create(readFileSync(model), { executionProviders: ['wasm'] });
  await pass(session); // warm-up: kernel set-up stays out of the timing
  sessions.push(session);
}
const runs = models.map(() => []);
for (let round = 0; round < Number(values.rounds); round++) {
  for (let i = 0; i < sessions.length; i++) runs[i].push(await pass(sessions[i]));
}
console.log(`${idLists.length} sentences, ${values.rounds} interleaved rounds, 1 WASM thread`);
// Speed is compared per second of audio: models may give the same ids different durations.
const cpuRtf = (i) => median(runs[i].map((r) => r.cpu)) / 1000 / (runs[i][0].samples / sampleRate);
models.forEach((model, i) => {
  const audio = runs[i][0].samples / sampleRate;
  const wall = median(runs[i].map((r) => r.wall));
  console.log(`${model}: ${audio.toFixed(2)} s of audio, RTF wall ${(wall / 1000 / audio).toFixed(4)}, `
    + `RTF CPU ${cpuRtf(i).toFixed(4)}, ${(cpuRtf(0) / cpuRtf(i)).toFixed(2)}x the first model's speed (CPU time per audio second)`);
});
