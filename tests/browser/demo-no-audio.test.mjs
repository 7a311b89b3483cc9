// The demo with a voice that makes no audio (Piper's stub, ../shared/fixtures: all zeros, which
// the post-processing trims away): the result line says "no audio" where it used to print a
// real-time factor divided by zero ("real-time factor 402835.00").
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PIPER_STUB, ROOT, piperSkip } from '../runtime/support.mjs';
import { browserSkip, launchChromium, startTestServer } from './support.mjs';

const SERVED = '/build/silent-voice-demo/'; // the stub copied here (the server serves only the repository; a folder per test file, as files run in parallel)

describe('demo: a voice that makes no audio', { skip: browserSkip || piperSkip, timeout: 300_000 }, () => {
  let server;
  let browser;
  before(async () => {
    mkdirSync(path.join(ROOT, SERVED), { recursive: true });
    for (const file of [PIPER_STUB, PIPER_STUB.replace(/\.json$/, '')]) copyFileSync(file, path.join(ROOT, SERVED, path.basename(file)));
    server = await startTestServer({ extraPrefixes: [SERVED] });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('speaking shows "no audio", not a real-time factor', async () => {
    const page = await (await browser.newContext()).newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await page.goto(`${server.url.replace(/\/?$/, '')}/web/demo/`);
    await page.waitForFunction(() => window.voxletDemo?.ready !== undefined);
    await page.evaluate(() => window.voxletDemo.ready);
    await page.fill('#piper-url', new URL(`${SERVED}${path.basename(PIPER_STUB, '.json')}`, page.url()).href);
    await page.click('#piper-add-url');
    await page.waitForFunction(() => /^Added/.test(document.querySelector('#piper-status').textContent) || !document.querySelector('#piper-error').hidden, null, { timeout: 120_000 });
    assert.equal(await page.evaluate(() => document.querySelector('#piper-error').hidden), true, await page.textContent('#piper-error'));
    await page.waitForFunction(() => window.voxletDemo.phase === 'idle', null, { timeout: 120_000 });

    await page.fill('#text', 'Hello there.');
    await page.click('#speak');
    await page.waitForFunction(() => /^(Done|Synthesis failed|Stopped)/.test(document.querySelector('#status').textContent), null, { timeout: 120_000 });
    assert.equal(await page.evaluate(() => window.voxletDemo.lastResult?.audio.length), 0, 'the stub voice made no samples');
    const info = await page.textContent('[data-testid=result-info]');
    assert.match(info, /^0\.00 s of audio .*\(no audio\)\.$/);
    assert.doesNotMatch(info, /real-time factor/);
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
