// detect() in Node: the profile's shape and sanity, symptoms consistent with the
// numbers, and the timeouts (a hanging requestAdapter must not hang detect()).
import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { detect, symptomsOf, benchmarkModule, withTimeout, SYMPTOMS, THRESHOLDS } from '../../web/src/detect.js';
import * as voxlet from '../../web/src/index.js';

const MODEL = new URL('../../models/voxlet-en-us-slt/model.onnx', import.meta.url);

test('the profile has every field, with sane values, in under 500 ms', async () => {
  const started = performance.now();
  const profile = await detect({ storageProbe: MODEL });
  const elapsed = performance.now() - started;
  assert.ok(elapsed <= 500, `detect() took ${elapsed} ms`);
  assert.ok(profile.timingsMs.total <= 500);
  assert.deepEqual(Object.keys(profile).sort(), [
    'crossOriginIsolated', 'deviceMemoryGb', 'gflops', 'isNode', 'jsHeapLimitMb', 'jspi', 'logicalCores', 'notes',
    'storage', 'storageReadMbps', 'symptoms', 'threads', 'timingsMs', 'wasmSimd', 'webgpu',
  ]);
  assert.equal(profile.logicalCores, os.availableParallelism());
  assert.ok(Math.abs(profile.deviceMemoryGb - os.totalmem() / 2 ** 30) < 0.1);
  assert.ok(profile.jsHeapLimitMb > 100);
  assert.equal(profile.isNode, true);
  assert.equal(profile.wasmSimd, true);
  assert.equal(profile.threads, true);
  assert.equal(profile.webgpu, null);
  assert.equal(typeof profile.jspi, 'boolean');
  assert.ok(profile.storage.quotaMb > 0);
  assert.ok(profile.storageReadMbps > 1 && profile.storageReadMbps < 1e6, `read ${profile.storageReadMbps} MB/s`);
  const { wasmSingle, wasmMulti, threadsMeasured } = profile.gflops;
  assert.ok(wasmSingle > 0.05 && wasmSingle < 500, `1 thread: ${wasmSingle} GFLOP/s`);
  if (wasmMulti !== null) {
    assert.equal(threadsMeasured, Math.min(profile.logicalCores, 4));
    assert.ok(wasmMulti > 0.05 && wasmMulti < 2000);
  } else {
    assert.ok(profile.notes.some((note) => note.includes('threads')), 'a missing N-thread rate is explained');
  }
  assert.ok(Array.isArray(profile.notes) && profile.notes.includes('WebGPU: none in Node'));
});

test('symptoms follow the numbers', async () => {
  const profile = await detect({ benchmark: true });
  assert.deepEqual(profile.symptoms, symptomsOf(profile));
  assert.ok(profile.symptoms.includes(SYMPTOMS.noUsableGpu), 'Node has no WebGPU');
  const best = Math.max(profile.gflops.wasmSingle, profile.gflops.wasmMulti ?? 0);
  assert.equal(profile.symptoms.includes(SYMPTOMS.weakCpu), best < THRESHOLDS.weakCpuGflops);
  assert.equal(profile.symptoms.includes(SYMPTOMS.lowMemory), profile.deviceMemoryGb < 4 || profile.jsHeapLimitMb < 1024);
  assert.ok(!profile.symptoms.includes(SYMPTOMS.slowStorage), 'no read speed measured: storage is not called slow');
});

test('without the benchmark, a CPU is judged by its core count', async () => {
  const profile = await detect({ benchmark: false });
  assert.deepEqual(profile.gflops.wasmSingle, null);
  assert.equal(profile.symptoms.includes('weak CPU'), profile.logicalCores <= 2);
});

test('symptomsOf: each symptom and its threshold', () => {
  const fine = { logicalCores: 8, deviceMemoryGb: 8, jsHeapLimitMb: 4096, threads: true, isNode: false,
    webgpu: { isFallbackAdapter: false }, gflops: { wasmSingle: 8, wasmMulti: 20, webgpu: 100 }, storageReadMbps: 300 };
  assert.deepEqual(symptomsOf(fine), []);
  assert.deepEqual(symptomsOf({ ...fine, deviceMemoryGb: 2 }), ['low memory']);
  assert.deepEqual(symptomsOf({ ...fine, deviceMemoryGb: null, jsHeapLimitMb: 512 }), ['low memory']);
  assert.deepEqual(symptomsOf({ ...fine, gflops: { wasmSingle: 1, wasmMulti: 1.5, webgpu: 100 } }), ['weak CPU']);
  assert.deepEqual(symptomsOf({ ...fine, threads: false, gflops: { wasmSingle: 1.5, wasmMulti: 6, webgpu: 100 } }), ['weak CPU']);
  assert.deepEqual(symptomsOf({ ...fine, gflops: {}, logicalCores: 2 }), ['weak CPU']);
  assert.deepEqual(symptomsOf({ ...fine, webgpu: null }), ['no usable GPU']);
  assert.deepEqual(symptomsOf({ ...fine, webgpu: { isFallbackAdapter: true } }), ['no usable GPU']);
  assert.deepEqual(symptomsOf({ ...fine, gflops: { wasmSingle: 8, wasmMulti: 20, webgpu: 15 } }), ['no usable GPU']);
  assert.deepEqual(symptomsOf({ ...fine, isNode: true }), ['no usable GPU']);
  assert.deepEqual(symptomsOf({ ...fine, storageReadMbps: 10 }), ['slow storage']);
});

test('a hanging requestAdapter() times out without hanging detect()', async () => {
  const gpu = { requestAdapter: () => new Promise(() => {}) };
  const started = performance.now();
  const profile = await detect({ gpu, adapterTimeoutMs: 100, benchmark: false });
  assert.ok(performance.now() - started < 400);
  assert.equal(profile.webgpu, null);
  assert.ok(profile.notes.includes('WebGPU: requestAdapter() did not answer within 100 ms'), profile.notes.join('; '));
  assert.ok(profile.symptoms.includes('no usable GPU'));
});

test('a hanging requestAdapter() with the benchmark still finishes within the budget', async () => {
  const started = performance.now();
  const profile = await detect({ gpu: { requestAdapter: () => new Promise(() => {}) } });
  assert.ok(performance.now() - started <= 500);
  assert.equal(profile.webgpu, null);
});

test('a rejecting requestAdapter() means no adapter', async () => {
  const profile = await detect({ gpu: { requestAdapter: () => Promise.reject(new Error('no')) }, benchmark: false });
  assert.equal(profile.webgpu, null);
});

test('an adapter is described: vendor, fallback, features, shader-f16, limits', async () => {
  const adapter = {
    info: { vendor: 'acme', architecture: 'rdna-x', description: 'test adapter' },
    isFallbackAdapter: false,
    features: new Set(['timestamp-query', 'shader-f16']),
    limits: { maxBufferSize: 2 ** 28, maxStorageBufferBindingSize: 2 ** 27 },
    // no requestDevice: the WebGPU benchmark cannot run and reports null
  };
  const profile = await detect({ gpu: { requestAdapter: async () => adapter } });
  assert.deepEqual(profile.webgpu, {
    vendor: 'acme', architecture: 'rdna-x', description: 'test adapter', isFallbackAdapter: false, shaderF16: true,
    features: ['shader-f16', 'timestamp-query'], maxBufferSize: 2 ** 28, maxStorageBufferBindingSize: 2 ** 27,
  });
  assert.equal(profile.gflops.webgpu, null);
});

test('the benchmark module is valid WebAssembly SIMD and computes a dot product', () => {
  assert.ok(WebAssembly.validate(benchmarkModule()));
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(benchmarkModule()));
  assert.equal(exports.run(3), 0); // zeroed memory
});

test('withTimeout settles on time', async () => {
  assert.equal(await withTimeout(new Promise(() => {}), 20, 'late'), 'late');
  assert.equal(await withTimeout(Promise.resolve(5), 20, 'late'), 5);
});

test('the package exports detect', () => {
  assert.equal(voxlet.detect, detect);
  assert.equal(voxlet.symptomsOf, symptomsOf);
});
