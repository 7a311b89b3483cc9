// A Kokoro voice in headless Chromium: the page's Voxlet (in its module Worker) loads the
// Kokoro config, an interface-exact test model (scripts/kokoro/make-test-model.py) and
// kokoro-js's voice tables by page-relative URLs (a raw .bin and kokoro-onnx's .npz form),
// phonemizes through espeak-ng in the Worker and speaks. The reference is the same
// synthesis in Node: the same words and audio (a wrong id or style row shows up as a
// length or waveform difference).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Voxlet } from '../../web/src/index.js';
import { ROOT, voicesSkip } from '../runtime/support.mjs';
import { browserSkip, launchChromium, openHarness, snrDb, startTestServer } from './support.mjs';

const SERVED = '/build/kokoro-test/';
const TEXT = 'Hello, world! It costs $3.50, and Dr. Smith paid at 10:30.';
const PYTHON = process.env.VOXLET_PYTHON ?? '/usr/bin/python3';
const MIN_SNR_DB = 30; // float rounding between builds is far above; a wrong id or style row is far below
const source = (base) => ({
  config: `${base}models/kokoro-82m-v1.0/voice.json`,
  model: `${base}build/kokoro-test/kokoro.onnx`,
  voices: `${base}build/kokoro-test/voices.npz`,
  voice: 'af_bella',
});

describe('Kokoro voice in Chromium (Worker, WASM)', { skip: browserSkip || voicesSkip, timeout: 600_000 }, () => {
  let server;
  let browser;
  let reference;
  before(async () => {
    const dir = path.join(ROOT, SERVED);
    mkdirSync(dir, { recursive: true });
    execFileSync(PYTHON, [path.join(ROOT, 'scripts/kokoro/make-test-model.py'), path.join(dir, 'kokoro.onnx')], { stdio: 'pipe' });
    const voices = path.join(ROOT, 'web/node_modules/kokoro-js/voices');
    execFileSync(PYTHON, ['-c', `import numpy as np\nnp.savez_compressed('${dir}/voices.npz', **{n: np.fromfile(f'${voices}/{n}.bin', dtype='<f4').reshape(510, 1, 256) for n in ('af_heart', 'af_bella')})`]);
    const tts = await Voxlet.create({ backend: 'wasm', threads: 1 });
    try {
      await tts.loadVoice(source(ROOT));
      reference = await tts.synthesize(TEXT);
    } finally {
      await tts.dispose();
    }
    server = await startTestServer({ extraPrefixes: ['/tests/browser/pages/', SERVED] });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('loads by page-relative URLs in the Worker and speaks as in Node', async () => {
    const page = await openHarness(browser, server);
    try {
      const result = await page.evaluate(
        async ({ voice, text }) => {
          const tts = await window.voxlet.Voxlet.create({ backend: 'wasm', threads: 1 });
          try {
            const info = await tts.loadVoice(voice);
            const { audio, sampleRate, words } = await tts.synthesize(text);
            return { worker: tts.constructor.name, info, audio: Array.from(audio), sampleRate, words };
          } finally {
            await tts.dispose();
          }
        },
        { voice: source('../../../'), text: TEXT },
      );
      assert.equal(result.worker, 'WorkerVoxlet');
      assert.equal(result.info.sampleRate, 24000);
      assert.deepEqual(result.info.speakers, ['af_bella', 'af_heart']);
      assert.equal(result.info.hasDurations, true);
      assert.deepEqual(result.words.map((word) => [word.text, word.charStart, word.charEnd]), reference.words.map((word) => [word.text, word.charStart, word.charEnd]));
      assert.equal(result.audio.length, reference.audio.length);
      const snr = snrDb(reference.audio, Float32Array.from(result.audio));
      assert.ok(snr >= MIN_SNR_DB, `SNR ${snr.toFixed(1)} dB against Node`);
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  });
});
