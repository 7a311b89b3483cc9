// The demo's benchmark page (web/demo/bench.html) in headless Chromium: a short run with the
// sweep; the figures table and the three charts appear with numbers (no timing thresholds),
// and the page fits its 1280 px window. A voice that makes no audio (Piper's stub, all zeros)
// shows "no audio" where the real-time factor would be.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PIPER_STUB, ROOT, piperSkip } from '../runtime/support.mjs';
import { browserSkip, launchChromium, startTestServer, useServerAndChromium } from './support.mjs';

const VIEWPORT = { width: 1280, height: 720 };

// No horizontal scrolling: the page is no wider than the window.
async function assertFitsWindow(page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.equal(innerWidth, VIEWPORT.width);
  assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide in a ${innerWidth} px window`);
}

describe('demo benchmark page', { skip: browserSkip, timeout: 900_000 }, () => {
  const started = useServerAndChromium();

  test('runs baseline vs tuned and the sweep, and draws them', async () => {
    const page = await (await started.browser.newContext({ viewport: VIEWPORT })).newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
    const text = encodeURIComponent('Benchmarks prove each choice.');
    await page.goto(`${started.server.url.replace(/\/?$/, '')}/web/demo/bench.html?rounds=1&sweep=1&text=${text}`);
    await page.waitForFunction(() => !document.getElementById('run').disabled);
    await page.click('[data-testid=run]');
    await page.waitForFunction(() => ['done', 'failed'].includes(document.body.dataset.state), null, { timeout: 850_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'done', await page.textContent('[data-testid=error]'));

    const result = await page.evaluate(() => window.voxletBench.result);
    for (const run of [result.baseline, result.tuned]) {
      assert.ok(run.cold_start_ms > 0 && run.first_audio_ms > 0 && run.rtf > 0, JSON.stringify(run));
      for (const stage of ['normalize', 'phonemize', 'inference', 'post_processing']) assert.ok(run.stages_ms[stage] >= 0, stage);
    }
    assert.ok(result.baseline.warm_start_ms > 0);
    assert.ok(result.detect_ms > 0 && result.calibration_ms > 0);
    assert.equal(typeof result.improvement.speedup, 'number');
    assert.ok(result.memory.mb === null || result.memory.mb > 0, `memory: ${JSON.stringify(result.memory)}`);
    // ORT's WebAssembly memory in each Worker, for the built-in voice: the issue-14 bound of 64 MiB.
    for (const mib of Object.values(result.ort_wasm_mib)) assert.ok(mib > 16 && mib <= 64, `ORT WASM memory ${JSON.stringify(result.ort_wasm_mib)} MiB`);
    assert.ok(result.sweep.runs.length >= 2, 'the sweep ran several plans');
    assert.ok(result.sweep.automatic, 'the automatic plan is among them');

    const table = await page.textContent('[data-testid=figures]');
    for (const label of ['detect()', 'calibration', 'cold start', 'warm start', 'memory', 'ONNX Runtime WASM memory', 'first audio', 'real-time factor', 'stage: inference', 'automatic plan ranks']) {
      assert.ok(table.includes(label), `the figures show ${label}`);
    }
    assert.match(table, /\d+(\.\d+)? ms/);
    for (const chart of ['chart-compare', 'chart-stages', 'chart-sweep']) {
      const bars = await page.$$eval(`[data-testid=${chart}] rect`, (rects) => rects.map((r) => Number(r.getAttribute('data-value'))));
      assert.ok(bars.length >= 2 && bars.every(Number.isFinite), `${chart}: ${bars}`);
      assert.ok(bars.some((value) => value > 0), `${chart} has non-zero bars`);
    }
    assert.equal(await page.$$eval('[data-testid=chart-sweep] rect[fill="var(--cursor)"]', (r) => r.length), 1, 'the automatic plan is highlighted');
    await assertFitsWindow(page);
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});

describe('demo benchmark page, a voice that makes no audio', { skip: browserSkip || piperSkip, timeout: 600_000 }, () => {
  const SERVED = '/build/silent-voice-bench/'; // the stub copied here (the server serves only the repository; a folder per test file, as files run in parallel)
  let server;
  let browser;
  before(async () => {
    const folder = path.join(ROOT, SERVED);
    mkdirSync(folder, { recursive: true });
    for (const file of [PIPER_STUB, PIPER_STUB.replace(/\.json$/, '')]) copyFileSync(file, path.join(folder, path.basename(file)));
    server = await startTestServer({ extraPrefixes: ['/tests/browser/pages/', SERVED] });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the figures and the chart say "no audio" instead of a real-time factor', async () => {
    const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    const voice = encodeURIComponent(`${SERVED}${path.basename(PIPER_STUB)}`);
    await page.goto(`${server.url.replace(/\/?$/, '')}/web/demo/bench.html?rounds=1&sweep=0&auto=1&text=Hello%20there.&voice=${voice}`);
    await page.waitForFunction(() => ['done', 'failed'].includes(document.body.dataset.state), null, { timeout: 500_000 });
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'done', await page.textContent('[data-testid=error]'));
    const result = await page.evaluate(() => window.voxletBench.result);
    assert.equal(result.baseline.rtf, null);
    assert.equal(result.tuned.rtf, null);
    const row = await page.$$eval('[data-testid=figures] tr', (rows) => rows.map((tr) => [...tr.cells].map((cell) => cell.textContent)).find((cells) => cells[0] === 'real-time factor'));
    assert.deepEqual(row, ['real-time factor', 'no audio', 'no audio']);
    const labels = await page.$$eval('[data-testid=chart-compare] text', (texts) => texts.map((text) => text.textContent));
    assert.equal(labels.filter((text) => text === 'no audio').length, 2, labels.join(' / '));
    assert.ok(!labels.some((text) => /Infinity|NaN|null/.test(text)), labels.join(' / '));
    await assertFitsWindow(page);
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
