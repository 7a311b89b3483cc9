// Runs an original model and its variant side by side on the same inputs:
// output SNR against the original, and their speed ratio from interleaved runs.
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-web';
import { VoxletError } from '../errors.js';

let configuredThreads = null;

// ORT Web reads numThreads once, when its WASM instance starts: one count per process.
export function configureRuntime(threads) {
  if (configuredThreads !== null && configuredThreads !== threads) {
    throw new VoxletError('INVALID_ARGUMENT', `ORT Web already runs with ${configuredThreads} threads in this process`);
  }
  ort.env.wasm.numThreads = threads;
  ort.env.logLevel = 'error';
  configuredThreads = threads;
}

export async function openSession(path, label) {
  try {
    return await ort.InferenceSession.create(path, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  } catch (cause) {
    throw new VoxletError('MODEL_LOAD_FAILED', `ONNX Runtime Web cannot load the ${label} model ${path}: ${cause.message}`, { cause });
  }
}

export async function runOnce(session, feed, label) {
  try {
    return await session.run(feed);
  } catch (cause) {
    throw new VoxletError('MODEL_RUN_FAILED', `the ${label} model failed to run: ${cause.message}`, { cause });
  }
}

// 10·log10(Σref² / Σ(ref−test)²) over the chosen outputs of every input; Infinity when identical.
export function signalToNoise(referenceRuns, testRuns, outputNames) {
  let signal = 0;
  let noise = 0;
  let lengthMismatch = false;
  referenceRuns.forEach((reference, run) => {
    for (const name of outputNames) {
      const a = reference[name].data;
      const b = testRuns[run][name].data;
      if (a.length !== b.length) lengthMismatch = true;
      const n = Math.min(a.length, b.length);
      for (let i = 0; i < n; i++) {
        signal += a[i] * a[i];
        noise += (a[i] - b[i]) ** 2;
      }
    }
  });
  const snrDb = noise === 0 ? Infinity : signal === 0 ? -Infinity : 10 * Math.log10(signal / noise);
  return { snrDb, lengthMismatch };
}

export function floatOutputNames(session, preferred) {
  if (preferred && session.outputNames.includes(preferred)) return [preferred];
  return session.outputNames;
}

// With `audioOutput` (voices), that output of every run is returned too, for the
// audio scores (MCD, WER) computed by scripts/optimize/score_audio.py.
export async function compareModels({ originalPath, variantPath, feeds, outputNames, audioOutput, rounds = 5 }) {
  const original = await openSession(originalPath, 'original');
  const variant = await openSession(variantPath, 'optimized');
  const names = outputNames ?? original.outputNames;
  const referenceRuns = [];
  const variantRuns = [];
  for (const feed of feeds) {
    referenceRuns.push(await runOnce(original, feed, 'original'));
    variantRuns.push(await runOnce(variant, feed, 'optimized'));
  }
  const { snrDb, lengthMismatch } = signalToNoise(referenceRuns, variantRuns, names.filter((n) => isFloat(referenceRuns[0][n])));
  const timing = await timeInterleaved(original, variant, feeds, rounds);
  await original.release();
  await variant.release();
  const audio = audioOutput && isFloat(referenceRuns[0][audioOutput])
    ? { original: referenceRuns.map((r) => Float32Array.from(r[audioOutput].data)),
        variant: variantRuns.map((r) => Float32Array.from(r[audioOutput].data)) }
    : undefined;
  return { snrDb, lengthMismatch, ...timing, audio };
}

function isFloat(tensor) {
  return tensor && (tensor.type === 'float32' || tensor.type === 'float16');
}

// Alternating which model goes first each round, so warm caches and CPU
// frequency changes hit both alike; medians drop the odd slow round.
export async function timeInterleaved(original, variant, feeds, rounds) {
  const originalTimes = [];
  const variantTimes = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [[original, originalTimes], [variant, variantTimes]] : [[variant, variantTimes], [original, originalTimes]];
    for (const [session, times] of order) times.push(await timeFeeds(session, feeds));
  }
  const originalMs = median(originalTimes);
  const variantMs = median(variantTimes);
  return { originalMs, variantMs, speedup: originalMs / variantMs };
}

async function timeFeeds(session, feeds) {
  const start = performance.now();
  for (const feed of feeds) await session.run(feed);
  return performance.now() - start;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
