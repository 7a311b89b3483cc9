// The fixed inputs both models run on: seeded, so every verification sees the same ones.
import * as ort from 'onnxruntime-web';
import { VoxletError } from '../errors.js';

const PIPER_INPUTS = ['input', 'input_lengths', 'scales'];
export const VERIFY_SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'Voxlet reads this sentence aloud in your browser.',
  'On March 3rd, 2024, we measured 42 voices at 9:30 a.m.',
];
const SYMBOLIC_DIM = 16;
const RANDOM_ID_LENGTHS = [21, 47, 93];

export function isPiperInterface(inspection) {
  const names = inspection.inputs.map((input) => input.name);
  return PIPER_INPUTS.every((name) => names.includes(name));
}

// mulberry32: tiny seeded generator, enough for test inputs.
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Piper voices: noise scales 0 so VITS's random noise cannot hide or fake differences.
export function piperFeeds(idLists, inspection, lengthScale = 1.0) {
  const hasSpeaker = inspection.inputs.some((input) => input.name === 'sid');
  return idLists.map((ids) => {
    const feed = {
      input: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      input_lengths: new ort.Tensor('int64', BigInt64Array.of(BigInt(ids.length)), [1]),
      scales: new ort.Tensor('float32', Float32Array.of(0, lengthScale, 0), [3]),
    };
    if (hasSpeaker) feed.sid = new ort.Tensor('int64', BigInt64Array.of(0n), [1]);
    return feed;
  });
}

export function randomIdLists(inspection) {
  const idInput = inspection.inputs.find((input) => input.name === 'input');
  const bound = idInput.index_bound ?? 8;
  const random = seededRandom(5);
  return RANDOM_ID_LENGTHS.map((length) => Array.from({ length }, () => Math.floor(random() * bound)));
}

export function genericFeeds(inspection, count = 3) {
  const random = seededRandom(11);
  return Array.from({ length: count }, () =>
    Object.fromEntries(inspection.inputs.map((input) => [input.name, randomTensor(input, random)])),
  );
}

function randomTensor(input, random) {
  const dims = input.shape.map((dim) => (typeof dim === 'number' && dim > 0 ? dim : SYMBOLIC_DIM));
  const size = dims.reduce((a, b) => a * b, 1);
  if (input.type === 'float32') {
    return new ort.Tensor('float32', Float32Array.from({ length: size }, () => normal(random)), dims);
  }
  if (input.type === 'int64') {
    const bound = input.index_bound ?? 4;
    return new ort.Tensor('int64', BigInt64Array.from({ length: size }, () => BigInt(Math.floor(random() * bound))), dims);
  }
  throw new VoxletError('UNSUPPORTED_MODEL', `input "${input.name}" has type ${input.type}; only float32 and int64 inputs can be generated`);
}

function normal(random) {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
