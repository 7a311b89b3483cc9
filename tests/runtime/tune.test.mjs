// tts.tune(): the plan applies to a live Voxlet (precision loaded, chunk sizes used, warm-up
// run, backend/threads reported as pending), and measured tuning rejects a candidate whose audio
// is broken (a variant whose weights were corrupted, a real fault in the model file) and caches
// its choice.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../web/src/engine.js';
import { SPECTRAL_THRESHOLD_DB, SWITCH_MARGIN, chooseCandidate, spectralDistanceDb } from '../../web/src/plan.js';
import { Voxlet } from '../../web/src/voxlet.js';
import { createTestVoxlet, rejectsWith, testVoice, voicesSkip } from './support.mjs';

const PYTHON = process.env.VOXLET_PYTHON ?? '/usr/bin/python3';
const LONG_TEXT = 'This sentence has quite a few words in it, so that the front end must cut it into several chunks. And here is another one, just as long as the first.';
// A hand-written profile (no GFLOP/s measured, 8 cores): fast and deterministic for the tuner.
const PROFILE = { logicalCores: 8, deviceMemoryGb: 16, webgpu: null, wasmSimd: true, threads: true, isNode: true, gflops: {} };

// Noise added to every weight tensor (std × amount): the model still runs, its audio is wrong.
const CORRUPT = `
import sys, onnx, numpy as np
from onnx import numpy_helper
m = onnx.load(sys.argv[1]); rng = np.random.default_rng(7)
for init in m.graph.initializer:
    a = numpy_helper.to_array(init)
    if a.dtype == np.float32 and a.size > 16:
        a = a + rng.standard_normal(a.shape).astype(np.float32) * (a.std() + 1e-3) * float(sys.argv[3])
        init.CopyFrom(numpy_helper.from_array(a, init.name))
onnx.save(m, sys.argv[2])
`;

function variantOf(dir, file, precision) {
  const bytes = readFileSync(path.join(dir, file));
  return { precision, file, component: 'full', sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

describe('tts.tune()', { skip: voicesSkip }, () => {
  let engine;
  let dir;
  let voicePath; // fp32 + fp16 (an exact copy: good) + int8 (corrupted weights: broken)
  before(async () => {
    engine = await Engine.load();
    dir = mkdtempSync(path.join(tmpdir(), 'voxlet-tune-'));
    const source = path.dirname(testVoice());
    copyFileSync(path.join(source, 'model.onnx'), path.join(dir, 'model.onnx'));
    copyFileSync(path.join(source, 'model.onnx'), path.join(dir, 'model.fp16.onnx'));
    const made = spawnSync(PYTHON, ['-c', CORRUPT, path.join(dir, 'model.onnx'), path.join(dir, 'model.int8.onnx'), '2.0'], { encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);
    const config = JSON.parse(readFileSync(testVoice(), 'utf8'));
    config.voxlet.variants = [variantOf(dir, 'model.onnx', 'fp32'), variantOf(dir, 'model.fp16.onnx', 'fp16'), variantOf(dir, 'model.int8.onnx', 'int8')];
    voicePath = path.join(dir, 'voice.json');
    writeFileSync(voicePath, JSON.stringify(config));
  });
  after(() => {
    engine?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the plan applies: the chosen precision is loaded, its chunk sizes are used, warm-up runs', async () => {
    const runs = [];
    const tts = await createTestVoxlet({ engine, onInference: ({ ids }) => runs.push(ids.length) });
    try {
      await tts.loadVoice(voicePath);
      assert.equal(tts.voice.precision, 'fp32');
      assert.equal(tts.plan, null);
      const plan = await tts.tune({ profile: PROFILE, overrides: { precision: 'fp16', firstChunkIds: 12, maxChunkIds: 24, warmup: true } });
      assert.equal(plan.precision, 'fp16');
      assert.equal(tts.voice.precision, 'fp16', 'the fp16 variant is what runs now');
      assert.equal(plan.applied.precision, true);
      assert.equal(plan.applied.warmup, true);
      assert.ok(runs.length >= 1, 'warm-up ran the model');
      assert.equal(tts.plan, plan);
      // Backend/threads: 8 cores → 4 threads, but this ORT instance runs 1: pending, not applied.
      assert.equal(plan.applied.threads, false);
      assert.equal(plan.pending.threads, 4);
      runs.length = 0;
      await tts.synthesize(LONG_TEXT);
      assert.ok(runs.length >= 3, `several chunks (${runs})`);
      assert.ok(runs[0] <= 12 + 4, `first chunk near first_chunk_ids: ${runs}`);
      assert.ok(Math.max(...runs) <= 24, `no chunk above max_chunk_ids: ${runs}`);
      // A per-call option still wins over the plan's default.
      runs.length = 0;
      await tts.synthesize(LONG_TEXT, { firstChunkIds: 400, maxChunkIds: 400 });
      assert.ok(Math.max(...runs) > 24, `per-call chunk sizes win: ${runs}`);
      // Loading a voice drops the plan (it was made for the previous one).
      await tts.loadVoice(voicePath);
      assert.equal(tts.plan, null);
    } finally {
      await tts.dispose();
    }
  });

  test('measured tuning rejects the broken variant, picks among the good ones, and caches the choice', async () => {
    const cacheDir = path.join(dir, 'cache');
    let runs = 0;
    const tts = await createTestVoxlet({ engine, onInference: () => runs++ });
    try {
      await tts.loadVoice(voicePath);
      const plan = await tts.tune({ profile: PROFILE, measure: true, cache: { dir: cacheDir }, budgetMs: 60_000 }); // every candidate, however loaded the machine
      const byPrecision = Object.fromEntries(plan.measured.candidates.map((c) => [c.precision, c]));
      console.log(`calibration: ${plan.timingsMs.calibration} ms (target ≤ 3000); ${plan.measured.candidates.map((c) => `${c.precision} ${c.ms} ms ${c.distanceDb} dB ${c.accepted ? 'ok' : 'rejected'}`).join('; ')}`);
      assert.deepEqual(Object.keys(byPrecision).sort(), ['fp16', 'fp32', 'int8']);
      assert.equal(byPrecision.fp32.distanceDb, 0);
      assert.equal(byPrecision.fp16.distanceDb, 0, 'an identical model has identical audio');
      assert.equal(byPrecision.int8.accepted, false);
      assert.ok(byPrecision.int8.distanceDb > SPECTRAL_THRESHOLD_DB, `broken int8: ${byPrecision.int8.distanceDb} dB`);
      assert.match(byPrecision.int8.reason, /differs from WASM fp32/);
      assert.ok(['fp32', 'fp16'].includes(plan.measured.chosen.precision));
      assert.equal(plan.precision, plan.measured.chosen.precision);
      assert.equal(tts.voice.precision, plan.precision);
      assert.equal(plan.rules.precision, 'measured');
      assert.equal(plan.measured.cached, false);

      // Second time: from the cache, no calibration runs (only the warm-up's).
      runs = 0;
      const again = await tts.tune({ profile: PROFILE, measure: true, cache: { dir: cacheDir } });
      assert.equal(again.measured.cached, true);
      assert.equal(again.precision, plan.precision);
      assert.ok(runs <= 1, `only the warm-up ran the model (${runs} runs)`);
      assert.match(again.reasons.precision, /cached/);
    } finally {
      await tts.dispose();
    }
  });

  test('a variant that fails to run is rejected with its error (fault injected through onInference)', async () => {
    let failing = false;
    const tts = await createTestVoxlet({
      engine,
      onInference: () => {
        if (failing) throw Object.assign(new Error('injected kernel failure'), { code: 'MODEL_RUN_FAILED' });
      },
    });
    try {
      await tts.loadVoice(voicePath);
      failing = true;
      const plan = await tts.tune({ profile: PROFILE, measure: true, cache: false, overrides: { warmup: false } });
      failing = false;
      assert.equal(plan.measured.chosen, null);
      assert.ok(plan.measured.candidates.every((c) => !c.accepted && /injected kernel failure/.test(c.reason)));
      assert.equal(plan.rules.precision, 'precision.wasm-int8-weights', 'nothing measured: the decision tree stands'); // int8 (the voice has no int8-weights)
    } finally {
      await tts.dispose();
    }
  });
});

// One process per thread count: ORT reads numThreads once per instance, and a fresh process
// shows its OS threads (/proc/self/task) without anyone else's.
const CREATE_TUNED = (voice, threads) => `
  import { readdirSync } from 'node:fs';
  import { Voxlet } from ${JSON.stringify(new URL('../../web/src/voxlet.js', import.meta.url).href)};
  const tts = await Voxlet.createTuned({ voice: ${JSON.stringify(voice)}, profile: ${JSON.stringify(PROFILE)}, overrides: { threads: ${threads}, warmup: false } });
  const { audio } = await tts.synthesize('Threads at work.');
  const osThreads = readdirSync('/proc/self/task').length;
  console.log(JSON.stringify({ threads: tts.threads, backend: tts.backend, pending: tts.plan.pending, applied: tts.plan.applied, samples: audio.length, osThreads }));
  await tts.dispose();
`;

describe('the whole plan applies: backend and threads too', { skip: voicesSkip }, () => {
  test('Voxlet.createTuned(): the plan is made before ONNX Runtime starts; its threads run (OS threads observed)', () => {
    const seen = {};
    const scriptDir = mkdtempSync(path.join(tmpdir(), 'voxlet-tuned-')); // a file, not -e: ORT's thread workers inherit the flags
    for (const threads of [1, 2]) {
      const script = path.join(scriptDir, `tuned-${threads}.mjs`);
      writeFileSync(script, CREATE_TUNED(testVoice(), threads));
      const child = spawnSync(process.execPath, ['--no-experimental-fetch', script], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(child.status, 0, child.stderr);
      const result = JSON.parse(child.stdout.trim().split('\n').at(-1));
      assert.equal(result.threads, threads);
      assert.equal(result.backend, 'wasm');
      assert.equal(result.pending, null, 'nothing pending');
      assert.equal(result.applied.threads, true);
      assert.equal(result.applied.backend, true);
      assert.ok(result.samples > 0);
      seen[threads] = result.osThreads;
    }
    rmSync(scriptDir, { recursive: true, force: true });
    if (existsSync('/proc/self/task')) assert.ok(seen[2] > seen[1], `ORT's second thread is an OS thread: ${seen[1]} → ${seen[2]}`);
  });

  test('a Voxlet in a worker (worker: true in Node): tune() and applyPlan() start a new ORT instance with the plan threads', async () => {
    const tts = await Voxlet.create({ worker: true, backend: 'wasm', threads: 1 });
    try {
      await tts.loadVoice(testVoice());
      const plan = await tts.tune({ profile: PROFILE, overrides: { threads: 2, warmup: false } });
      assert.equal(plan.pending, null);
      assert.equal(plan.applied.threads, true);
      assert.equal(tts.threads, 2, 'the new worker runs 2 threads');
      assert.equal(tts.voice.precision, plan.precision, 'the voice was loaded in the plan precision there');
      assert.ok((await tts.synthesize('Two threads now.')).audio.length > 0);
      const back = await tts.applyPlan({ ...plan, threads: 1 });
      assert.equal(tts.threads, 1);
      assert.equal(back.pending, null);
      assert.ok((await tts.synthesize('One thread again.')).audio.length > 0);
    } finally {
      await tts.dispose();
    }
  });

  test('planFor(): the plan for a voice without loading its model', async () => {
    const tts = await createTestVoxlet();
    try {
      const { plan, profile } = await tts.planFor(testVoice(), { profile: PROFILE, overrides: { warmup: false } });
      assert.equal(plan.threads, 4, '8 cores, nothing measured: threads.half-cores');
      assert.equal(plan.rules.threads, 'threads.half-cores');
      assert.equal(profile.logicalCores, PROFILE.logicalCores);
      assert.equal(tts.voice, null, 'no voice was loaded');
    } finally {
      await tts.dispose();
    }
  });

  test('Voxlet.createTuned({ worker: true }): the worker runs the plan threads and loaded the plan precision', async () => {
    const tts = await Voxlet.createTuned({ worker: true, voice: testVoice(), profile: PROFILE, overrides: { threads: 2, warmup: false } });
    try {
      assert.equal(tts.threads, 2);
      assert.equal(tts.plan.pending, null);
      assert.equal(tts.voice.precision, tts.plan.precision);
      assert.ok((await tts.synthesize('Tuned in a worker.')).audio.length > 0);
    } finally {
      await tts.dispose();
    }
  });

  test('an in-process Voxlet whose ORT already runs refuses another thread count with THREADS_FIXED', async () => {
    const tts = await createTestVoxlet();
    try {
      await tts.loadVoice(testVoice());
      const plan = await tts.tune({ profile: PROFILE, overrides: { warmup: false } });
      assert.equal(plan.pending.threads, 4);
      await rejectsWith(assert, tts.applyPlan(plan), 'THREADS_FIXED', /createTuned/);
      const same = await tts.applyPlan({ ...plan, threads: 1 });
      assert.equal(same.pending, null);
    } finally {
      await tts.dispose();
    }
  });
});

describe('spectral distance', () => {
  const tone = (amplitude, hz = 220, n = 22050) => Float32Array.from({ length: n }, (_, i) => amplitude * (Math.sin((2 * Math.PI * hz * i) / 22050) + 0.05 * Math.sin(i * 1.7)));
  test('identical audio: 0 dB; twice as loud: about 6 dB; a different spectrum or NaN: far off', () => {
    assert.equal(spectralDistanceDb(tone(0.5), tone(0.5)), 0);
    const louder = spectralDistanceDb(tone(0.25), tone(0.5));
    assert.ok(louder > 5 && louder < 6.1, `twice as loud: ${louder} dB`);
    assert.ok(spectralDistanceDb(tone(0.5), tone(0.5, 3000)) > SPECTRAL_THRESHOLD_DB);
    assert.equal(spectralDistanceDb(tone(0.5), Float32Array.of(0, NaN, 1)), Infinity);
  });
});

describe('calibration choice (chooseCandidate)', () => {
  const entry = (precision, ms, { automatic = false, accepted = true } = {}) => ({ precision, ms, automatic, accepted });
  // [name, entries, expected precision or null]; SWITCH_MARGIN is 10 %.
  const rows = [
    ['the automatic plan is fastest', [entry('fp32', 100), entry('int8-weights', 90, { automatic: true }), entry('int8', 95)], 'int8-weights'],
    ['another is 5 % faster: within the margin, the tree stands', [entry('fp32', 100), entry('int8-weights', 100, { automatic: true }), entry('int8', 95)], 'int8-weights'],
    ['another is 20 % faster: it replaces the plan', [entry('fp32', 100), entry('int8-weights', 100, { automatic: true }), entry('int8', 80)], 'int8'],
    ['the automatic plan was rejected: the fastest accepted', [entry('fp32', 100), entry('int8-weights', 50, { automatic: true, accepted: false }), entry('int8', 99)], 'int8'],
    ['the automatic plan was never timed: the fastest accepted', [entry('fp32', 100), entry('int8-weights', null, { automatic: true }), entry('int8', 99)], 'int8'],
    ['nothing accepted', [entry('fp32', 100, { accepted: false }), entry('int8', 80, { automatic: true, accepted: false })], null],
  ];
  for (const [name, entries, expected] of rows) {
    test(name, () => assert.equal(chooseCandidate(entries)?.precision ?? null, expected));
  }
  test('the margin is the documented 10 %', () => assert.equal(SWITCH_MARGIN, 0.1));
});
