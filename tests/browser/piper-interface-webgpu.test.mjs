// The Piper-interface test voice's optimizer variants on WebGPU (Chromium's
// SwiftShader adapter: correctness only) against WASM in the same page, model
// level: the same fixed ids through ONNX Runtime Web on both backends. Each
// variant either agrees (same length, SNR above the limit) or WebGPU refuses it
// with a clear error naming the missing f16 support. Results: docs/benchmarks.md.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runOptimizeCommand } from '../../web/src/optimize/index.js';
import { browserSkip, launchChromium, openHarness, snrDb, startTestServer } from './support.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const DIR = 'build/webgpu-piper-variants'; // served to the page through extraPrefixes
const PYTHON = process.env.VOXLET_PYTHON ?? '/usr/bin/python3';
const VARIANTS = ['fp32', 'fp16', 'int8', 'int8-weights'];
// Measured on SwiftShader vs WASM with this 64-channel model: fp32 127, int8 140, int8-weights
// 128 dB (float rounding only); 30 dB still catches any kernel computing something else.
const MIN_SNR_DB = 30;
const IDS = [1, 0, 20, 0, 41, 0, 59, 0, 3, 0, 77, 0, 38, 0, 54, 0, 32, 0, 2];

const pythonSkip = spawnSync(PYTHON, ['-c', 'import onnx, numpy']).status === 0 ? false : `${PYTHON} lacks python3-onnx/numpy`;

// In the page: one session per backend from the webgpu bundle (it has both EPs), same feeds.
function runInPage(page, file) {
  return page.evaluate(
    async ({ url, ids }) => {
      const ort = await import('onnxruntime-web/webgpu');
      ort.env.wasm.numThreads = 1;
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      const feeds = () => ({
        input: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
        input_lengths: new ort.Tensor('int64', BigInt64Array.of(BigInt(ids.length)), [1]),
        scales: new ort.Tensor('float32', Float32Array.of(0, 1, 0), [3]),
      });
      const results = {};
      for (const backend of ['wasm', 'webgpu']) {
        try {
          const session = await ort.InferenceSession.create(bytes, { executionProviders: [backend] });
          const output = (await session.run(feeds())).output;
          results[backend] = { audio: Array.from(output.data, Number) };
          await session.release();
        } catch (error) {
          results[backend] = { error: String(error.message ?? error) };
        }
      }
      return results;
    },
    { url: new URL(`/${DIR}/${file}`, page.url()).href, ids: IDS },
  );
}


describe('Piper-interface test voice variants: WebGPU (SwiftShader) vs WASM', { skip: browserSkip || pythonSkip, timeout: 600_000 }, () => {
  let server;
  let browser;
  const table = [];
  before(async () => {
    const dir = path.join(ROOT, DIR);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const model = path.join(dir, 'fp32.onnx');
    spawnSync(PYTHON, [path.join(ROOT, 'scripts/optimize/make_test_voice.py'), model, '--channels', '64', '--blocks', '2'], { stdio: 'inherit' });
    for (const precision of VARIANTS.slice(1)) {
      const status = await runOptimizeCommand([model, '--to', precision, '-o', path.join(dir, `${precision}.onnx`), '--rounds', '1', '--force']);
      assert.equal(status, 0, `optimize --to ${precision}`);
    }
    server = await startTestServer({ extraPrefixes: ['/tests/browser/pages/', `/${DIR}/`] });
    browser = await launchChromium();
  });
  after(async () => {
    if (table.length) console.log(table.join('\n'));
    await browser?.close();
    await server?.close();
  });

  for (const precision of VARIANTS) {
    test(`${precision}: WebGPU agrees with WASM, or refuses naming f16`, async () => {
      const page = await openHarness(browser, server);
      try {
        const { wasm, webgpu } = await runInPage(page, `${precision}.onnx`);
        assert.equal(wasm.error, undefined, wasm.error);
        assert.equal(wasm.audio.length, IDS.length * 256);
        if (webgpu.error) {
          assert.equal(precision, 'fp16', `${precision} failed on WebGPU: ${webgpu.error}`);
          assert.match(webgpu.error, /f16/);
          table.push(`| ${precision} | refused: "${/Program \S+ requires f16[^.]*/.exec(webgpu.error)?.[0] ?? webgpu.error}" |`);
          return;
        }
        assert.equal(webgpu.audio.length, wasm.audio.length);
        const snr = snrDb(wasm.audio, webgpu.audio);
        assert.ok(snr > MIN_SNR_DB, `${precision}: WebGPU vs WASM SNR ${snr.toFixed(1)} dB`);
        table.push(`| ${precision} | agrees: same length, SNR ${snr.toFixed(1)} dB |`);
      } finally {
        await page.context().close();
      }
    });
  }
});
