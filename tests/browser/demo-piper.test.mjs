// The demo's "Add a Piper voice" in headless Chromium, as a visitor uses it:
// a Piper-interface test voice (scripts/piper/make-piper-test-voice.mjs) added
// by URL and another by the file input, each selected and speaking through
// espeak-ng; bad voices refused with the reason in words and not listed; after
// a reload both are listed again, and with the server stopped too (offline),
// where an added voice still speaks; Remove forgets one.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PIPER_TEST_VOICES, ensurePiperTestVoices } from '../../scripts/piper/make-piper-test-voice.mjs';
import { piperSkip, voicesSkip } from '../runtime/support.mjs';
import { browserSkip, launchChromium, startTestServer } from './support.mjs';

const DEMO = '/web/demo/';
const SERVED = '/build/piper-test-voice/';
const BY_URL = 'piper:en_US-test-medium.onnx';
const BY_FILES = 'piper:en_US-test-multi-medium.onnx';

async function openDemo(context, url) {
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => window.voxletDemo?.ready !== undefined);
  await page.evaluate(() => window.voxletDemo.ready);
  return page;
}

// Waits for the add to finish: the status says "Added …" or the error box shows.
async function addOutcome(page) {
  await page.waitForFunction(
    () => /^Added/.test(document.querySelector('#piper-status').textContent) || !document.querySelector('#piper-error').hidden,
    null,
    { timeout: 120_000 },
  );
  await page.waitForFunction(() => window.voxletDemo.phase === 'idle', null, { timeout: 120_000 });
  return page.evaluate(() => ({
    status: document.querySelector('#piper-status').textContent,
    error: document.querySelector('#piper-error').hidden ? null : document.querySelector('#piper-error').textContent,
    code: document.querySelector('#piper-error').dataset.code ?? null,
    selected: document.querySelector('#voice').value,
  }));
}

async function addByUrl(page, modelUrl) {
  await page.evaluate(() => {
    document.querySelector('#piper-status').textContent = '';
    document.querySelector('#piper-error').hidden = true;
  });
  await page.fill('#piper-url', modelUrl);
  await page.click('#piper-add-url');
  return addOutcome(page);
}

async function speak(page, text) {
  await page.fill('#text', text);
  await page.click('#speak');
  await page.waitForFunction(() => /^(Done|Synthesis failed|Stopped)/.test(document.querySelector('#status').textContent), null, { timeout: 120_000 });
  return {
    status: await page.textContent('#status'),
    samples: await page.evaluate(() => window.voxletDemo.lastResult?.audio.length ?? 0),
    words: await page.evaluate(() => window.voxletDemo.lastResult?.words.map((w) => w.text) ?? []),
  };
}

const listed = (page) => page.evaluate(() => [...document.querySelectorAll('#voice option')].map((o) => o.value));

async function selectVoice(page, id) {
  await page.selectOption('#voice', id);
  await page.waitForFunction(() => /^Ready/.test(document.querySelector('#status').textContent) && window.voxletDemo.phase === 'idle', null, { timeout: 120_000 });
}

describe('demo: Add a Piper voice', { skip: browserSkip || voicesSkip || piperSkip, timeout: 900_000 }, () => {
  let server;
  let browser;
  let dir;
  before(async () => {
    dir = ensurePiperTestVoices();
    server = await startTestServer({ extraPrefixes: [SERVED] });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('by URL and by files: listed, selected, speaking; bad voices refused in words; kept across reloads and offline', async () => {
    const context = await browser.newContext();
    const origin = server.url.replace(/\/$/, '');
    const url = origin + DEMO;
    let page = await openDemo(context, url);
    await page.evaluate(() => navigator.serviceWorker.ready);

    const byUrl = await addByUrl(page, `${origin}${SERVED}${PIPER_TEST_VOICES.single.replace(/\.json$/, '')}`);
    assert.equal(byUrl.error, null);
    assert.match(byUrl.status, /^Added en_US-test-medium/);
    assert.equal(byUrl.selected, BY_URL);
    assert.equal(await page.isHidden('#speaker'), true, 'one speaker: no speaker picker');
    let run = await speak(page, 'Hello world. This is a Piper voice.');
    assert.equal(run.status, 'Done.');
    assert.ok(run.samples > 0);
    assert.deepEqual(run.words, ['Hello', 'world', 'This', 'is', 'a', 'Piper', 'voice']);

    const multi = path.join(dir, PIPER_TEST_VOICES.multi);
    await page.setInputFiles('#piper-files', [multi.replace(/\.json$/, ''), multi]);
    const byFiles = await addOutcome(page);
    assert.equal(byFiles.error, null);
    assert.equal(byFiles.selected, BY_FILES);
    assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('#speaker option')].map((o) => o.value)), ['alice', 'bob']);
    const bySpeaker = {};
    for (const speaker of ['alice', 'bob']) {
      await page.selectOption('#speaker', speaker);
      run = await speak(page, 'Two files, one voice.');
      assert.equal(run.status, 'Done.');
      assert.ok(run.samples > 0);
      bySpeaker[speaker] = await page.evaluate(() => Array.from(window.voxletDemo.lastResult.audio.subarray(0, 2000)));
    }
    assert.notDeepEqual(bySpeaker.alice, bySpeaker.bob, 'the speaker picker selects the sid');

    // Refused with the reason in words; not listed; the voice before it is back.
    const mismatch = await addByUrl(page, `${origin}${SERVED}${PIPER_TEST_VOICES.small.replace(/\.json$/, '')}`);
    assert.equal(mismatch.code, 'MODEL_MISMATCH');
    assert.match(mismatch.error, /not added.*embeds 64 symbols/s);
    assert.equal(mismatch.selected, BY_FILES);
    const missing = await addByUrl(page, `${origin}${SERVED}nowhere/en_US-none-low.onnx`);
    assert.equal(missing.code, 'VOICE_NOT_FOUND');
    assert.match(missing.error, /HTTP 404.*give its URL/s);
    await page.setInputFiles('#piper-files', [multi]);
    const oneFile = await addOutcome(page);
    assert.match(oneFile.error, /Choose two files/);
    assert.deepEqual((await listed(page)).filter((id) => id.startsWith('piper:')), [BY_URL, BY_FILES]);

    await page.reload();
    await page.evaluate(() => window.voxletDemo.ready);
    assert.deepEqual((await listed(page)).filter((id) => id.startsWith('piper:')), [BY_URL, BY_FILES], 'listed after a reload');
    assert.equal(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true, 'controlled by the service worker');
    assert.deepEqual(page.problems, []);

    await server.close();
    server = null;
    await page.close();
    page = await openDemo(context, url);
    assert.deepEqual((await listed(page)).filter((id) => id.startsWith('piper:')), [BY_URL, BY_FILES], 'listed offline');
    await selectVoice(page, BY_URL);
    run = await speak(page, 'Still here offline.');
    assert.equal(run.status, 'Done.');
    assert.ok(run.samples > 0);

    // Removing forgets it (the built-in voice comes back), also across a reload.
    await page.click('#piper-remove');
    await page.waitForFunction(() => /^Removed/.test(document.querySelector('#piper-status').textContent));
    await page.waitForFunction(() => /^Ready/.test(document.querySelector('#status').textContent), null, { timeout: 120_000 });
    assert.equal(await page.inputValue('#voice'), 'voxlet-en-us-slt');
    await page.reload();
    await page.evaluate(() => window.voxletDemo.ready);
    assert.deepEqual((await listed(page)).filter((id) => id.startsWith('piper:')), [BY_FILES], 'removed for good');
    await context.close();
  });
});
