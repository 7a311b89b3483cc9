// The demo site in headless Chromium, as a visitor uses it: it loads the
// built-in voice, speaks with the word highlighted, shows hardware and plan,
// offers a WAV; and after the first visit it works with the server stopped.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSkip, startTestServer, useServerAndChromium } from './support.mjs';

const DEMO = '/web/demo/';

async function openDemo(context, url) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.voxletDemo?.ready !== undefined);
  await page.evaluate(() => window.voxletDemo.ready);
  return page;
}

// Clicks Speak and waits for the end; returns the words that were highlighted, in order.
async function speakAndWatch(page, text) {
  await page.fill('#text', text);
  await page.evaluate(() => {
    window.highlighted = [];
    new MutationObserver(() => {
      const mark = document.querySelector('#highlight mark');
      if (mark && window.highlighted.at(-1) !== mark.textContent) window.highlighted.push(mark.textContent);
    }).observe(document.querySelector('#highlight'), { childList: true, subtree: true, characterData: true });
  });
  await page.click('#speak');
  await page.waitForFunction(() => /^(Done|Synthesis failed|Stopped)/.test(document.querySelector('#status').textContent), null, { timeout: 120_000 });
  return {
    status: await page.textContent('#status'),
    highlighted: await page.evaluate(() => window.highlighted),
    samples: await page.evaluate(() => window.voxletDemo.lastResult?.audio.length ?? 0),
  };
}

describe('demo site in Chromium', { skip: browserSkip, timeout: 600_000 }, () => {
  const started = useServerAndChromium();

  test('speaks the text with each word highlighted in turn, shows hardware and plan, downloads a WAV', async () => {
    const context = await started.browser.newContext({ acceptDownloads: true });
    const page = await openDemo(context, started.server.url.replace(/\/?$/, '') + DEMO);
    const run = await speakAndWatch(page, 'Good morning, this is the demo speaking.');
    assert.equal(run.status, 'Done.');
    assert.deepEqual(run.highlighted, ['Good', 'morning', 'this', 'is', 'the', 'demo', 'speaking']);
    assert.ok(run.samples > 0);
    assert.match(await page.textContent('#hardware'), /\S/);
    assert.match(await page.textContent('#plan'), /wasm|webgpu/i);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const stream = await download.createReadStream();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const wav = Buffer.concat(chunks);
    assert.equal(wav.subarray(0, 4).toString('latin1'), 'RIFF');
    assert.equal(wav.subarray(8, 12).toString('latin1'), 'WAVE');
    assert.ok(wav.length > 44 + 1000, `WAV bytes: ${wav.length}`);
    assert.deepEqual(page.problems, []);
    await context.close();
  });

  test('works offline after the first visit: server stopped, page reloaded, it still speaks', async () => {
    const offlineServer = await startTestServer();
    const context = await started.browser.newContext();
    const url = offlineServer.url.replace(/\/?$/, '') + DEMO;
    let page = await openDemo(context, url);
    // The service worker has precached everything once it is active and controls the page.
    await page.evaluate(() => navigator.serviceWorker.ready);
    if (!(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)))) {
      await page.reload();
      await page.evaluate(() => window.voxletDemo.ready);
    }
    assert.equal(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true, 'controlled by the service worker');
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500))); // let cache-urls messages land
    await offlineServer.close();
    await page.close();
    page = await openDemo(context, url);
    const run = await speakAndWatch(page, 'Still speaking without a server.');
    assert.equal(run.status, 'Done.');
    assert.ok(run.samples > 0);
    assert.deepEqual(run.highlighted, ['Still', 'speaking', 'without', 'a', 'server']);
    await context.close();
  });
});
