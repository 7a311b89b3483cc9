#!/usr/bin/env node
// ONNX Runtime Web's WASM memory for a voice, chunk by chunk (issue 14, item 9):
// the engine's real front end plans the chunks of a text with the voice's
// settings (or --max-chunk-ids / --rate), each chunk runs through an ORT Web
// session (WASM backend, Node), and the size of ORT's WebAssembly memory is
// read after every run. That memory grows to the largest run's need and never
// shrinks, so the last figure is the peak.
//
//   node --no-experimental-fetch scripts/ort-memory.mjs [--voice models/voxlet-en-us-slt]
//     [--precision fp32] [--text FILE] [--max-chunk-ids N] [--rate R] [--threads N]
//     [--session-option enableCpuMemArena=false ...]
//
// How the memory is read: ORT's module is internal, so WebAssembly.Memory and
// WebAssembly.instantiate are wrapped before ORT loads and the memories ORT
// creates (its heap: shared with threads, exported without) are kept; the
// wrappers are removed before the engine's own WASM loads.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    voice: { type: 'string', default: 'models/voxlet-en-us-slt' },
    precision: { type: 'string', default: 'fp32' },
    text: { type: 'string' },
    'max-chunk-ids': { type: 'string' },
    rate: { type: 'string', default: '1' },
    threads: { type: 'string', default: '1' },
    'session-option': { type: 'string', multiple: true, default: [] },
  },
});
const root = new URL('../', import.meta.url);
// The default text: 286 words of plain prose (the issue's "300-word speak()").
const PROSE = 'The old lighthouse stood at the edge of the cliff for more than a century, watching ships pass through the narrow strait below. Every evening the keeper climbed the spiral stairs, trimmed the wick and polished the great lens until it gleamed. Sailors knew the rhythm of its beam by heart: two long flashes, then a short one, then darkness for exactly nine seconds. When storms rolled in from the west, the keeper stayed awake all night, listening to the wind hammer against the windows and the waves crash on the rocks. Once, during a terrible gale in the winter of eighteen ninety-two, a fishing boat lost its way in the fog. The crew could not see the shore, and their compass had been smashed by a falling mast. They drifted for hours, shouting into the gray nothing, until one of the younger men noticed a faint glow high above them. It was the lighthouse, still turning, still faithful. They steered toward the light, found the channel, and reached the harbor just before dawn. The next summer the fishermen returned with a gift for the keeper: a small brass bell, engraved with the names of every man aboard. He hung it beside the door and rang it each morning before breakfast. Years later, when the light was replaced by an automatic beacon and the keeper moved to the village, he took the bell with him. Children who visited his cottage would ask about it, and he would tell them the story again, slowly, pausing at the part where the beam broke through the fog. Today the lighthouse is a museum, and the bell hangs there once more, polished and silent, waiting for someone to ring it.';
const MiB = 1 << 20;
const mib = (bytes) => (bytes / MiB).toFixed(1);

const memories = new Set();
const { Memory, instantiate } = WebAssembly;
WebAssembly.Memory = function (...rest) {
  const memory = new Memory(...rest);
  memories.add(memory);
  return memory;
};
WebAssembly.Memory.prototype = Memory.prototype;
WebAssembly.instantiate = async (...rest) => {
  const result = await instantiate.apply(WebAssembly, rest);
  for (const value of Object.values((result.instance ?? result).exports ?? {})) if (value instanceof Memory) memories.add(value);
  return result;
};
const ortMemory = () => Math.max(0, ...[...memories].map((memory) => memory.buffer.byteLength));

const require = createRequire(new URL('web/package.json', root));
const ort = await import(require.resolve('onnxruntime-web'));
ort.env.wasm.numThreads = Number(args.threads);
ort.env.logLevel = 'error';
const voiceDir = new URL(`${args.voice.replace(/\/$/, '')}/`, root);
const configText = readFileSync(new URL('voice.json', voiceDir), 'utf8');
const config = JSON.parse(configText);
const variant = (config.voxlet?.variants ?? []).find((v) => v.precision === args.precision) ?? { file: 'model.onnx' };
const sessionOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
for (const option of args['session-option']) {
  const [key, value] = option.split('=');
  sessionOptions[key] = value === 'true' ? true : value === 'false' ? false : value;
}
const session = await ort.InferenceSession.create(readFileSync(new URL(variant.file, voiceDir)), sessionOptions);
const afterCreate = ortMemory();
WebAssembly.Memory = Memory;
WebAssembly.instantiate = instantiate;

const { Engine } = await import(new URL('web/src/engine.js', root));
const engine = await Engine.load();
engine.loadVoice(configText);
const text = args.text ? readFileSync(args.text, 'utf8') : PROSE;
const rate = Number(args.rate);
const frontEnd = {}; // as the runtime does: the rate stretches the audio, not the chunk budget (voxlet.js synthesisSettings)
if (args['max-chunk-ids']) frontEnd.max_chunk_ids = Number(args['max-chunk-ids']);
const inference = { noise_scale: 0.667, length_scale: 1, noise_w: 0.8, ...config.inference };
let chunks = 0;
let longestIds = 0;
let longestSamples = 0;
let rss = 0;
let runMs = 0;
let samples = 0;
for (const chunk of engine.chunks(text, frontEnd)) {
  if (chunk.ids.length === 0) continue;
  const ids = BigInt64Array.from(chunk.ids, BigInt);
  const scales = [inference.noise_scale, inference.length_scale / (rate * chunk.prosody.rate), inference.noise_w];
  const started = performance.now();
  const out = await session.run({
    input: new ort.Tensor('int64', ids, [1, ids.length]),
    input_lengths: new ort.Tensor('int64', BigInt64Array.of(BigInt(ids.length)), [1]),
    scales: new ort.Tensor('float32', Float32Array.from(scales), [3]),
  });
  runMs += performance.now() - started;
  samples += out[session.outputNames[0]].dims.at(-1);
  chunks++;
  longestIds = Math.max(longestIds, ids.length);
  longestSamples = Math.max(longestSamples, out[session.outputNames[0]].dims.at(-1));
  rss = Math.max(rss, process.memoryUsage().rss);
}
const words = text.split(/\s+/).filter(Boolean).length;
console.log(`${args.voice} ${args.precision}, ${words} words, rate ${rate}, max_chunk_ids ${args['max-chunk-ids'] ?? `voice (${config.voxlet?.max_chunk_tokens ?? 400})`}: ` +
  `${chunks} chunks, longest ${longestIds} ids / ${longestSamples} samples (${(longestSamples / config.audio.sample_rate).toFixed(1)} s); ` +
  `ORT WASM memory ${mib(afterCreate)} MiB after session creation, ${mib(ortMemory())} MiB peak; RSS peak ${mib(rss)} MiB; ` +
  `model time ${(runMs / 1000).toFixed(1)} s for ${(samples / config.audio.sample_rate).toFixed(1)} s of audio (RTF ${(runMs / 1000 / (samples / config.audio.sample_rate)).toFixed(4)}; timing is indicative on a shared machine)`);
