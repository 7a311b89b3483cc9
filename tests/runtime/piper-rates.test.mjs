// Piper voices beyond the 22.05 kHz default, in Node: a 16 kHz ("low") voice and
// resampling by the engine's audio pipeline (to 48 kHz: length, word times, no
// images above the voice's band), word times from the model's durations output
// when it has one (estimated and flagged when it has none), and sherpa-onnx
// conversions (settings in the ONNX metadata_props, JSON with gaps) loading.
// Voices: scripts/piper/make-piper-test-voice.mjs (one seeded model for
// single/low/durations/sherpa, so their audio is comparable sample by sample).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PIPER_TEST_VOICES, ensurePiperTestVoices } from '../../scripts/piper/make-piper-test-voice.mjs';
import { Engine } from '../../web/src/engine.js';
import { createEspeakChunkSource } from '../../web/src/espeak/index.js';
import { importOrt } from '../../web/src/inference.js';
import { onnxMetadata } from '../../web/src/onnx-metadata.js';
import { adaptPiperConfig } from '../../web/src/piper-config.js';
import { fft } from '../../web/src/spectrum.js';
import { createTestVoxlet, piperSkip, rejectsWith, voicesSkip } from './support.mjs';

const TEXT = 'The quick brown fox jumps over the lazy dog.'; // one sentence: no pause between chunks
let dir;
const voicePath = (name) => path.join(dir, PIPER_TEST_VOICES[name]);
const modelBytes = (name) => readFileSync(voicePath(name).replace(/\.json$/, ''));
const readConfig = (name) => JSON.parse(readFileSync(voicePath(name), 'utf8'));

/** Share of the energy above `hz` in a signal at `rate` (mean power spectrum of 4096-sample frames). */
function energyAbove(audio, rate, hz) {
  const n = 4096;
  let above = 0;
  let total = 0;
  for (let start = 0; start + n <= audio.length; start += n) {
    const re = Float32Array.from(audio.subarray(start, start + n), (v, i) => v * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n)));
    const im = new Float32Array(n);
    fft(re, im);
    for (let k = 1; k < n / 2; k++) {
      const power = re[k] ** 2 + im[k] ** 2;
      total += power;
      if ((k * rate) / n > hz) above += power;
    }
  }
  return above / total;
}

describe('Piper voices: 16 kHz, resampling, durations, sherpa-onnx metadata', { skip: voicesSkip || piperSkip }, () => {
  let engine;
  let tts;
  const fed = [];
  const results = {};
  before(async () => {
    dir = ensurePiperTestVoices();
    engine = await Engine.load();
    tts = await createTestVoxlet({ engine, onInference: ({ ids }) => fed.push(ids) });
    await tts.loadVoice(voicePath('single'));
    fed.length = 0;
    results.medium = await tts.synthesize(TEXT);
    results.ids = fed[0];
  });
  after(async () => {
    await tts?.dispose();
    engine?.dispose();
  });

  test('a 16 kHz voice speaks at 16000 Hz; its word times are its own samples in seconds', async () => {
    const info = await tts.loadVoice(voicePath('low'));
    assert.equal(info.sampleRate, 16000);
    const low = (results.low = await tts.synthesize(TEXT));
    assert.equal(low.sampleRate, 16000);
    // The same model and ids at another declared rate: the same samples, so every
    // word boundary sits at the same sample index (times scale by 22050 / 16000).
    const medium = results.medium;
    assert.ok(Math.abs(low.audio.length - medium.audio.length) <= 0.002 * medium.audio.length, `${low.audio.length} vs ${medium.audio.length} samples`);
    assert.equal(low.words.length, medium.words.length);
    low.words.forEach((word, i) => {
      const other = medium.words[i];
      assert.equal(word.text, other.text);
      assert.equal(word.estimated, true);
      assert.ok(Math.abs(word.start * 16000 - other.start * 22050) < 40, `${word.text}: sample ${word.start * 16000} vs ${other.start * 22050}`);
      assert.ok(Math.abs(word.end * 16000 - other.end * 22050) < 40, `${word.text} end`);
    });
    assert.ok(low.words.at(-1).end <= low.audio.length / 16000 + 1e-9);
    assert.ok(low.words.at(-1).end > 0.8 * (low.audio.length / 16000), 'the words span the audio');
  });

  for (const [voice, rate] of [['low', 16000], ['single', 22050]]) {
    test(`${rate} Hz resampled to 48 kHz by the engine: same duration and word times, nothing above the voice's band`, async () => {
      await tts.loadVoice(voicePath(voice));
      const native = voice === 'low' ? results.low : results.medium;
      const up = await tts.synthesize(TEXT, { sampleRate: 48000 });
      assert.equal(up.sampleRate, 48000);
      const seconds = native.audio.length / rate;
      assert.ok(Math.abs(up.audio.length / 48000 - seconds) < 0.002, `${up.audio.length / 48000} s vs ${seconds} s`);
      up.words.forEach((word, i) => {
        assert.ok(Math.abs(word.start - native.words[i].start) < 0.002, `${word.text} start ${word.start} vs ${native.words[i].start}`);
        assert.ok(Math.abs(word.end - native.words[i].end) < 0.002, `${word.text} end`);
      });
      // A proper resampler low-passes at the voice's Nyquist; sample-and-hold or
      // linear interpolation would leave images of the (broadband) test audio above it.
      const nativeBand = energyAbove(native.audio, rate, 0.45 * rate);
      const images = energyAbove(up.audio, 48000, 0.52 * rate);
      assert.ok(nativeBand > 0.01, `the test audio reaches the top of its band (${nativeBand})`);
      assert.ok(images < 0.002, `energy above ${0.52 * rate} Hz after resampling: ${(images * 100).toFixed(3)} %`);
    });
  }

  test("word times come from the model's durations output when it has one", async () => {
    const info = await tts.loadVoice(voicePath('durations'));
    assert.equal(info.hasDurations, true);
    fed.length = 0;
    const { audio, words } = await tts.synthesize(TEXT);
    assert.deepEqual(fed[0], results.ids, 'the same ids as the stock export');
    assert.deepEqual(audio, results.medium.audio, 'the same model: the same audio');
    assert.ok(words.every((word) => word.estimated === undefined), 'measured, not flagged');
    const expected = await timesFromDurations(readConfig('durations'), modelBytes('durations'));
    assert.equal(words.length, expected.length);
    words.forEach((word, i) => {
      assert.ok(Math.abs(word.start - expected[i].start) < 1e-6, `${word.text} start ${word.start} vs ${expected[i].start}`);
      assert.ok(Math.abs(word.end - expected[i].end) < 1e-6, `${word.text} end ${word.end} vs ${expected[i].end}`);
    });
    const moved = words.some((word, i) => Math.abs(word.start - results.medium.words[i].start) > 0.005);
    assert.ok(moved, 'durations place the words differently from the equal-share estimate');
  });

  // Independent of the runtime: the espeak chunk's ids and words, the durations from ORT directly.
  async function timesFromDurations(config, model) {
    const chunks = await createEspeakChunkSource(config);
    const [chunk] = [...chunks(TEXT)];
    const ort = await importOrt('wasm');
    const session = await ort.InferenceSession.create(model);
    const n = chunk.ids.length;
    const out = await session.run({
      input: new ort.Tensor('int64', BigInt64Array.from(chunk.ids, BigInt), [1, n]),
      input_lengths: new ort.Tensor('int64', BigInt64Array.of(BigInt(n)), [1]),
      scales: new ort.Tensor('float32', Float32Array.of(0.667, 1, 0.8), [3]),
    });
    await session.release();
    const durations = Array.from(out.durations.data);
    const hop = out.output.dims.at(-1) / durations.reduce((a, b) => a + b, 0);
    const at = (id) => (durations.slice(0, id).reduce((a, b) => a + b, 0) * hop) / 22050;
    return chunk.words.map(({ ids }) => ({ start: at(ids[0]), end: at(ids[1]) }));
  }

  test('a sherpa-onnx conversion loads: sample rate, speakers and espeak voice from its metadata and lang_code', async () => {
    assert.equal(onnxMetadata(modelBytes('sherpa')).comment, 'piper');
    const config = readConfig('sherpa');
    assert.equal(config.audio.sample_rate, undefined);
    const info = await tts.loadVoice(voicePath('sherpa'));
    assert.equal(info.sampleRate, 22050);
    assert.equal(info.numSpeakers, 1);
    assert.deepEqual(info.adapted, [
      'audio.sample_rate from the model metadata (sample_rate)',
      'num_speakers from the model metadata (n_speakers)',
      'espeak.voice from lang_code',
    ]);
    const { audio } = await tts.synthesize(TEXT);
    assert.deepEqual(audio, results.medium.audio, 'the same model and ids as the stock export');
  });

  test('config gaps: the JSON wins, 22500 Hz is read as 22050, and nothing to fill from is an error in words', async () => {
    const stock = readConfig('single');
    const sherpaModel = modelBytes('sherpa');
    // JSON values are kept even where the metadata says otherwise.
    const kept = adaptPiperConfig({ ...stock, audio: { sample_rate: 16000 } }, sherpaModel);
    assert.deepEqual(kept.filled, []);
    assert.equal(kept.config.audio.sample_rate, 16000);
    const typo = await tts.loadVoice({ config: { ...stock, audio: { sample_rate: 22500 } }, model: modelBytes('single'), name: 'typo.onnx' });
    assert.equal(typo.sampleRate, 22050);
    assert.deepEqual(typo.adapted, ['audio.sample_rate from audio.sample_rate 22500 (a known typo)']);
    // A stock model has no metadata: a config without a sample rate stays invalid.
    const { audio, ...noAudio } = stock;
    await rejectsWith(assert, tts.loadVoice({ config: noAudio, model: modelBytes('single'), name: 'gap.onnx' }), 'INVALID_CONFIG', /audio\.sample_rate/);
    // Metadata that does not describe a Piper/VITS model is not trusted.
    assert.deepEqual(onnxMetadata(new Uint8Array([0xff, 0xff])), {});
  });
});
