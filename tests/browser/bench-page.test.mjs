// The demo's benchmark page (web/demo/bench.html) in headless Chromium: a short run with the
// sweep; the figures table and the three charts appear with numbers (no timing thresholds).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSkip, useServerAndChromium } from './support.mjs';

describe('demo benchmark page', { skip: browserSkip, timeout: 900_000 }, () => {
  const started = useServerAndChromium();

  test('runs baseline vs tuned and the sweep, and draws them', async () => {
    const page = await (await started.browser.newContext()).newPage();
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
    assert.ok(result.sweep.runs.length >= 2, 'the sweep ran several plans');
    assert.ok(result.sweep.automatic, 'the automatic plan is among them');

    const table = await page.textContent('[data-testid=figures]');
    for (const label of ['detect()', 'calibration', 'cold start', 'warm start', 'memory', 'first audio', 'real-time factor', 'stage: inference', 'automatic plan ranks']) {
      assert.ok(table.includes(label), `the figures show ${label}`);
    }
    assert.match(table, /\d+(\.\d+)? ms/);
    for (const chart of ['chart-compare', 'chart-stages', 'chart-sweep']) {
      const bars = await page.$$eval(`[data-testid=${chart}] rect`, (rects) => rects.map((r) => Number(r.getAttribute('data-value'))));
      assert.ok(bars.length >= 2 && bars.every(Number.isFinite), `${chart}: ${bars}`);
      assert.ok(bars.some((value) => value > 0), `${chart} has non-zero bars`);
    }
    assert.equal(await page.$$eval('[data-testid=chart-sweep] rect[fill="var(--cursor)"]', (r) => r.length), 1, 'the automatic plan is highlighted');
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
