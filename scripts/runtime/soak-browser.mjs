// The Chromium half of scripts/soak (issue 14): calls on one page-side Voxlet whose work runs in
// its Worker (the browser default), the same mix as the Node soak, with the memory of the page and
// its Worker (performance.measureUserAgentSpecificMemory(): JS heaps and WASM memories) sampled and
// bounded; the RSS of Chromium's process tree is printed alongside.
//
//   scripts/soak --browser [--calls 500] [--warmup 100] [--sample-every 100] [--max-growth-mb 2]
// Each memory measurement waits for Chromium's next full collection (about a minute here).
import { readFileSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { CHROMIUM, openHarness, startTestServer } from '../../tests/browser/support.mjs';

const { chromium } = createRequire(new URL('../../web/package.json', import.meta.url))('playwright-core');
// The test suites' flags, plus eager memory measurement (performance.measureUserAgentSpecificMemory
// answers at once, after a full GC, counting the page and its Worker: JS heaps and WASM memories).
const ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-blink-features=ForceEagerMeasureMemory'];

const { values } = parseArgs({
  options: {
    browser: { type: 'boolean' },
    calls: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '100' },
    'sample-every': { type: 'string', default: '100' },
    'max-growth-mb': { type: 'string', default: '2' },
  },
});
const [CALLS, WARMUP, EVERY, MAX_GROWTH_MB] = ['calls', 'warmup', 'sample-every', 'max-growth-mb'].map((name) => Number(values[name]));

const server = await startTestServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
let ok = false;
try {
  const page = await openHarness(browser, server);
  await page.evaluate(async () => {
    const tts = await window.voxlet.Voxlet.create({ backend: 'wasm' }); // in its Worker
    await tts.loadVoice('/models/voxlet-en-us-slt/voice.json');
    const texts = ['Hello there.', 'It costs $3.50, right?', 'The first sentence is here. And a second one follows it.', '<speak>One <break time="200ms"/> two.</speak>'];
    const kinds = [
      (i) => tts.synthesize(texts[i % texts.length]),
      async (i) => { for await (const chunk of tts.stream(texts[i % texts.length])) if (!chunk.audio) throw new Error('no audio'); },
      async (i) => { for await (const chunk of tts.stream(texts[(i + 2) % texts.length])) if (chunk) break; },
      () => tts.stream(texts[2], { maxChunkIds: 16, firstChunkIds: 8 }).next(), // dropped: the next call pre-empts it
      async () => {
        const controller = new AbortController();
        const call = tts.synthesize(texts[2], { signal: controller.signal });
        controller.abort('soak');
        await call.catch((error) => { if (error.code !== 'ABORTED') throw error; });
      },
      async (i) => tts.toWav(await tts.synthesize(texts[i % 2])),
    ];
    window.soakBatch = async (from, count) => {
      for (let i = from; i < from + count; i++) await kinds[i % kinds.length](i);
    };
  });
  const root = browser.process?.()?.pid ?? findChromiumRoot();
  const samples = [];
  const started = performance.now();
  for (let done = 0; done < CALLS; done += EVERY) {
    await page.evaluate(([from, count]) => window.soakBatch(from, count), [done, EVERY]);
    const measuredMb = (await page.evaluate(async () => (await performance.measureUserAgentSpecificMemory()).bytes)) / 2 ** 20;
    const rssMb = treeRssBytes(root) / 2 ** 20;
    samples.push({ calls: done + EVERY, rssMb: measuredMb });
    console.log(`${String(done + EVERY).padStart(6)} calls  page + Worker memory ${measuredMb.toFixed(1)} MB  (Chromium RSS ${rssMb.toFixed(1)} MB, not bounded: shared pages, GC timing)  (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  if (page.problems.length) console.log(`page problems: ${page.problems.join('; ')}`);
  const steady = samples.filter((s) => s.calls > WARMUP);
  const growth = slopePer1000(steady);
  console.log(`\nChromium, ${CALLS} calls in the Worker: growth per 1,000 calls after ${WARMUP} warm-up calls: page + Worker memory ${growth.toFixed(3)} MB (${steady[0]?.rssMb.toFixed(1)} -> ${steady.at(-1)?.rssMb.toFixed(1)} MB)`);
  ok = steady.length >= 2 && growth <= MAX_GROWTH_MB && page.problems.length === 0;
  console.log(ok ? `PASS: within ${MAX_GROWTH_MB} MB per 1,000 calls` : `FAIL: growth over ${MAX_GROWTH_MB} MB per 1,000 calls, too few samples, or page errors`);
} finally {
  await browser.close();
  await server.close();
}
process.exitCode = ok ? 0 : 1;

function slopePer1000(points) {
  if (points.length < 2) return NaN;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.calls, 0) / n;
  const my = points.reduce((s, p) => s + p.rssMb, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.calls - mx) * (p.rssMb - my), 0);
  const sxx = points.reduce((s, p) => s + (p.calls - mx) ** 2, 0);
  return (sxy / sxx) * 1000;
}

// Resident bytes of a process and all its descendants (Linux /proc).
function treeRssBytes(rootPid) {
  const children = new Map();
  const rss = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const parent = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      rss.set(Number(entry), Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024);
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

// playwright-core's Browser has no process() (only launchServer does): Chromium is our child.
function findChromiumRoot() {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) === process.pid && /chrom/i.test(/^Name:\s+(.*)$/m.exec(status)?.[1] ?? '')) return Number(entry);
    } catch {
      // the process ended meanwhile
    }
  }
  throw new Error('Chromium is not a child of this process');
}
