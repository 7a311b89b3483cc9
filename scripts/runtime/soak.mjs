// The soak behind scripts/soak (issue 14): thousands of calls on one Voxlet in Node with the
// built-in voice, mixing synthesize(), streams read to the end, streams broken out of, streams
// dropped unfinished (pre-empted by the next call), aborted calls and toWav(), with memory
// sampled along the way: RSS and the WebAssembly memories (engine and ONNX Runtime). After a
// warm-up, growth per 1,000 calls is the slope of a least-squares line through the samples.
//
//   scripts/soak [--calls 3000] [--warmup 1000] [--sample-every 200] [--max-growth-mb 2]
// scripts/soak runs Node with --no-liftoff: V8 then compiles ONNX Runtime's WebAssembly fully at
// start. With its default dynamic tiering, RSS instead rises in steps of 2-7 MB for the first
// ~3,000 calls (each step when more WASM functions get hot and are recompiled: code, bounded by
// the module) while the JS heap and the WASM memories stay flat. Measured: default tiering, 4,000
// calls, 2,000 warm-up: +4.3 MB per 1,000 (flat after call 2,800); --no-liftoff, 3,000 calls,
// 1,000 warm-up: -2.7 MB per 1,000 (RSS 30-100 MB lower throughout).
// Exit code 0 when every growth is within the bound, 1 otherwise.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const wasmMemories = watchWasmMemories(); // before the engine and ORT instantiate theirs
const { Voxlet } = await import('../../web/src/voxlet.js');

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '3000' },
    warmup: { type: 'string', default: '1000' },
    'sample-every': { type: 'string', default: '200' },
    'max-growth-mb': { type: 'string', default: '2' },
  },
});
const CALLS = Number(values.calls);
const WARMUP = Number(values.warmup);
const EVERY = Number(values['sample-every']);
const MAX_GROWTH_MB = Number(values['max-growth-mb']);
const VOICE = fileURLToPath(new URL('../../models/voxlet-en-us-slt/voice.json', import.meta.url));
const TEXTS = ['Hello there.', 'It costs $3.50, right?', 'The first sentence is here. And a second one follows it.', '<speak>One <break time="200ms"/> two.</speak>'];

// One call of each kind, picked in turn; each returns nothing and leaves the Voxlet free or
// holding a dropped stream (which the next call pre-empts).
const KINDS = {
  synthesize: (tts, i) => tts.synthesize(TEXTS[i % TEXTS.length]).then(() => {}),
  'stream to the end': async (tts, i) => {
    for await (const chunk of tts.stream(TEXTS[i % TEXTS.length])) if (!chunk.audio) throw new Error('no audio');
  },
  'stream, break after one chunk': async (tts, i) => {
    for await (const chunk of tts.stream(TEXTS[(i + 2) % TEXTS.length])) if (chunk) break;
  },
  'stream dropped unfinished': async (tts, i) => {
    await tts.stream(TEXTS[2], { maxChunkIds: 16, firstChunkIds: 8 }).next(); // pre-empted by the next call
  },
  'aborted synthesize': async (tts, i) => {
    const controller = new AbortController();
    const call = tts.synthesize(TEXTS[2], { signal: controller.signal });
    controller.abort('soak');
    await call.catch((error) => {
      if (error.code !== 'ABORTED') throw error;
    });
  },
  toWav: async (tts, i) => {
    const result = await tts.synthesize(TEXTS[i % 2]);
    await tts.toWav(result);
  },
};

const tts = await Voxlet.create({ backend: 'wasm', threads: 1 });
await tts.loadVoice(VOICE);
const kinds = Object.entries(KINDS);
const counts = Object.fromEntries(kinds.map(([name]) => [name, 0]));
const samples = [];
const started = performance.now();
for (let i = 1; i <= CALLS; i++) {
  const [name, call] = kinds[i % kinds.length];
  await call(tts, i);
  counts[name]++;
  if (i % EVERY === 0) {
    globalThis.gc?.();
    const memory = process.memoryUsage();
    samples.push({ calls: i, rssMb: memory.rss / 2 ** 20, wasmMb: wasmMemories.totalBytes() / 2 ** 20, heapMb: memory.heapUsed / 2 ** 20 });
    const last = samples.at(-1);
    console.log(`${String(i).padStart(6)} calls  RSS ${last.rssMb.toFixed(1)} MB  WASM ${last.wasmMb.toFixed(1)} MB  JS heap ${last.heapMb.toFixed(1)} MB  (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
}
await tts.dispose();

const steady = samples.filter((s) => s.calls > WARMUP);
const growth = { rss: slopePer1000(steady, 'rssMb'), wasm: slopePer1000(steady, 'wasmMb'), heap: slopePer1000(steady, 'heapMb') };
console.log(`\n${CALLS} calls: ${kinds.map(([name]) => `${counts[name]} ${name}`).join(', ')}; fallbacks: ${tts.fallbacks.length}`);
console.log(`growth per 1,000 calls after ${WARMUP} warm-up calls (least squares over ${steady.length} samples):`);
console.log(`  RSS  ${growth.rss.toFixed(3)} MB   (${steady[0]?.rssMb.toFixed(1)} -> ${steady.at(-1)?.rssMb.toFixed(1)} MB)`);
console.log(`  JS heap ${growth.heap.toFixed(3)} MB`);
console.log(`  WASM ${growth.wasm.toFixed(3)} MB   (${steady[0]?.wasmMb.toFixed(1)} -> ${steady.at(-1)?.wasmMb.toFixed(1)} MB, engine + ONNX Runtime)`);
const ok = steady.length >= 2 && growth.rss <= MAX_GROWTH_MB && growth.wasm <= MAX_GROWTH_MB;
console.log(ok ? `PASS: within ${MAX_GROWTH_MB} MB per 1,000 calls` : `FAIL: growth over ${MAX_GROWTH_MB} MB per 1,000 calls (or too few samples after the warm-up)`);
process.exitCode = ok ? 0 : 1;

function slopePer1000(points, key) {
  if (points.length < 2) return NaN;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.calls, 0) / n;
  const my = points.reduce((s, p) => s + p[key], 0) / n;
  const sxy = points.reduce((s, p) => s + (p.calls - mx) * (p[key] - my), 0);
  const sxx = points.reduce((s, p) => s + (p.calls - mx) ** 2, 0);
  return (sxy / sxx) * 1000;
}

// Every WebAssembly memory this process makes or instantiates (Emscripten's threaded builds make
// theirs in JS, the others export it), so the soak can read their sizes; nothing else changes.
function watchWasmMemories() {
  const memories = new Set();
  const Original = WebAssembly.Memory;
  WebAssembly.Memory = new Proxy(Original, {
    construct(target, args) {
      const memory = Reflect.construct(target, args);
      memories.add(memory);
      return memory;
    },
  });
  const collect = (instance) => {
    for (const value of Object.values(instance?.exports ?? {})) if (value instanceof Original) memories.add(value);
  };
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async (...args) => {
    const result = await instantiate.apply(WebAssembly, args);
    collect(result.instance ?? result);
    return result;
  };
  const instantiateStreaming = WebAssembly.instantiateStreaming;
  if (instantiateStreaming) {
    WebAssembly.instantiateStreaming = async (...args) => {
      const result = await instantiateStreaming.apply(WebAssembly, args);
      collect(result.instance);
      return result;
    };
  }
  return { totalBytes: () => [...memories].reduce((sum, memory) => sum + memory.buffer.byteLength, 0) };
}
