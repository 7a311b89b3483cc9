// The runtime in real headless Chromium, on the built-in voice: WASM with 1 and
// 2 threads (in the Worker), WebGPU on the SwiftShader adapter (correctness
// only), speak() events, a long text streamed without gaps, and errors that
// cross the Worker boundary with their codes. Browser audio is compared with
// the same synthesis in Node (onnxruntime-web's node build) as the reference.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Voxlet } from '../../web/src/index.js';
import { DEFAULT_VOICE, browserSkip, launchChromium, openHarness, rms, snrDb, startTestServer } from './support.mjs';

const SENTENCE = 'The quick brown fox jumps over the lazy dog, and then it runs away.';
const DETERMINISTIC = { noiseScale: 0, noiseW: 0 }; // the voice's noise off: backends comparable


// Runs in the page: create on a backend, load the default voice, synthesize.
async function synthesizeInPage(page, { backend, threads, text = SENTENCE, options = DETERMINISTIC }) {
  return page.evaluate(
    async ({ backend, threads, voice, text, options }) => {
      const tts = await window.voxlet.Voxlet.create({ backend, threads });
      try {
        await tts.loadVoice(voice);
        const result = await tts.synthesize(text, options);
        return {
          backend: tts.backend,
          threads: tts.threads,
          engineVariant: tts.engineVariant,
          isolated: crossOriginIsolated,
          audio: Array.from(result.audio),
          sampleRate: result.sampleRate,
          words: result.words,
        };
      } finally {
        await tts.dispose();
      }
    },
    { backend, threads, voice: new URL(DEFAULT_VOICE, page.url()).href, text, options },
  );
}

// ORT's pthreads show up as workers running its threaded module.
function countOrtThreads(page) {
  const seen = { count: 0 };
  page.on('worker', (worker) => {
    if (/ort-wasm-simd-threaded/.test(worker.url())) seen.count++;
  });
  return seen;
}

function assertWordsInOrder(words, text) {
  assert.ok(words.length > 0, 'words');
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    assert.equal(word.text, text.slice(word.charStart, word.charEnd), `word ${i} span`);
    assert.ok(word.start <= word.end, `word ${i} times`);
    if (i > 0) {
      assert.ok(word.charStart >= words[i - 1].charEnd, `word ${i} after word ${i - 1} in the text`);
      assert.ok(word.start >= words[i - 1].start, `word ${i} (${word.text} at ${word.start}s) after word ${i - 1} (${words[i - 1].text} at ${words[i - 1].start}s)`);
    }
  }
}

describe('runtime in Chromium', { skip: browserSkip, timeout: 600_000 }, () => {
  let server;
  let browser;
  let reference; // the same synthesis in Node
  before(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    const tts = await Voxlet.create({ backend: 'wasm', threads: 1 });
    await tts.loadVoice(new URL(`../..${DEFAULT_VOICE}`, import.meta.url).pathname);
    reference = await tts.synthesize(SENTENCE, DETERMINISTIC);
    await tts.dispose();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('WASM, 1 thread: the Worker synthesizes what Node does', async () => {
    const page = await openHarness(browser, server);
    const ortThreads = countOrtThreads(page);
    const result = await synthesizeInPage(page, { backend: 'wasm', threads: 1 });
    assert.equal(result.backend, 'wasm');
    assert.equal(result.threads, 1);
    assert.equal(ortThreads.count, 0, 'no ORT thread workers with 1 thread');
    assert.equal(result.sampleRate, reference.sampleRate);
    assert.equal(result.audio.length, reference.audio.length);
    assert.ok(rms(result.audio) > 0.01, `speech energy, rms ${rms(result.audio)}`);
    assert.ok(snrDb(reference.audio, result.audio) > 40, `browser vs Node SNR ${snrDb(reference.audio, result.audio)} dB`);
    assertWordsInOrder(result.words, SENTENCE);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('WASM, 2 threads: cross-origin isolated, ORT really starts a second thread, same audio', async () => {
    const page = await openHarness(browser, server);
    const ortThreads = countOrtThreads(page);
    const result = await synthesizeInPage(page, { backend: 'wasm', threads: 2 });
    assert.equal(result.isolated, true, 'crossOriginIsolated');
    assert.equal(result.threads, 2);
    assert.equal(result.engineVariant, 'voxlet-engine-simd-threads');
    assert.ok(ortThreads.count >= 1, `ORT thread workers: ${ortThreads.count}`);
    assert.equal(result.audio.length, reference.audio.length);
    assert.ok(snrDb(reference.audio, result.audio) > 40, `2 threads vs Node SNR ${snrDb(reference.audio, result.audio)} dB`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('WebGPU on the software adapter matches WASM within tolerance', async () => {
    const page = await openHarness(browser, server);
    const adapter = await page.evaluate(async () => {
      const found = await navigator.gpu?.requestAdapter();
      return found ? { vendor: found.info.vendor, fallback: found.info.isFallbackAdapter } : null;
    });
    assert.ok(adapter, 'a WebGPU adapter (--enable-unsafe-webgpu gives SwiftShader)');
    const result = await synthesizeInPage(page, { backend: 'webgpu' });
    assert.equal(result.backend, 'webgpu');
    assert.equal(result.audio.length, reference.audio.length);
    const snr = snrDb(reference.audio, result.audio);
    assert.ok(snr > 30, `WebGPU vs WASM SNR ${snr} dB`);
    assert.deepEqual(
      result.words.map((word) => word.text),
      reference.words.map((word) => word.text),
    );
    await page.context().close();
  });

  test('speak(): start, boundaries in order with their spans, the mark, end; done has the audio', async () => {
    const page = await openHarness(browser, server);
    const ssml = '<speak>Hello <mark name="after-hello"/>there, this is a test of speaking.</speak>';
    const run = await page.evaluate(
      async ({ voice, ssml }) => {
        const tts = await window.voxlet.Voxlet.create({ backend: 'wasm' });
        await tts.loadVoice(voice);
        const events = [];
        const utterance = tts.speak(ssml);
        for (const type of ['start', 'boundary', 'mark', 'end', 'error']) {
          utterance.addEventListener(type, (event) => events.push({ type, detail: event.detail ?? null }));
        }
        const done = await utterance.done;
        const contextRate = new AudioContext().sampleRate;
        await tts.dispose();
        return { events, samples: done.audio.length, sampleRate: done.sampleRate, contextRate, words: done.words };
      },
      { voice: new URL(DEFAULT_VOICE, page.url()).href, ssml },
    );
    const types = run.events.map((event) => event.type);
    assert.equal(types[0], 'start');
    assert.equal(types.at(-1), 'end');
    assert.ok(!types.includes('error'), JSON.stringify(run.events));
    assert.equal(run.events.at(-1).detail.cancelled, false);
    const boundaries = run.events.filter((event) => event.type === 'boundary').map((event) => event.detail);
    assert.deepEqual(
      boundaries.map((word) => word.text),
      ['Hello', 'there', 'this', 'is', 'a', 'test', 'of', 'speaking'],
    );
    assertWordsInOrder(boundaries, ssml);
    const markAt = types.indexOf('mark');
    assert.equal(run.events[markAt].detail.name, 'after-hello');
    assert.ok(markAt > types.indexOf('boundary') && markAt < types.lastIndexOf('boundary'), `mark between words: ${types}`);
    assert.equal(run.sampleRate, run.contextRate, 'audio is made at the device rate');
    const spoken = run.words.at(-1).end;
    assert.ok(Math.abs(run.samples / run.sampleRate - spoken) < 0.5, `audio ${run.samples / run.sampleRate}s vs last word end ${spoken}s`);
    await page.context().close();
  });

  test('speak(): pause and resume keep going; cancel ends at once with cancelled', async () => {
    const page = await openHarness(browser, server);
    const run = await page.evaluate(
      async ({ voice, text }) => {
        const tts = await window.voxlet.Voxlet.create({ backend: 'wasm' });
        await tts.loadVoice(voice);
        const log = [];
        const first = tts.speak(text);
        for (const type of ['start', 'pause', 'resume', 'end', 'boundary']) first.addEventListener(type, () => log.push(`first:${type}`));
        await new Promise((resolve) => first.addEventListener('start', resolve));
        first.pause();
        const stateWhilePaused = first.state;
        await new Promise((resolve) => setTimeout(resolve, 300));
        const boundariesBefore = log.filter((entry) => entry === 'first:boundary').length;
        await new Promise((resolve) => setTimeout(resolve, 300));
        const boundariesWhilePaused = log.filter((entry) => entry === 'first:boundary').length - boundariesBefore;
        first.resume();
        const firstDone = await first.done;
        const second = tts.speak(text);
        let boundariesAfterCancel = 0;
        let cancelledAt = null;
        second.addEventListener('boundary', () => {
          if (cancelledAt === null) {
            cancelledAt = log.length;
            second.cancel();
          } else boundariesAfterCancel++;
        });
        const endDetail = new Promise((resolve) => second.addEventListener('end', (event) => resolve(event.detail)));
        const secondDone = await second.done;
        // Cancelled while its audio played: the queue must go on to the next utterance.
        const third = await tts.speak('And one more.').done;
        await tts.dispose();
        return { log, stateWhilePaused, boundariesWhilePaused, firstCancelled: firstDone.cancelled, secondCancelled: secondDone.cancelled, end: await endDetail, boundariesAfterCancel, thirdCancelled: third.cancelled, thirdSamples: third.audio.length };
      },
      { voice: new URL(DEFAULT_VOICE, page.url()).href, text: 'One two three four five six seven eight nine ten.' },
    );
    assert.equal(run.stateWhilePaused, 'paused');
    assert.equal(run.boundariesWhilePaused, 0, 'no words are spoken while paused');
    assert.deepEqual(
      run.log.filter((entry) => !entry.endsWith('boundary')),
      ['first:start', 'first:pause', 'first:resume', 'first:end'],
    );
    assert.equal(run.firstCancelled, false);
    assert.equal(run.secondCancelled, true);
    assert.equal(run.end.cancelled, true);
    assert.equal(run.boundariesAfterCancel, 0);
    assert.equal(run.thirdCancelled, false, 'the utterance after a cancelled one plays');
    assert.ok(run.thirdSamples > 0);
    await page.context().close();
  });

  test('a long text streams chunk after chunk without gaps', async () => {
    const page = await openHarness(browser, server);
    const sentence = 'Streaming keeps the audio coming while the next part is being made, one chunk after another. ';
    const text = sentence.repeat(12);
    const run = await page.evaluate(
      async ({ voice, text }) => {
        const tts = await window.voxlet.Voxlet.create({ backend: 'wasm' });
        await tts.loadVoice(voice);
        const chunks = [];
        let previousTail = null;
        for await (const chunk of tts.stream(text)) {
          const audio = chunk.audio;
          chunks.push({
            start: chunk.start,
            samples: audio.length,
            sampleRate: chunk.sampleRate,
            words: chunk.words.map(({ text, start, end, charStart, charEnd }) => ({ text, start, end, charStart, charEnd })),
            jump: previousTail === null || audio.length === 0 ? 0 : Math.abs(audio[0] - previousTail),
            isLast: chunk.isLast,
          });
          if (audio.length) previousTail = audio[audio.length - 1];
        }
        await tts.dispose();
        return chunks;
      },
      { voice: new URL(DEFAULT_VOICE, page.url()).href, text },
    );
    assert.ok(run.length >= 6, `chunks: ${run.length}`);
    assert.equal(run.at(-1).isLast, true);
    let samples = 0;
    for (const [i, chunk] of run.entries()) {
      assert.ok(Math.abs(chunk.start - samples / chunk.sampleRate) < 1e-6, `chunk ${i} starts where chunk ${i - 1} ended`);
      assert.ok(chunk.samples > 0, `chunk ${i} has audio`);
      assert.ok(chunk.jump < 0.05, `no step at join ${i}: ${chunk.jump}`);
      samples += chunk.samples;
    }
    const words = run.flatMap((chunk) => chunk.words);
    assert.equal(words.length, 12 * 16);
    assertWordsInOrder(words, text);
    assert.ok(words.at(-1).end <= samples / run[0].sampleRate + 1e-6, 'the last word ends inside the audio');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('voices are kept in Cache Storage: the second load is cached, a corrupted copy is downloaded again', async () => {
    const page = await openHarness(browser, server);
    const run = await page.evaluate(async (voice) => {
      const load = async () => {
        const files = {};
        const tts = await window.voxlet.Voxlet.create({ backend: 'wasm' });
        const info = await tts.loadVoice(voice, { onProgress: (p) => (files[p.file.split('/').pop()] = { cached: p.cached, loaded: p.loaded, total: p.total }) });
        await tts.dispose();
        return { files, verified: info.verified };
      };
      const first = await load();
      const second = await load();
      const cache = await caches.open('voxlet-voices-v1');
      const modelUrl = new URL('model.onnx', voice).href;
      const good = new Uint8Array(await (await cache.match(modelUrl)).arrayBuffer());
      const bad = good.slice();
      bad[bad.length >> 1] ^= 0xff; // same size, one byte flipped: only the sha256 can tell
      await cache.put(modelUrl, new Response(bad));
      const third = await load();
      const healed = new Uint8Array(await (await cache.match(modelUrl)).arrayBuffer());
      return { first, second, third, healed: healed.every((byte, i) => byte === good[i]) };
    }, new URL(DEFAULT_VOICE, page.url()).href);
    assert.equal(run.first.files['model.onnx'].cached, false);
    assert.equal(run.first.files['model.onnx'].loaded, run.first.files['model.onnx'].total, 'progress reaches the total');
    assert.equal(run.second.files['model.onnx'].cached, true);
    assert.equal(run.second.files['voice.json'].cached, true);
    assert.equal(run.third.files['model.onnx'].cached, false, 'the corrupted copy was replaced by a download');
    assert.ok(run.first.verified && run.second.verified && run.third.verified, 'sha256 checked every time');
    assert.equal(run.healed, true, 'the cache holds the good copy again');
    await page.context().close();
  });

  test('WebGPU device lost mid-utterance: the rest runs on WASM, the audio arrives complete', async () => {
    const page = await openHarness(browser, server);
    const run = await page.evaluate(
      async ({ voice, text }) => {
        const { Voxlet, VoxletError } = window.voxlet;
        let runs = 0;
        // Fault injection needs the hook, which cannot cross into a Worker: run on the page thread.
        const tts = await Voxlet.create({
          backend: 'webgpu',
          worker: false,
          onInference: () => {
            if (++runs === 2) throw new VoxletError('DEVICE_LOST', 'injected: GPUDevice was lost');
          },
        });
        await tts.loadVoice(voice);
        const before = tts.backend;
        const result = await tts.synthesize(text, { noiseScale: 0, noiseW: 0 });
        const reference = await Voxlet.create({ backend: 'wasm', worker: false });
        await reference.loadVoice(voice);
        const expected = await reference.synthesize(text, { noiseScale: 0, noiseW: 0 });
        const out = { before, after: tts.backend, fallbacks: tts.fallbacks, samples: result.audio.length, expectedSamples: expected.audio.length, words: result.words.map((w) => w.text), expectedWords: expected.words.map((w) => w.text) };
        await tts.dispose();
        await reference.dispose();
        return out;
      },
      { voice: new URL(DEFAULT_VOICE, page.url()).href, text: 'The first part is here. And then the second part follows.' },
    );
    assert.equal(run.before, 'webgpu');
    assert.equal(run.after, 'wasm');
    assert.equal(run.fallbacks.length, 1);
    assert.equal(run.fallbacks[0].code, 'DEVICE_LOST');
    assert.equal(run.samples, run.expectedSamples, 'every chunk arrived');
    assert.deepEqual(run.words, run.expectedWords);
    await page.context().close();
  });

  test('errors cross the Worker with their codes: missing voice, truncated model (auto falls back), no voice loaded', async () => {
    const page = await openHarness(browser, server);
    await page.route('**/models/voxlet-en-us-slt/model.onnx', async (route) => {
      const response = await route.fetch();
      const body = await response.body();
      await route.fulfill({ response, body: body.subarray(0, 1000), headers: { ...response.headers(), 'content-length': '1000' } });
    });
    const codes = await page.evaluate(async (voice) => {
      const tts = await window.voxlet.Voxlet.create({ backend: 'wasm' });
      const codeOf = (promise) => promise.then(() => 'no error', (error) => `${error.name}:${error.code}:${error.message}`);
      const result = {
        speakWithoutVoice: await codeOf(tts.synthesize('Hello.')),
        missing: await codeOf(tts.loadVoice(new URL('/models/no-such-voice/voice.json', location.href).href)),
        truncated: await codeOf(tts.loadVoice(voice, { precision: 'fp32' })),
      };
      // With precision auto, the truncated fp32 model hands over to the next variant, and says so.
      const info = await tts.loadVoice(voice);
      result.autoPrecision = info.precision;
      result.autoFallbacks = info.fallbacks.map((f) => `${f.from}:${f.code}`);
      await tts.dispose();
      return result;
    }, new URL(DEFAULT_VOICE, page.url()).href);
    assert.match(codes.speakWithoutVoice, /^VoxletError:FAILED_PRECONDITION:.*loadVoice/);
    assert.match(codes.missing, /^VoxletError:VOICE_NOT_FOUND:.*voice\.json.*404/);
    assert.match(codes.truncated, /^VoxletError:MODEL_TRUNCATED:.*model\.onnx/);
    assert.equal(codes.autoPrecision, 'fp16');
    assert.deepEqual(codes.autoFallbacks, ['fp32:MODEL_TRUNCATED']);
    await page.context().close();
  });
});
