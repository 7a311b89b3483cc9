// detect(): the device profile the tuner reads (docs/tuning.md) — cores, memory,
// WebGPU adapter, WASM SIMD/threads/JSPI, storage quota and cache read speed,
// and a short micro-benchmark of achieved GFLOP/s (WASM SIMD on 1 and N threads,
// WebGPU) — plus the guide's symptoms that apply, in words. Every await is
// bounded by a timeout, so a hanging requestAdapter() cannot hang detect();
// the whole call stays under `budgetMs` (default 480 ms).
//
//   const profile = await detect();
//   profile.symptoms;            // ['no usable GPU']
//   engine.tune(profile, voiceConfig);
import { hasWasmSimd, hasWasmThreads, isNode } from './capabilities.js';
import { VOICE_CACHE_NAME } from './voice-cache.js';
import { importNodeBuiltin, workerExecArgv } from './node-builtins.js';

/** The guide's symptom names (the C++ tuner uses the same words). */
export const SYMPTOMS = Object.freeze({
  lowMemory: 'low memory',
  weakCpu: 'weak CPU',
  noUsableGpu: 'no usable GPU',
  slowStorage: 'slow storage',
});

/** Symptom thresholds; engine/include/voxlet/tuner.h holds the same numbers. */
export const THRESHOLDS = Object.freeze({
  lowDeviceMemoryGb: 4,
  lowJsHeapLimitMb: 1024,
  weakCpuGflops: 2,
  weakCpuCores: 2,
  slowStorageMbps: 25,
});

const MB = 1e6;
const MIB = 2 ** 20;
const GIB = 2 ** 30;

/**
 * The symptoms a profile shows, by the rules of docs/tuning.md ("Classify symptoms").
 * Takes detect()'s camelCase profile.
 * @returns {string[]}
 */
export function symptomsOf(profile) {
  const symptoms = [];
  const t = THRESHOLDS;
  const lowDevice = profile.deviceMemoryGb != null && profile.deviceMemoryGb < t.lowDeviceMemoryGb;
  const lowHeap = profile.jsHeapLimitMb != null && profile.jsHeapLimitMb < t.lowJsHeapLimitMb;
  if (lowDevice || lowHeap) symptoms.push(SYMPTOMS.lowMemory);
  const cpu = bestCpuGflops(profile);
  if (cpu != null ? cpu < t.weakCpuGflops : (profile.logicalCores ?? 1) <= t.weakCpuCores) symptoms.push(SYMPTOMS.weakCpu);
  const gpu = profile.webgpu;
  const gpuRate = profile.gflops?.webgpu;
  if (profile.isNode || !gpu || gpu.isFallbackAdapter || (cpu != null && gpuRate != null && gpuRate <= cpu)) {
    symptoms.push(SYMPTOMS.noUsableGpu);
  }
  if (profile.storageReadMbps != null && profile.storageReadMbps < t.slowStorageMbps) symptoms.push(SYMPTOMS.slowStorage);
  return symptoms;
}

function bestCpuGflops(profile) {
  const single = profile.gflops?.wasmSingle ?? null;
  const multi = profile.threads ? (profile.gflops?.wasmMulti ?? null) : null;
  if (single == null) return multi;
  return multi == null ? single : Math.max(single, multi);
}

/**
 * Resolves to the promise's value, or to `fallback` after `ms` (the promise is
 * left to settle on its own; a rejection counts as `fallback` too).
 */
export function withTimeout(promise, ms, fallback = TIMED_OUT) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(fallback), Math.max(0, ms));
  });
  return Promise.race([Promise.resolve(promise).catch(() => fallback), timeout]).finally(() => clearTimeout(timer));
}
const TIMED_OUT = Symbol('timed out');

/**
 * Measures the device.
 * @param {object} [options]
 * @param {boolean} [options.benchmark=true]  false: skip the GFLOP/s measurements
 * @param {number} [options.budgetMs=480]  the whole call's time limit
 * @param {number} [options.adapterTimeoutMs=200]  how long requestAdapter() may take
 * @param {object|null} [options.gpu]  the WebGPU entry point (default navigator.gpu; tests inject one)
 * @param {string|URL} [options.storageProbe]  a file to time reading (Node: a path or file: URL;
 *   browsers: a URL in the voice cache). Default: the first model in the voice cache (browsers), none (Node)
 * @returns {Promise<object>} the profile (index.d.ts: DeviceProfile)
 */
export async function detect(options = {}) {
  const started = now();
  const budgetMs = options.budgetMs ?? 480;
  const deadline = started + budgetMs;
  const left = (cap) => Math.max(0, Math.min(cap, deadline - now()));
  const notes = [];
  const timings = {};
  const node = isNode();
  const nodeModules = node ? await loadNodeModules() : null;

  const profile = {
    logicalCores: logicalCores(nodeModules),
    deviceMemoryGb: deviceMemoryGb(nodeModules),
    jsHeapLimitMb: jsHeapLimitMb(nodeModules),
    webgpu: null,
    wasmSimd: hasWasmSimd(),
    threads: hasWasmThreads(),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    jspi: typeof WebAssembly === 'object' && 'Suspending' in WebAssembly,
    storage: null,
    storageReadMbps: null,
    gflops: { kind: 'wasm-simd f32x4 dot product; webgpu naive matmul', wasmSingle: null, wasmMulti: null, threadsMeasured: null, webgpu: null },
    isNode: node,
    symptoms: [],
    notes,
    timingsMs: timings,
  };

  // Started first, awaited later: these run while the CPU is measured.
  const gpu = options.gpu !== undefined ? options.gpu : globalThis.navigator?.gpu ?? null;
  const adapterTimeoutMs = options.adapterTimeoutMs ?? 200;
  const adapterStart = now();
  const adapterPromise = gpu ? withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance' }), adapterTimeoutMs) : null;
  if (!gpu) notes.push(node ? 'WebGPU: none in Node' : 'WebGPU: navigator.gpu is absent');
  // (an injected or future Node navigator.gpu is still asked: the profile reports what exists)
  const quotaPromise = withTimeout(storageQuota(nodeModules), left(100), null);

  // Workers for the N-thread run boot while the storage read runs.
  const benchmark = options.benchmark !== false && profile.wasmSimd;
  const threadCount = Math.min(profile.logicalCores, 4);
  const pool = benchmark && profile.threads && threadCount > 1 ? startWorkers(threadCount, nodeModules) : null;

  // Storage read before the CPU runs: a busy event loop would inflate it.
  let t = now();
  const read = await withTimeout(readSpeed(options.storageProbe, nodeModules), left(120), TIMED_OUT);
  if (read === TIMED_OUT) notes.push('storage read: timed out');
  else if (read) profile.storageReadMbps = round(read.mbps);
  else notes.push('storage read: no cached voice to time');
  timings.storage = round(now() - t);

  if (benchmark) {
    t = now();
    const calibration = measureSingle(left(25));
    timings.wasmSingle = round(now() - t);
    if (pool) {
      t = now();
      const multi = await withTimeout(pool.measure(calibration.repsFor30ms), left(170), TIMED_OUT);
      if (multi === TIMED_OUT || multi == null) notes.push(`WASM ${threadCount} threads: did not finish in time`);
      else {
        profile.gflops.wasmMulti = round(multi);
        profile.gflops.threadsMeasured = threadCount;
      }
      pool.terminate();
      timings.wasmMulti = round(now() - t);
    }
    t = now();
    const single = measureSingle(left(50));
    profile.gflops.wasmSingle = round(Math.max(single.gflops, calibration.gflops));
    timings.wasmSingle += round(now() - t);
  } else if (options.benchmark !== false) {
    notes.push('WASM benchmark: no WebAssembly SIMD');
  }

  if (adapterPromise) {
    const adapter = await withTimeout(adapterPromise, left(adapterTimeoutMs - (now() - adapterStart)), TIMED_OUT);
    timings.adapter = round(now() - adapterStart);
    if (adapter === TIMED_OUT) notes.push(`WebGPU: requestAdapter() did not answer within ${adapterTimeoutMs} ms`);
    else if (!adapter) notes.push('WebGPU: no adapter');
    else {
      profile.webgpu = describeAdapter(adapter);
      if (options.benchmark !== false) {
        t = now();
        const rate = await withTimeout(measureWebGpu(adapter), left(130), TIMED_OUT);
        if (rate === TIMED_OUT || rate == null) notes.push('WebGPU benchmark: did not finish in time or failed');
        else profile.gflops.webgpu = round(rate);
        timings.webgpu = round(now() - t);
      }
    }
  }

  profile.storage = await quotaPromise;
  profile.symptoms = symptomsOf(profile);
  timings.total = round(now() - started);
  return profile;
}

// --- Device facts ------------------------------------------------------------------

async function loadNodeModules() {
  const [os, v8, fs] = await Promise.all([importNodeBuiltin('os'), importNodeBuiltin('v8'), importNodeBuiltin('fs/promises')]);
  return { os, v8, fs, workerThreads: await importNodeBuiltin('worker_threads') };
}

function logicalCores(nodeModules) {
  if (nodeModules) return nodeModules.os.availableParallelism?.() ?? nodeModules.os.cpus().length ?? 1;
  return globalThis.navigator?.hardwareConcurrency ?? 1;
}

function deviceMemoryGb(nodeModules) {
  if (nodeModules) return round(nodeModules.os.totalmem() / GIB);
  const value = globalThis.navigator?.deviceMemory;
  return typeof value === 'number' && value > 0 ? value : null;
}

function jsHeapLimitMb(nodeModules) {
  if (nodeModules) return round(nodeModules.v8.getHeapStatistics().heap_size_limit / MIB);
  const limit = globalThis.performance?.memory?.jsHeapSizeLimit;
  return typeof limit === 'number' && limit > 0 ? round(limit / MIB) : null;
}

async function storageQuota(nodeModules) {
  if (nodeModules) {
    if (typeof nodeModules.fs.statfs !== 'function') return null;
    const stats = await nodeModules.fs.statfs(process.cwd());
    return { quotaMb: round((stats.bavail * stats.bsize) / MB), usageMb: null };
  }
  const estimate = await globalThis.navigator?.storage?.estimate?.();
  if (!estimate) return null;
  return { quotaMb: round((estimate.quota ?? 0) / MB), usageMb: round((estimate.usage ?? 0) / MB) };
}

// Times one read of a cached model: the speed a cold start loads a voice at.
async function readSpeed(probe, nodeModules) {
  if (nodeModules) {
    if (!probe) return null;
    const path = probe instanceof URL || /^file:/.test(String(probe)) ? new URL(probe) : String(probe);
    const start = now();
    const bytes = await nodeModules.fs.readFile(path);
    return { mbps: bytes.length / MB / Math.max((now() - start) / 1000, 1e-4) };
  }
  if (typeof globalThis.caches?.open !== 'function') return null;
  const cache = await globalThis.caches.open(VOICE_CACHE_NAME);
  let request = probe ? String(probe) : null;
  if (!request) {
    const keys = await cache.keys();
    request = keys.find((key) => /\.onnx(\?|$)/.test(key.url)) ?? null;
    if (!request) return null;
  }
  const start = now();
  const response = await cache.match(request);
  if (!response) return null;
  const bytes = await response.arrayBuffer();
  return { mbps: bytes.byteLength / MB / Math.max((now() - start) / 1000, 1e-4) };
}

function describeAdapter(adapter) {
  const info = adapter.info ?? {};
  const features = adapter.features ? Array.from(adapter.features).sort() : [];
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    description: info.description ?? '',
    isFallbackAdapter: Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter ?? false),
    shaderF16: features.includes('shader-f16'),
    features,
    maxBufferSize: adapter.limits?.maxBufferSize ?? null,
    maxStorageBufferBindingSize: adapter.limits?.maxStorageBufferBindingSize ?? null,
  };
}

// --- WASM SIMD micro-benchmark ---------------------------------------------------
//
// One exported function run(reps) -> f32: `reps` times, a dot product of two
// 4096-float arrays in memory with f32x4 mul + add on four accumulators (four
// independent chains, so it measures SIMD throughput rather than add latency).
// 8192 floating-point operations per rep.

const FLOPS_PER_REP = 8192;

function uleb(value) {
  const bytes = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    bytes.push(byte);
  } while (value);
  return bytes;
}

function section(id, body) {
  return [id, ...uleb(body.length), ...body];
}

function benchModuleBytes() {
  const LOCAL_REPS = 0, LOCAL_I = 1, ACC = 2; // accumulators: locals 2..5
  const get = (i) => [0x20, i];
  const set = (i) => [0x21, i];
  const load = (offset) => [0xfd, 0x00, 4, ...uleb(offset)]; // v128.load align=16
  const F32X4_ADD = [0xfd, ...uleb(0xe4)];
  const F32X4_MUL = [0xfd, ...uleb(0xe6)];
  const B = 16384; // b starts after a (4096 floats)
  const inner = [];
  for (let k = 0; k < 4; k++) {
    inner.push(...get(ACC + k), ...get(LOCAL_I), ...load(16 * k), ...get(LOCAL_I), ...load(B + 16 * k), ...F32X4_MUL, ...F32X4_ADD, ...set(ACC + k));
  }
  const code = [
    0x03, 0x40, // loop $outer
    0x41, 0x00, ...set(LOCAL_I), // i = 0
    0x03, 0x40, // loop $inner
    ...inner,
    ...get(LOCAL_I), 0x41, 0xc0, 0x00, 0x6a, 0x22, LOCAL_I, // i += 64 (local.tee)
    0x41, 0x80, 0x80, 0x01, 0x49, 0x0d, 0x00, // br_if $inner (i < 16384)
    0x0b,
    ...get(LOCAL_REPS), 0x41, 0x01, 0x6b, 0x22, LOCAL_REPS, 0x0d, 0x00, // br_if $outer (--reps != 0)
    0x0b,
    ...get(ACC), ...get(ACC + 1), ...F32X4_ADD, ...get(ACC + 2), ...F32X4_ADD, ...get(ACC + 3), ...F32X4_ADD,
    0xfd, 0x1f, 0x00, // f32x4.extract_lane 0
    0x0b,
  ];
  const body = [0x02, 0x01, 0x7f, 0x04, 0x7b, ...code]; // locals: 1 i32, 4 v128
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x01, 0x7f, 0x01, 0x7d]), // (i32) -> f32
    ...section(3, [0x01, 0x00]),
    ...section(5, [0x01, 0x00, 0x01]), // one memory, 1 page
    ...section(7, [0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x00]), // export "run"
    ...section(10, [0x01, ...uleb(body.length), ...body]),
  ]);
}

let moduleBytes;
/** The benchmark module's bytes (exported for tests). */
export function benchmarkModule() {
  moduleBytes ??= benchModuleBytes();
  return moduleBytes;
}

// Runs growing batches for about `ms` and keeps the best rate (least disturbed).
function measureSingle(ms) {
  const run = new WebAssembly.Instance(new WebAssembly.Module(benchmarkModule())).exports.run;
  run(1);
  const start = now();
  let reps = 16;
  let best = 0;
  while (now() - start < ms) {
    const t = now();
    run(reps);
    const elapsed = now() - t;
    if (elapsed > 0.5) best = Math.max(best, (reps * FLOPS_PER_REP) / (elapsed * 1e6));
    if (elapsed < 5) reps *= 2;
  }
  if (best === 0) best = 1e-3; // a timer too coarse to measure: effectively unknown, never reached in practice
  return { gflops: best, repsFor30ms: Math.max(1, Math.round((best * 1e6 * 30) / FLOPS_PER_REP)) };
}

const WORKER_BODY = `
let run;
onMessage((message) => {
  if (message.bytes) {
    run = new WebAssembly.Instance(new WebAssembly.Module(message.bytes)).exports.run;
    run(1);
    post('ready');
  } else {
    post({ result: run(message.reps) });
  }
});`;
const NODE_WORKER = `const { parentPort } = require('node:worker_threads');
const post = (m) => parentPort.postMessage(m);
const onMessage = (f) => parentPort.on('message', f);
${WORKER_BODY}`;
const BROWSER_WORKER = `const post = (m) => self.postMessage(m);
const onMessage = (f) => { self.onmessage = (event) => f(event.data); };
${WORKER_BODY}`;

// N workers each run the same fixed work at once; the rate is all the work over
// the wall time from "go" to the last "done". Workers start (and compile the
// module) first, so their start-up is not timed.
function startWorkers(count, nodeModules) {
  const workers = [];
  let ready;
  try {
    for (let i = 0; i < count; i++) workers.push(makeWorker(nodeModules));
    const bytes = benchmarkModule();
    ready = Promise.all(workers.map((worker) => worker.request({ bytes })));
  } catch (error) {
    ready = Promise.reject(error);
  }
  ready.catch(() => {});
  return {
    async measure(reps) {
      try {
        await ready;
        const start = now();
        await Promise.all(workers.map((worker) => worker.request({ reps })));
        const elapsed = now() - start;
        return (count * reps * FLOPS_PER_REP) / (Math.max(elapsed, 0.01) * 1e6);
      } catch {
        return null;
      }
    },
    terminate() {
      for (const worker of workers) worker.terminate();
    },
  };
}

function makeWorker(nodeModules) {
  let worker;
  let pending = null;
  const settle = (value, failed) => {
    const current = pending;
    pending = null;
    if (current) failed ? current.reject(value) : current.resolve(value);
  };
  if (nodeModules) {
    worker = new nodeModules.workerThreads.Worker(NODE_WORKER, { eval: true, execArgv: workerExecArgv() });
    worker.on('message', (message) => settle(message));
    worker.on('error', (error) => settle(error, true));
    worker.unref?.();
  } else {
    const url = URL.createObjectURL(new Blob([BROWSER_WORKER], { type: 'text/javascript' }));
    worker = new Worker(url);
    URL.revokeObjectURL(url);
    worker.onmessage = (event) => settle(event.data);
    worker.onerror = (event) => settle(new Error(event.message), true);
  }
  return {
    request(message) {
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(message);
      });
    },
    terminate: () => worker.terminate(),
  };
}

// --- WebGPU micro-benchmark ----------------------------------------------------------

const GPU_N = 256;
const GPU_SHADER = `
@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
const N: u32 = ${GPU_N}u;
@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  var sum = 0.0;
  for (var k = 0u; k < N; k++) { sum += a[id.y * N + k] * b[k * N + id.x]; }
  c[id.y * N + id.x] = sum;
}`;

// A naive 256x256 matmul: one dispatch to compile and warm up, then timed ones.
async function measureWebGpu(adapter) {
  if (typeof adapter.requestDevice !== 'function') return null;
  const device = await adapter.requestDevice();
  try {
    const bytes = GPU_N * GPU_N * 4;
    const usage = globalThis.GPUBufferUsage;
    const buffers = [0, 1, 2].map(() => device.createBuffer({ size: bytes, usage: usage.STORAGE }));
    const pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module: device.createShaderModule({ code: GPU_SHADER }), entryPoint: 'main' },
    });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const dispatch = async (times) => {
      const encoder = device.createCommandEncoder();
      for (let i = 0; i < times; i++) {
        const pass = encoder.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(GPU_N / 8, GPU_N / 8);
        pass.end();
      }
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
    };
    await dispatch(1); // compile + warm up
    let times = 1;
    for (;;) {
      const t = now();
      await dispatch(times);
      const elapsed = now() - t;
      if (elapsed >= 10 || times >= 64) return (times * 2 * GPU_N ** 3) / (Math.max(elapsed, 0.01) * 1e6);
      times *= 4;
    }
  } finally {
    device.destroy?.();
  }
}

// --- Small helpers -------------------------------------------------------------------

function now() {
  return globalThis.performance?.now?.() ?? Date.now();
}

function round(value) {
  return value == null || !Number.isFinite(value) ? null : Math.round(value * 100) / 100;
}
