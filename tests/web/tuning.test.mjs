// The tuner through the WebAssembly build: the shared golden table (the C++ suite
// runs the same rows natively), detect()'s profile fed as is, and the symptoms
// the engine names agreeing with detect()'s.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { VoxletError } from '../../web/src/errors.js';
import { detect, symptomsOf } from '../../web/src/detect.js';
import { GOLDEN_DIR, loadedEngine, readGolden, readVoiceConfig } from './support.mjs';

const engine = await loadedEngine();
const rows = readGolden('tuning.jsonl');
const RULES = [
  'backend.node', 'backend.no-adapter', 'backend.fallback-adapter', 'backend.gpu-slower', 'backend.buffer-too-small', 'backend.webgpu',
  'precision.only-model', 'precision.webgpu-fp16', 'precision.webgpu-fp32', 'precision.small-download', 'precision.wasm-int8-weights',
  'threads.webgpu', 'threads.not-isolated', 'threads.no-gain', 'threads.measured-gain', 'threads.half-cores',
  'batch.interactive', 'batch.low-memory', 'batch.offline', 'max-chunk.small', 'max-chunk.voice',
  'first-chunk.offline', 'first-chunk.weak-cpu', 'first-chunk.default',
  'components.single', 'components.all', 'components.skip-optional', 'warmup.interactive', 'warmup.offline', 'override',
];

// A row's voice: inline JSON, 'piper-test-voice' (the shared Piper fixture) or the name of a
// fixed config in tests/golden/voices/ (sizes written by hand: retraining a model in models/
// cannot move a golden row).
function voiceOf(row) {
  if (typeof row.voice !== 'string') return row.voice;
  const url = new URL(`voices/${row.voice}.json`, GOLDEN_DIR);
  const text = row.voice === 'piper-test-voice' ? readVoiceConfig(row.voice) : existsSync(url) ? readFileSync(url, 'utf8') : null;
  assert.ok(text, `voice ${row.voice} is missing`);
  return text;
}

function camelCaseKeys(value) {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()), camelCaseKeys(item)]));
}

test('golden table: every row, every branch', () => {
  assert.ok(rows.length >= 40);
  const failures = [];
  const covered = new Set();
  for (const row of rows) {
    try {
      if (row.error) {
        assert.throws(() => engine.tune(row.profile, voiceOf(row), row.overrides), (error) => {
          assert.ok(error instanceof VoxletError, `expected a VoxletError, got ${error}`);
          assert.equal(error.code, row.error);
          assert.ok(error.message.includes(row.message_contains), `message "${error.message}" lacks "${row.message_contains}"`);
          return true;
        });
        continue;
      }
      const plan = engine.tune(row.profile, voiceOf(row), row.overrides);
      for (const [key, value] of Object.entries(row.expected)) {
        if (key === 'reasons_contain') {
          for (const [field, part] of Object.entries(value)) assert.ok(plan.reasons[field].includes(part), `${field}: "${plan.reasons[field]}" lacks "${part}"`);
        } else {
          assert.deepEqual(plan[key], value, key);
        }
      }
      Object.values(plan.rules).forEach((rule) => covered.add(rule));
    } catch (error) {
      failures.push(`${row.name}\n    ${error.message.split('\n').join('\n    ')}`);
    }
  }
  assert.equal(failures.length, 0, `${failures.length} of ${rows.length} rows failed:\n${failures.join('\n')}`);
  assert.deepEqual(RULES.filter((rule) => !covered.has(rule)), []);
});

test('the engine and detect.js name the same symptoms for every golden profile', () => {
  for (const row of rows.filter((r) => r.expected)) {
    const plan = engine.tune(row.profile, voiceOf(row), row.overrides);
    assert.deepEqual(symptomsOf(camelCaseKeys(row.profile)), plan.symptoms, row.name);
  }
});

test("detect()'s profile goes into tune() as is", async () => {
  const profile = await detect({ storageProbe: new URL('../../models/voxlet-en-us-slt/model.onnx', import.meta.url) });
  const plan = engine.tune(profile, readVoiceConfig('voxlet-en-us-slt'));
  assert.deepEqual(plan.symptoms, profile.symptoms);
  assert.equal(plan.backend, 'wasm');
  assert.equal(plan.rules.backend, 'backend.node');
  assert.equal(plan.precision, 'int8-weights'); // precision.wasm-int8-weights, or small-download on slow storage
  assert.ok(['precision.wasm-int8-weights', 'precision.small-download'].includes(plan.rules.precision), plan.rules.precision);
  // detect() measures 1 and N threads: no gain → 1, a gain → half the cores, at least 2 (at most min(4, cores)).
  const cores = profile.logicalCores;
  const expected = { 'threads.no-gain': 1, 'threads.measured-gain': Math.min(Math.max(2, Math.ceil(cores / 2)), 4, cores), 'threads.half-cores': Math.min(4, Math.ceil(cores / 2)) };
  assert.ok(plan.rules.threads in expected, plan.rules.threads);
  assert.equal(plan.threads, expected[plan.rules.threads], plan.reasons.threads);
  for (const field of ['backend', 'precision', 'threads', 'batch_size', 'first_chunk_ids', 'max_chunk_ids', 'components', 'warmup']) {
    assert.equal(typeof plan.reasons[field], 'string', field);
    assert.ok(plan.reasons[field].length > 5, field);
  }
});

test('camelCase overrides, and "set by you"', () => {
  const plan = engine.tune({ logicalCores: 8, threads: true, isNode: true }, readVoiceConfig('voxlet-en-us-slt'), { batchSize: 2, firstChunkIds: 16, use: 'offline' });
  assert.equal(plan.batch_size, 2);
  assert.equal(plan.first_chunk_ids, 16);
  assert.equal(plan.reasons.batch_size, 'set by you');
  assert.equal(plan.use, 'offline');
  assert.equal(plan.warmup, false);
});

test('bad input: a JSON voice that is not an object, an unknown override', () => {
  assert.throws(() => engine.tune({}, '[]'), VoxletError);
  assert.throws(() => engine.tune({}, readVoiceConfig('voxlet-en-us-slt'), { batch: 2 }), /overrides\.batch is not a plan field/);
  assert.throws(() => engine.tune({ logicalCores: 0 }, readVoiceConfig('voxlet-en-us-slt')), /profile\.logical_cores must be at least 1, got 0/);
});
