// Issue 14, chaos in Chromium (the Node cases are in tests/reliability/chaos.test.mjs): the
// Voxlet's Worker terminated mid-stream (the stream fails with WORKER_FAILED, no hang; the next
// call starts a new worker), Cache Storage refusing to store (quota exceeded: the voice still
// loads and speaks), several Voxlets in parallel (each output as when alone), and interleaved
// streams on one Voxlet (the suspended one is pre-empted, the other runs). Device loss and
// corrupted cached voices are in runtime.test.mjs. Faults are injected in the page only.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_VOICE, browserSkip, openHarness, useServerAndChromium } from './support.mjs';

const QUIET = { noiseScale: 0, noiseW: 0 }; // deterministic: equal inputs give equal samples
const LONG_TEXT = 'The first sentence is here. And a second one follows it. A third comes after that, and then a fourth one.';

describe('chaos in Chromium', { skip: browserSkip, timeout: 600_000 }, () => {
  const started = useServerAndChromium();
  const open = async () => {
    const page = await openHarness(started.browser, started.server);
    return { page, voice: new URL(DEFAULT_VOICE, page.url()).href };
  };

  test("the Voxlet's Worker terminated mid-stream: WORKER_FAILED at once, then the next call runs in a new worker", async () => {
    const { page, voice } = await open();
    const outcome = await page.evaluate(
      async ({ voice, text, quiet }) => {
        // The seam: remember the Workers the page starts (terminating one stands for a crash).
        const workers = [];
        const PageWorker = window.Worker;
        window.Worker = class extends PageWorker {
          constructor(...args) {
            super(...args);
            workers.push({ worker: this, name: args[1]?.name });
          }
        };
        const tts = await window.voxlet.Voxlet.create({ backend: 'wasm' });
        try {
          await tts.loadVoice(voice);
          const stream = tts.stream(text, quiet);
          await stream.next();
          workers.find((entry) => entry.name === 'voxlet').worker.terminate();
          let failure = null;
          try {
            while (!(await stream.next()).done);
          } catch (error) {
            failure = { name: error.name, code: error.code, message: error.message };
          }
          const after = await tts.synthesize('Still speaking.', quiet);
          return { failure, samples: after.audio.length, fallbacks: tts.fallbacks.map((step) => step.stage), voxletWorkers: workers.filter((entry) => entry.name === 'voxlet').length };
        } finally {
          await tts.dispose();
          window.Worker = PageWorker;
        }
      },
      { voice, text: LONG_TEXT, quiet: QUIET },
    );
    assert.equal(outcome.failure?.name, 'VoxletError', JSON.stringify(outcome));
    assert.equal(outcome.failure.code, 'WORKER_FAILED');
    assert.match(outcome.failure.message, /worker stopped/i);
    assert.ok(outcome.samples > 10000, `${outcome.samples} samples after the restart`);
    assert.deepEqual(outcome.fallbacks, ['worker']);
    assert.equal(outcome.voxletWorkers, 2, 'one new Voxlet worker');
    await page.close();
  });

  test('Cache Storage refusing to store (quota exceeded): the voice loads and speaks, uncached', async () => {
    const { page, voice } = await open();
    const outcome = await page.evaluate(
      async ({ voice }) => {
        await caches.delete('voxlet-voices-v1');
        Cache.prototype.put = () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
        const tts = await window.voxlet.Voxlet.create({ backend: 'wasm', worker: false }); // its cache calls run in this page
        try {
          const info = await tts.loadVoice(voice);
          const { audio } = await tts.synthesize('Hello there.');
          return { verified: info.verified, samples: audio.length, cached: (await (await caches.open('voxlet-voices-v1')).keys()).length };
        } finally {
          await tts.dispose();
        }
      },
      { voice },
    );
    assert.equal(outcome.verified, true);
    assert.ok(outcome.samples > 5000, `${outcome.samples} samples`);
    assert.equal(outcome.cached, 0, 'nothing was stored');
    await page.close();
  });

  test('three Voxlets in parallel: each output equals the same text synthesized alone', async () => {
    const { page, voice } = await open();
    const outcome = await page.evaluate(
      async ({ voice, quiet }) => {
        const texts = ['One small sentence.', 'Numbers like 42 and $3.50 are read too.', 'A third Voxlet speaks at the same time.'];
        const voxlets = await Promise.all(texts.map(() => window.voxlet.Voxlet.create({ backend: 'wasm', threads: 1 })));
        try {
          await Promise.all(voxlets.map((tts) => tts.loadVoice(voice)));
          const together = await Promise.all(voxlets.map((tts, i) => tts.synthesize(texts[i], quiet)));
          const alone = [];
          for (const [i, text] of texts.entries()) alone.push(await voxlets[0].synthesize(text, quiet));
          return together.map((result, i) => ({
            samples: result.audio.length,
            equal: result.audio.length === alone[i].audio.length && result.audio.every((sample, k) => sample === alone[i].audio[k]),
            fallbacks: voxlets[i].fallbacks.length,
          }));
        } finally {
          await Promise.all(voxlets.map((tts) => tts.dispose()));
        }
      },
      { voice, quiet: QUIET },
    );
    for (const [i, result] of outcome.entries()) {
      assert.ok(result.samples > 5000, `Voxlet ${i}: ${result.samples} samples`);
      assert.equal(result.equal, true, `Voxlet ${i}: the same samples as alone`);
      assert.equal(result.fallbacks, 0, `Voxlet ${i}: no retries`);
    }
    await page.close();
  });

  test('interleaved streams on one Voxlet: the suspended stream is pre-empted (PREEMPTED), the new one runs to the end', async () => {
    const { page, voice } = await open();
    const outcome = await page.evaluate(
      async ({ voice, text }) => {
        const tts = await window.voxlet.Voxlet.create({ backend: 'wasm', threads: 1 });
        try {
          await tts.loadVoice(voice);
          const first = tts.stream(text);
          await first.next(); // its consumer holds a chunk and stops asking
          let chunks = 0;
          for await (const chunk of tts.stream('The second stream.')) chunks += chunk.audio.length > 0 ? 1 : 0;
          let code = null;
          try {
            await first.next();
          } catch (error) {
            code = error.code;
          }
          return { chunks, code };
        } finally {
          await tts.dispose();
        }
      },
      { voice, text: LONG_TEXT },
    );
    assert.ok(outcome.chunks >= 1, JSON.stringify(outcome));
    assert.equal(outcome.code, 'PREEMPTED');
  });
});
