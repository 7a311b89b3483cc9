// Fault fallback with real models: a variant that fails to load hands over to
// the next precision; a run fault (injected through the onInference hook, the
// one seam for faults) re-runs the chunk on a fresh session, and the utterance
// arrives complete, identical to a clean run.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../web/src/engine.js';
import { VoxletError } from '../../web/src/errors.js';
import { classifyRunError } from '../../web/src/fallback.js';
import { ROOT, createTestVoxlet, rejectsWith, testVoice, voicesSkip } from './support.mjs';

const DEFAULT_VOICE_DIR = path.join(ROOT, 'models/voxlet-en-us-slt');
const TEXT = 'The first sentence is here. And a second one follows it.';
const QUIET = { noiseScale: 0, noiseW: 0 }; // deterministic: a retried chunk must equal the original
// A hand-written profile for tune(): 8 cores, nothing measured, no GPU (the tree's WASM branch).
const TUNE_PROFILE = { logicalCores: 8, deviceMemoryGb: 16, webgpu: null, wasmSimd: true, threads: true, isNode: true, gflops: {} };

describe('fault fallback', { skip: voicesSkip }, () => {
  let engine;
  let dir;
  before(async () => {
    engine = await Engine.load();
    dir = mkdtempSync(path.join(tmpdir(), 'voxlet-fallback-'));
  });
  after(() => {
    engine?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a corrupt fp32 model: auto loads the next variant and says why', async () => {
    const config = JSON.parse(readFileSync(path.join(DEFAULT_VOICE_DIR, 'voice.json'), 'utf8'));
    for (const variant of config.voxlet.variants) copyFileSync(path.join(DEFAULT_VOICE_DIR, variant.file), path.join(dir, variant.file));
    const fp32 = readFileSync(path.join(dir, 'model.onnx'));
    fp32[fp32.length >> 1] ^= 0xff;
    writeFileSync(path.join(dir, 'model.onnx'), fp32);
    writeFileSync(path.join(dir, 'voice.json'), JSON.stringify(config));
    const tts = await createTestVoxlet({ engine });
    try {
      const info = await tts.loadVoice(path.join(dir, 'voice.json'));
      assert.equal(info.precision, 'fp16', 'the next in preference order');
      assert.equal(info.fallbacks.length, 1);
      assert.equal(info.fallbacks[0].from, 'fp32');
      assert.equal(info.fallbacks[0].code, 'MODEL_CHECKSUM_MISMATCH');
      const { audio } = await tts.synthesize('Hello there.');
      assert.ok(audio.length > 0);
      // Asked for by name, the broken variant is an error, not a silent substitute.
      await rejectsWith(assert, tts.loadVoice(path.join(dir, 'voice.json'), { precision: 'fp32' }), 'MODEL_CHECKSUM_MISMATCH', /model\.onnx/);
    } finally {
      await tts.dispose();
    }
  });

  test('a corrupt variant chosen by the tuner: loadVoice({ fallback }) and tune() keep a working one', async () => {
    const config = JSON.parse(readFileSync(path.join(DEFAULT_VOICE_DIR, 'voice.json'), 'utf8'));
    const folder = mkdtempSync(path.join(dir, 'tuned-'));
    for (const variant of config.voxlet.variants) copyFileSync(path.join(DEFAULT_VOICE_DIR, variant.file), path.join(folder, variant.file));
    const weights = readFileSync(path.join(folder, 'model.int8-weights.onnx'));
    weights[weights.length >> 1] ^= 0xff;
    writeFileSync(path.join(folder, 'model.int8-weights.onnx'), weights);
    const voice = path.join(folder, 'voice.json');
    writeFileSync(voice, JSON.stringify(config));
    const tts = await createTestVoxlet({ engine });
    try {
      const info = await tts.loadVoice(voice, { precision: 'int8-weights', fallback: true });
      assert.equal(info.precision, 'fp32', 'the first of the others in preference order');
      assert.deepEqual(info.fallbacks.map((f) => [f.from, f.code]), [['int8-weights', 'MODEL_CHECKSUM_MISMATCH']]);
      // The tree picks int8-weights on WASM (precision.wasm-int8-weights); it cannot load, fp32 stays.
      const plan = await tts.tune({ profile: TUNE_PROFILE, overrides: { warmup: false } });
      assert.equal(plan.rules.precision, 'precision.wasm-int8-weights');
      assert.match(plan.applied.precision, /^not applied: the int8-weights model failed to load \(MODEL_CHECKSUM_MISMATCH.*fp32 stays$/);
      assert.equal(tts.voice.precision, 'fp32');
      assert.ok((await tts.synthesize('Still speaking.')).audio.length > 0);
    } finally {
      await tts.dispose();
    }
  });

  for (const code of ['OUT_OF_MEMORY', 'MODEL_RUN_FAILED', 'DEVICE_LOST']) {
    test(`${code} on the second chunk: the chunk runs again on a fresh session, nothing is lost`, async () => {
      const clean = await createTestVoxlet({ engine });
      await clean.loadVoice(testVoice());
      const expected = await clean.synthesize(TEXT, QUIET);
      await clean.dispose();

      let runs = 0;
      const faulty = await createTestVoxlet({
        engine,
        onInference: () => {
          runs++;
          if (runs === 2) throw new VoxletError(code, `injected ${code}`);
        },
      });
      try {
        await faulty.loadVoice(testVoice());
        const result = await faulty.synthesize(TEXT, QUIET);
        assert.equal(result.audio.length, expected.audio.length);
        assert.deepEqual(Array.from(result.audio), Array.from(expected.audio));
        assert.deepEqual(result.words.map((w) => [w.text, w.start]), expected.words.map((w) => [w.text, w.start]));
        assert.equal(faulty.fallbacks.length, 1);
        assert.deepEqual({ ...faulty.fallbacks[0], message: undefined }, { stage: 'run', from: 'wasm', to: 'wasm', code, message: undefined });
      } finally {
        await faulty.dispose();
      }
    });
  }

  test('a fault that persists after the fresh session ends the synthesis with its code', async () => {
    const tts = await createTestVoxlet({
      engine,
      onInference: () => {
        throw new VoxletError('OUT_OF_MEMORY', 'injected: still out of memory');
      },
    });
    try {
      await tts.loadVoice(testVoice());
      await rejectsWith(assert, tts.synthesize(TEXT), 'OUT_OF_MEMORY', /still out of memory/);
    } finally {
      await tts.dispose();
    }
  });

  test('ORT messages are classified: lost device, failed allocation, other', () => {
    const wrapped = (message) => new VoxletError('MODEL_RUN_FAILED', 'The voice model failed', { cause: new Error(message) });
    assert.equal(classifyRunError(wrapped('GPUDevice was lost: reason unknown')), 'DEVICE_LOST');
    assert.equal(classifyRunError(wrapped('Failed to allocate memory for requested buffer of size 123')), 'OUT_OF_MEMORY');
    assert.equal(classifyRunError(wrapped('Got invalid dimensions for input')), 'MODEL_RUN_FAILED');
    assert.equal(classifyRunError(new VoxletError('INVALID_ARGUMENT', 'x')), 'INVALID_ARGUMENT');
  });
});
