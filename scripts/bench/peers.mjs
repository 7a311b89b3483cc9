#!/usr/bin/env node
// Voxlet against its peers on the same Piper model and texts, interleaved round by round
// (these machines are shared and noisy: only same-round ratios mean much). Node mode:
//   voxlet-1t      Voxlet in-process, 1 WASM thread, the tuner's chunk sizes (tune(), no calibration)
//   voxlet-2t      Voxlet in a worker thread, 2 WASM threads, the same chunk sizes
//   ort-raw        onnxruntime-web alone, 1 thread: one session.run per sentence on Voxlet's ids
//                  (no front end, no post-processing: the floor)
//   sherpa-onnx    npm sherpa-onnx's WebAssembly build, 1 thread, one sentence per callback
// Each contender runs in a fresh process per round, so load is a cold start every time.
// Prints load, first audio for the 50-word paragraph (after a warm-up sentence), RTF for the
// 10-word sentence and the paragraph, peak RSS, medians and ratios against voxlet-1t; --json.
//
//   node scripts/bench/peers.mjs [--voice VOICE.onnx.json] [--rounds 3] [--only a,b] [--json]
// Default voice: ../shared/fixtures/piper-medium-random (random weights: speed only, never quality).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORK = path.join(ROOT, 'build/bench/peers');
const DEFAULT_VOICE = path.join(ROOT, '../shared/fixtures/piper-medium-random/en_US-random-medium.onnx.json');
export const TEXTS = {
  warmup: 'This sentence warms everything up.',
  ten: 'The quick brown fox jumps over the lazy dog today.',
  fifty:
    'Voxlet reads text aloud in the browser without a server. It turns words into sounds, ' +
    'runs a neural voice on the device, and streams the audio as it is made. A listener hears ' +
    'the first words quickly, while the rest of the paragraph is still being synthesized in the ' +
    'background, one short chunk after another.',
};
const CONTENDERS = ['voxlet-1t', 'voxlet-2t', 'ort-raw', 'sherpa-onnx'];

function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// ---------------------------------------------------------------- the parent: rounds and report

async function main() {
  const { values } = parseArgs({ options: { voice: { type: 'string' }, rounds: { type: 'string', default: '3' }, only: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const voice = path.resolve(values.voice ?? DEFAULT_VOICE);
  const rounds = Number(values.rounds);
  const contenders = values.only ? values.only.split(',') : CONTENDERS;
  const setup = prepare(voice);
  const results = Object.fromEntries(contenders.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = contenders.map((_, k) => contenders[(k + round) % contenders.length]); // rotate who goes first
    for (const name of order) {
      const result = await runChild(name, setup);
      results[name].push(result);
      if (!values.json) process.stderr.write(`round ${round + 1}/${rounds} ${name}: ${result.error ?? `load ${result.loadMs?.toFixed(0)} ms, first audio ${result.firstAudioMs?.toFixed(0)} ms`}\n`);
    }
  }
  const summary = summarize(results);
  if (values.json) console.log(JSON.stringify({ voice, rounds, texts: TEXTS, summary, results }, null, 2));
  else printTable(summary, { voice, rounds });
}

// Model forms the peers need: sherpa-onnx's metadata + tokens.txt + espeak-ng data; Voxlet's ids for ort-raw.
function prepare(voice) {
  mkdirSync(WORK, { recursive: true });
  const sherpaDir = path.join(WORK, 'sherpa');
  const model = voice.replace(/\.json$/, '');
  if (!existsSync(path.join(sherpaDir, 'tokens.txt'))) {
    run('/usr/bin/python3', [path.join(ROOT, 'scripts/bench/peers/sherpa_model.py'), model, voice, sherpaDir]);
  }
  run(process.execPath, [path.join(ROOT, 'scripts/piper/extract-espeak-data.mjs'), sherpaDir]);
  return { voice, model, sherpaDir };
}

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
}

function runChild(name, setup) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--no-experimental-fetch', fileURLToPath(import.meta.url), '--child', name, JSON.stringify(setup)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (data) => (out += data));
    child.stderr.on('data', (data) => (err += data));
    child.on('exit', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)));
      } catch {
        resolve({ error: `no result (${err.trim().split('\n').at(-1) ?? 'silent exit'})` });
      }
    });
  });
}

function summarize(results) {
  const fields = ['loadMs', 'firstAudioMs', 'rtfTen', 'rtfFifty', 'peakRssMb'];
  const summary = {};
  for (const [name, runs] of Object.entries(results)) {
    summary[name] = Object.fromEntries(fields.map((field) => [field, median(runs.map((run) => run[field]))]));
    summary[name].errors = runs.filter((run) => run.error).map((run) => run.error);
  }
  const base = summary['voxlet-1t'];
  for (const entry of Object.values(summary)) {
    entry.vsVoxlet = base ? Object.fromEntries(fields.map((field) => [field, entry[field] && base[field] ? entry[field] / base[field] : null])) : null;
  }
  return summary;
}

function printTable(summary, { voice, rounds }) {
  const fmt = (value, digits = 0) => (value === null || value === undefined ? '—' : value.toFixed(digits));
  console.log(`voice ${path.basename(voice)}, ${rounds} rounds, medians (ratio = contender / voxlet-1t)`);
  console.log('contender      load ms (x)      first audio ms (x)   RTF 10 words (x)   RTF 50 words (x)   peak RSS MB');
  for (const [name, s] of Object.entries(summary)) {
    const r = s.vsVoxlet ?? {};
    console.log(
      `${name.padEnd(14)} ${fmt(s.loadMs).padStart(7)} (${fmt(r.loadMs, 2)})   ${fmt(s.firstAudioMs).padStart(7)} (${fmt(r.firstAudioMs, 2)})     ` +
        `${fmt(s.rtfTen, 3).padStart(6)} (${fmt(r.rtfTen, 2)})     ${fmt(s.rtfFifty, 3).padStart(6)} (${fmt(r.rtfFifty, 2)})     ${fmt(s.peakRssMb)}` +
        (s.errors.length ? `   errors: ${s.errors.join('; ')}` : ''),
    );
  }
}

// ---------------------------------------------------------------- one contender, in a fresh process

async function child(name, setup) {
  const measure = { voxlet: measureVoxlet, ort: measureOrtRaw, sherpa: measureSherpa }[name.split('-')[0]];
  const result = await measure(name, setup);
  result.peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ name, ...result }));
  process.exit(0);
}

async function measureVoxlet(name, { voice }) {
  const started = performance.now();
  const { Voxlet } = await import(pathToFileURL(path.join(ROOT, 'web/src/index.js')).href);
  const threads = name === 'voxlet-2t' ? 2 : 1;
  const tts = await Voxlet.create({ backend: 'wasm', threads, worker: threads > 1 });
  await tts.loadVoice(voice);
  const loadMs = performance.now() - started;
  await tts.tune({ measure: false }).catch(() => null); // the plan's chunk sizes (its precision: this voice has one)
  await tts.synthesize(TEXTS.warmup);
  const fifty = await timeStream(tts, TEXTS.fifty);
  const ten = await timeStream(tts, TEXTS.ten);
  await tts.dispose();
  return { loadMs, firstAudioMs: fifty.firstMs, rtfTen: ten.rtf, rtfFifty: fifty.rtf };
}

async function timeStream(tts, text) {
  const started = performance.now();
  let firstMs = null;
  let samples = 0;
  let rate = 22050;
  for await (const chunk of tts.stream(text)) {
    firstMs ??= performance.now() - started;
    samples += chunk.audio.length;
    rate = chunk.sampleRate;
  }
  return { firstMs, rtf: (performance.now() - started) / 1000 / (samples / rate) };
}

// The floor: ORT alone on the ids Voxlet feeds the model, sentence by sentence.
async function measureOrtRaw(name, { voice, model }) {
  const { loadEspeakPhonemizer } = await import(pathToFileURL(path.join(ROOT, 'web/src/espeak/phonemizer.js')).href);
  const { espeakChunkSource } = await import(pathToFileURL(path.join(ROOT, 'web/src/espeak/chunks.js')).href);
  const config = JSON.parse(readFileSync(voice, 'utf8'));
  const chunks = espeakChunkSource(await loadEspeakPhonemizer(), config);
  const idsOf = (text) => [...chunks(text)].map((chunk) => chunk.ids);
  const texts = Object.fromEntries(Object.entries(TEXTS).map(([key, text]) => [key, idsOf(text)]));
  const started = performance.now();
  const ort = await import(pathToFileURL(path.join(ROOT, 'web/node_modules/onnxruntime-web/dist/ort.node.min.mjs')).href);
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(readFileSync(model), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const loadMs = performance.now() - started;
  const { noise_scale = 0.667, length_scale = 1, noise_w = 0.8 } = config.inference ?? {};
  const runOne = async (ids) => {
    const feeds = {
      input: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      input_lengths: new ort.Tensor('int64', BigInt64Array.from([BigInt(ids.length)]), [1]),
      scales: new ort.Tensor('float32', Float32Array.from([noise_scale, length_scale, noise_w]), [3]),
    };
    const output = await session.run(feeds);
    return output.output.data.length;
  };
  const timeAll = async (sentences) => {
    const begun = performance.now();
    let firstMs = null;
    let samples = 0;
    for (const ids of sentences) {
      samples += await runOne(ids);
      firstMs ??= performance.now() - begun;
    }
    return { firstMs, rtf: (performance.now() - begun) / 1000 / (samples / config.audio.sample_rate) };
  };
  await timeAll(texts.warmup);
  const fifty = await timeAll(texts.fifty);
  const ten = await timeAll(texts.ten);
  return { loadMs, firstAudioMs: fifty.firstMs, rtfTen: ten.rtf, rtfFifty: fifty.rtf };
}

async function measureSherpa(name, { sherpaDir }) {
  const { createRequire } = await import('node:module');
  const started = performance.now();
  const sherpa = createRequire(path.join(ROOT, 'web/package.json'))('sherpa-onnx');
  const tts = sherpa.createOfflineTts({
    offlineTtsModelConfig: { offlineTtsVitsModelConfig: { model: path.join(sherpaDir, 'model.onnx'), tokens: path.join(sherpaDir, 'tokens.txt'), dataDir: path.join(sherpaDir, 'espeak-ng-data') }, numThreads: 1, provider: 'cpu', debug: 0 },
    maxNumSentences: 1,
  });
  const loadMs = performance.now() - started;
  const timeOne = (text) => {
    const begun = performance.now();
    let firstMs = null;
    const audio = tts.generateWithConfig(text, { sid: 0, speed: 1, callback: () => ((firstMs ??= performance.now() - begun), 1) });
    return { firstMs, rtf: (performance.now() - begun) / 1000 / (audio.samples.length / audio.sampleRate) };
  };
  timeOne(TEXTS.warmup);
  const fifty = timeOne(TEXTS.fifty);
  const ten = timeOne(TEXTS.ten);
  return { loadMs, firstAudioMs: fifty.firstMs, rtfTen: ten.rtf, rtfFifty: fifty.rtf };
}

// Run as a script (peers-browser.mjs imports TEXTS only).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--child') await child(process.argv[3], JSON.parse(process.argv[4]));
  else await main();
}
