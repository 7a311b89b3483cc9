// tune() in real headless Chromium (the Voxlet in its Worker, as a page uses it): measured tuning
// returns a plan with a reason per field and nothing pending; the plan's threads and backend
// really take effect (a new worker: ORT's thread workers and its WebGPU bundle observed); a
// deliberately broken variant (fault injection: its weights corrupted, its config entry made to
// match) is rejected by the spectral check; the choice is cached per device + voice + version.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_VOICE, browserSkip, openHarness, useServerAndChromium } from './support.mjs';

const ROOT = new URL('../../', import.meta.url);
const PYTHON = process.env.VOXLET_PYTHON ?? '/usr/bin/python3';
const PLAN_FIELDS = ['backend', 'precision', 'threads', 'batch_size', 'first_chunk_ids', 'max_chunk_ids', 'components', 'warmup'];
// Noise added to every weight tensor (std × amount): the model runs, its audio is wrong.
const CORRUPT = `
import sys, onnx, numpy as np
from onnx import numpy_helper
m = onnx.load(sys.argv[1]); rng = np.random.default_rng(7)
for init in m.graph.initializer:
    a = numpy_helper.to_array(init)
    if a.dtype == np.float32 and a.size > 16:
        a = a + rng.standard_normal(a.shape).astype(np.float32) * (a.std() + 1e-3) * 2.0
        init.CopyFrom(numpy_helper.from_array(a, init.name))
onnx.save(m, sys.argv[2])
`;
const pythonSkip = spawnSync(PYTHON, ['-c', 'import onnx, numpy']).status === 0 ? false : `${PYTHON} lacks python3-onnx/numpy`;

// Runs tune() in the page's Voxlet (in its Worker) and returns what the test checks.
function tuneInPage(page, { create = { backend: 'wasm', threads: 1 }, tune = {}, voice = DEFAULT_VOICE } = {}) {
  return page.evaluate(
    async ({ create, tune, voice }) => {
      const tts = await window.voxlet.Voxlet.create(create);
      try {
        await tts.loadVoice(voice);
        const plan = await tts.tune(tune);
        const { audio } = await tts.synthesize('Tuned in the browser.');
        return { plan, threads: tts.threads, backend: tts.backend, precision: tts.voice.precision, samples: audio.length };
      } finally {
        await tts.dispose();
      }
    },
    { create, tune, voice: new URL(voice, page.url()).href },
  );
}

describe('tune() in Chromium', { skip: browserSkip, timeout: 900_000 }, () => {
  const started = useServerAndChromium();

  test('measured tuning: a plan with a reason per field, calibrated candidates, the whole plan applied, cached per device + voice + version', async () => {
    const page = await openHarness(started.browser, started.server);
    const first = await tuneInPage(page, { tune: { measure: true } });
    const { plan } = first;
    for (const field of PLAN_FIELDS) assert.ok(plan.reasons[field]?.length > 5, `a reason for ${field}: ${plan.reasons[field]}`);
    assert.equal(plan.pending, null, 'nothing pending: backend and threads applied');
    assert.equal(first.threads, plan.threads);
    assert.equal(first.backend, plan.backend);
    assert.equal(first.precision, plan.precision);
    assert.ok(first.samples > 0);
    assert.equal(plan.measured.cached, false);
    assert.ok(plan.measured.candidates.length >= 2, `candidates: ${JSON.stringify(plan.measured.candidates)}`);
    assert.ok(plan.measured.candidates.every((c) => c.accepted || c.reason), 'each rejection has a reason');
    assert.equal(plan.rules.precision, 'measured');
    assert.ok(plan.timingsMs.calibration > 0);
    console.log(`Chromium calibration: ${plan.timingsMs.calibration} ms (target ≤ 3000), detect ${plan.timingsMs.detect} ms; ${plan.measured.candidates.map((c) => `${c.precision} ${c.ms ?? '—'} ms ${c.distanceDb} dB ${c.accepted ? 'ok' : c.reason}`).join('; ')}`);

    // The same device, voice and versions: from the cache (Cache Storage, shared by page and workers).
    const again = await tuneInPage(page, { tune: { measure: true } });
    assert.equal(again.plan.measured.cached, true);
    assert.equal(again.plan.precision, plan.precision);
    const keys = await page.evaluate(async () => {
      const cache = await caches.open('voxlet-tune');
      const entries = await Promise.all((await cache.keys()).map(async (request) => (await cache.match(request)).json()));
      return entries.map((entry) => entry.key);
    });
    assert.equal(keys.length, 1, 'one entry for one device + voice + version');
    const [key] = keys;
    assert.ok(key.device.cores >= 1 && key.device.platform.includes('Chrome'), `device: ${JSON.stringify(key.device)}`);
    assert.match(key.voice, /^[0-9a-f]{64}$/, 'voice: the config sha256');
    assert.ok(key.engine && key.ort, `versions: engine ${key.engine}, ORT ${key.ort}`);

    // Another voice config (one field more): another key, so calibrated anew. (The voice cache
    // holds the config too: drop it there so the changed one is fetched.)
    await page.evaluate(async (url) => (await caches.open('voxlet-voices-v1')).delete(url), new URL(DEFAULT_VOICE, page.url()).href);
    await page.context().route('**/models/voxlet-en-us-slt/voice.json', async (route) => {
      const config = JSON.parse(readFileSync(new URL(`.${DEFAULT_VOICE}`, ROOT), 'utf8'));
      await route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...config, description: 'another voice' }) });
    });
    const other = await tuneInPage(page, { tune: { measure: true } });
    assert.equal(other.plan.measured.cached, false, 'a different voice is not served from the cache');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the plan threads and backend take effect: a new worker with its own ORT instance', async () => {
    const page = await openHarness(started.browser, started.server);
    const ortThreads = { count: 0 };
    const bundles = new Set();
    page.on('worker', (worker) => {
      if (/ort-wasm-simd-threaded/.test(worker.url())) ortThreads.count++;
    });
    page.context().on('request', (request) => bundles.add(path.basename(new URL(request.url()).pathname)));
    const threads = await tuneInPage(page, { tune: { overrides: { threads: 2, warmup: false } } });
    assert.equal(threads.plan.pending, null);
    assert.equal(threads.threads, 2);
    assert.ok(ortThreads.count >= 1, `ORT thread workers observed: ${ortThreads.count}`);

    // WebGPU (the SwiftShader adapter: correctness only), fp32: the WebGPU bundle runs the voice.
    const gpu = await tuneInPage(page, { tune: { overrides: { backend: 'webgpu', precision: 'fp32', warmup: false } } });
    assert.equal(gpu.plan.pending, null);
    assert.equal(gpu.backend, 'webgpu');
    assert.ok(gpu.samples > 0);
    assert.ok([...bundles].some((name) => name.startsWith('ort.webgpu')), `the WebGPU bundle was loaded: ${[...bundles].filter((n) => n.startsWith('ort')).join(', ')}`);
    await page.context().close();
  });

  test('a deliberately broken variant is rejected by the spectral check (fault injected)', { skip: pythonSkip }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'voxlet-broken-'));
    try {
      const broken = path.join(dir, 'broken.onnx');
      const made = spawnSync(PYTHON, ['-c', CORRUPT, new URL('./models/voxlet-en-us-slt/model.onnx', ROOT).pathname, broken], { encoding: 'utf8' });
      assert.equal(made.status, 0, made.stderr);
      const bytes = readFileSync(broken);
      const page = await openHarness(started.browser, started.server);
      // The int8-weights variant's file (the tree's WASM choice, precision.wasm-int8-weights, so
      // it is always calibrated, however the budget goes) is replaced by the broken model, and its
      // config entry made to match (sha256, size): it loads and runs, but its audio is wrong.
      await page.context().route('**/models/voxlet-en-us-slt/model.int8-weights.onnx', (route) => route.fulfill({ contentType: 'application/octet-stream', body: bytes }));
      await page.context().route('**/models/voxlet-en-us-slt/voice.json', async (route) => {
        const config = JSON.parse(readFileSync(new URL(`.${DEFAULT_VOICE}`, ROOT), 'utf8'));
        const variant = config.voxlet.variants.find((v) => v.precision === 'int8-weights');
        Object.assign(variant, { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
        await route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) });
      });
      const { plan, precision } = await tuneInPage(page, { tune: { measure: true, cache: false, overrides: { warmup: false } } });
      const rejected = plan.measured.candidates.find((c) => c.precision === 'int8-weights');
      assert.ok(rejected, `int8-weights was a candidate: ${JSON.stringify(plan.measured.candidates)}`);
      assert.equal(rejected.accepted, false);
      assert.match(rejected.reason, /differs from WASM fp32/);
      assert.notEqual(plan.precision, 'int8-weights');
      assert.equal(precision, plan.precision, 'the voice runs the chosen (good) variant');
      assert.match(plan.reasons.precision, /measured/);
      await page.context().close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
