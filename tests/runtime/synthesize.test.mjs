// Synthesis with the generated ARPAbet test voice (Piper interface + durations):
// audio length, word spans and times against the model's own durations, marks,
// pauses, gain, rate, resampling and loudness (the engine's post-processing),
// WAV output, stream continuity and cancellation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { concatAudio } from '../../web/src/audio-assembly.js';
import { Engine } from '../../web/src/engine.js';
import { importOrt } from '../../web/src/inference.js';
import { createTestVoxlet, testVoice, testVoiceDir, voicesSkip } from './support.mjs';

const SAMPLE_RATE = 22050;
const SAMPLES_PER_ID = 256; // make_test_voice.py: every id decodes to 256 samples
const CROSSFADE = Math.round(0.01 * SAMPLE_RATE); // the engine joiner's 10 ms overlap of chunks

describe('synthesis with the generated test voice', { skip: voicesSkip }, () => {
  let tts;
  let runs = [];
  let config;
  before(async () => {
    tts = await createTestVoxlet({ onInference: (info) => runs.push(info) });
    await tts.loadVoice(testVoice());
    config = JSON.parse(readFileSync(testVoice(), 'utf8'));
  });
  after(() => tts?.dispose());
  const counting = async (work) => {
    runs = [];
    await work();
    return runs;
  };

  test('voice info: verified checksum, measured timings', () => {
    assert.deepEqual(tts.voice, {
      sampleRate: SAMPLE_RATE, numSpeakers: 1, speakers: [], precision: 'fp32', modelName: 'model.onnx', verified: true, hasDurations: true, fallbacks: [],
    });
  });

  test('audio length is the model output of every chunk (= Σ durations × hop) less the crossfades', async () => {
    const text = 'The quick brown fox jumps over the lazy dog. It was not amused.';
    const fed = await counting(async () => {
      const { audio, sampleRate } = await tts.synthesize(text);
      assert.equal(sampleRate, SAMPLE_RATE);
      assert.ok(runs.length >= 2, 'several chunks');
      // The test voice's audio has no silence at its ends to trim: only the joins overlap.
      const modelSamples = runs.reduce((sum, run) => sum + run.ids.length * SAMPLES_PER_ID, 0);
      assert.equal(audio.length, modelSamples - (runs.length - 1) * CROSSFADE);
    });
    assert.ok(fed.every((run) => run.ids[0] === 1 && run.ids.at(-1) === 2), 'every chunk is BOS … EOS');
  });

  test('words: in order, spans are the input substrings, times from the durations output', async () => {
    const text = 'It costs $3.50, right?';
    const { words, audio } = await tts.synthesize(text, { maxChunkIds: 10000, firstChunkIds: 10000 });
    assert.deepEqual(words.map((w) => w.text), ['It', 'costs', '$3.50', 'right']);
    for (const word of words) {
      assert.equal(text.slice(word.charStart, word.charEnd), word.text);
      assert.equal(word.estimated, undefined);
    }
    assert.equal(words[2].spoken, 'three dollars and fifty cents', 'one entry for the whole token');
    const expected = await timesFromModel(text, config);
    words.forEach((word, i) => {
      assert.ok(Math.abs(word.start - expected[i].start) < 1e-9, `${word.text} start ${word.start} vs ${expected[i].start}`);
      assert.ok(Math.abs(word.end - expected[i].end) < 1e-9, `${word.text} end`);
      assert.ok(word.start < word.end && (i === 0 || words[i - 1].end <= word.start));
    });
    assert.ok(words.at(-1).end <= audio.length / SAMPLE_RATE);
  });

  // Independent of the runtime: the engine's ids, run through ORT directly.
  async function timesFromModel(text, voiceConfig) {
    const engine = await Engine.load();
    engine.loadVoice(voiceConfig);
    const [chunk] = [...engine.chunks(text, { max_chunk_ids: 10000, first_chunk_ids: 10000 })];
    engine.dispose();
    const ort = await importOrt('wasm'); // resolved from web/node_modules
    const session = await ort.InferenceSession.create(`${testVoiceDir()}/model.onnx`);
    const n = chunk.ids.length;
    const out = await session.run({
      input: new ort.Tensor('int64', BigInt64Array.from(chunk.ids, BigInt), [1, n]),
      input_lengths: new ort.Tensor('int64', BigInt64Array.of(BigInt(n)), [1]),
      scales: new ort.Tensor('float32', Float32Array.of(0.667, 1, 0.8), [3]),
    });
    await session.release();
    const durations = Array.from(out.durations.data);
    const hop = out.output.dims.at(-1) / durations.reduce((a, b) => a + b, 0);
    const at = (id) => durations.slice(0, id).reduce((a, b) => a + b, 0) * hop / SAMPLE_RATE;
    const groups = [];
    for (const word of chunk.words) {
      const last = groups.at(-1);
      if (last && last.span[0] === word.span[0]) last.ids[1] = word.ids[1];
      else groups.push({ span: word.span, ids: [...word.ids] });
    }
    return groups.map(({ ids }) => ({ start: at(ids[0]), end: at(ids[1]) }));
  }

  test('SSML: marks at the next word, breaks add silence, prosody volume scales', async () => {
    const ssml = '<speak>Hello <mark name="here"/>world. <break time="250ms"/> <prosody volume="+6dB">Loud now.</prosody></speak>';
    let speechSamples = 0;
    let result;
    const fed = await counting(async () => (result = await tts.synthesize(ssml)));
    const { audio, words, marks } = result;
    for (const run of fed) speechSamples += run.ids.length * SAMPLES_PER_ID;
    assert.equal(audio.length, speechSamples + Math.round(0.25 * SAMPLE_RATE), 'speech + the break');
    assert.deepEqual(words.map((w) => w.text), ['Hello', 'world', 'Loud', 'now']);
    for (const word of words) assert.equal(ssml.slice(word.charStart, word.charEnd), word.text);
    assert.equal(marks.length, 1);
    assert.equal(marks[0].name, 'here');
    assert.equal(marks[0].time, words[1].start);
    assert.ok(words[2].start - words[1].end > 0.25, 'the pause lies between world and Loud');
  });

  test('volume scales the normalized output; prosody gain multiplies the samples', async () => {
    const plain = await tts.synthesize('Loud now.');
    const half = await tts.synthesize('Loud now.', { volume: 0.5 });
    assert.equal(half.audio.length, plain.audio.length);
    plain.audio.forEach((sample, i) => assert.ok(Math.abs(half.audio[i] - sample * 0.5) < 1e-7));
    // Normalization would undo a gain on the whole utterance; without it the gain shows.
    const raw = await tts.synthesize('Loud now.', { normalize: false });
    const loud = await tts.synthesize('<speak><prosody volume="+6dB">Loud now.</prosody></speak>', { normalize: false });
    const gain = 10 ** (6 / 20);
    raw.audio.forEach((sample, i) => assert.ok(Math.abs(loud.audio[i] - sample * gain) < 1e-5));
  });

  test('sampleRate 48000: resampled length, no DC, peak in [-3, -1] dBFS, words inside the audio', async () => {
    const text = 'The quick brown fox jumps over the lazy dog. It was not amused.';
    const voiceRate = await tts.synthesize(text);
    const result = await tts.synthesize(text, { sampleRate: 48000 });
    assert.equal(result.sampleRate, 48000);
    // Same joined audio (normalization comes after the resampler), resampled: ceil(N × 48000 / 22050).
    assert.equal(result.audio.length, Math.ceil((voiceRate.audio.length * 48000) / SAMPLE_RATE));
    const mean = result.audio.reduce((sum, x) => sum + x, 0) / result.audio.length;
    assert.ok(Math.abs(mean) < 1e-3, `DC ${mean}`);
    const peakDb = 20 * Math.log10(result.audio.reduce((peak, x) => Math.max(peak, Math.abs(x)), 0));
    assert.ok(peakDb >= -3 && peakDb <= -1, `peak ${peakDb} dBFS`);
    const seconds = result.audio.length / 48000;
    assert.deepEqual(result.words.map((w) => w.text), voiceRate.words.map((w) => w.text));
    result.words.forEach((word, i) => {
      assert.ok(word.start <= word.end && word.end <= seconds, `${word.text} inside the audio`);
      if (i > 0) assert.ok(result.words[i - 1].end <= word.start + 1e-9, `${word.text} after the previous word`);
      // The same instants as at the voice rate (the resampler is zero phase).
      assert.ok(Math.abs(word.start - voiceRate.words[i].start) < 1e-9, `${word.text}: ${word.start} vs ${voiceRate.words[i].start}`);
    });
  });

  test('toWav: the engine encodes a result at its own sample rate', async () => {
    const result = await tts.synthesize('Loud now.', { sampleRate: 16000 });
    const wav = await tts.toWav(result);
    const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
    assert.equal(String.fromCharCode(...wav.subarray(0, 4)), 'RIFF');
    assert.equal(view.getUint32(24, true), 16000);
    assert.equal(wav.length, 44 + 2 * result.audio.length);
    assert.equal(view.getInt16(44 + 2 * 100, true), Math.round(Math.max(-1, Math.min(result.audio[100], 32767 / 32768)) * 32768));
    assert.deepEqual(await tts.toWav(result.audio, 22050), (() => {
      const copy = new Uint8Array(wav);
      new DataView(copy.buffer).setUint32(24, 22050, true);
      new DataView(copy.buffer).setUint32(28, 44100, true);
      return copy;
    })(), 'bare samples with a rate');
    await assert.rejects(tts.toWav(result.audio), { code: 'INVALID_ARGUMENT', message: /sampleRate/ });
    await assert.rejects(tts.toWav('nope', 16000), { code: 'INVALID_ARGUMENT' });
  });

  test('rate (option × SSML prosody) divides length_scale; noise options reach scales', async () => {
    const fed = await counting(() => tts.synthesize('<speak><prosody rate="150%">Fast words.</prosody></speak>', { rate: 2, noiseScale: 0.3, noiseW: 0.4 }));
    assert.equal(fed.length, 1);
    assert.ok(Math.abs(fed[0].scales[1] - 1 / 3) < 1e-9, `length_scale ${fed[0].scales[1]}`);
    assert.deepEqual([fed[0].scales[0], fed[0].scales[2]], [0.3, 0.4]);
    const slow = await counting(() => tts.synthesize('Slow.', { lengthScale: 1.5 }));
    assert.equal(slow[0].scales[1], 1.5);
  });

  const LONG = Array.from({ length: 12 }, (_, i) => `Sentence number ${i + 1} is here, with a few more words.`).join(' ');

  test('stream: chunks concatenate to exactly the synthesize() audio; words and start times agree', async () => {
    const options = { maxChunkIds: 60 };
    const whole = await tts.synthesize(LONG, options);
    const chunks = [];
    for await (const chunk of tts.stream(LONG, options)) chunks.push(chunk);
    assert.ok(chunks.length >= 6, `${chunks.length} chunks`);
    assert.deepEqual(chunks.map((c) => c.isLast), [...Array(chunks.length - 1).fill(false), true]);
    assert.deepEqual(concatAudio(chunks.map((c) => c.audio)), whole.audio);
    assert.deepEqual(chunks.flatMap((c) => c.words), whole.words);
    let offset = 0;
    for (const chunk of chunks) {
      assert.equal(chunk.start, offset / SAMPLE_RATE);
      if (chunk.words.length) assert.ok(chunk.words[0].start >= chunk.start);
      offset += chunk.audio.length;
    }
  });

  test('breaking out of stream() cancels: no further inference runs', async () => {
    const fed = await counting(async () => {
      let seen = 0;
      for await (const chunk of tts.stream(LONG, { maxChunkIds: 60 })) {
        assert.ok(chunk.audio.length > 0);
        if (++seen === 2) break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50)); // give stray work a chance to show up
    });
    assert.equal(fed.length, 2);
    const again = await tts.synthesize('Still works.');
    assert.ok(again.audio.length > 0, 'the next synthesis runs after a cancel');
  });

  test('an inference fault aborts the synthesis and the next one still runs', async () => {
    const faulty = await createTestVoxlet({
      onInference: () => {
        throw new Error('injected fault');
      },
    });
    await faulty.loadVoice(testVoice());
    await assert.rejects(faulty.synthesize('Hello.'), /injected fault/);
    await assert.rejects(faulty.synthesize('Hello.'), /injected fault/, 'the lock was released');
    await faulty.dispose();
  });

  test('concurrent synthesize() calls queue instead of mixing front-end state', async () => {
    const [a, b] = await Promise.all([tts.synthesize('First one.'), tts.synthesize('Second one here.')]);
    assert.deepEqual(a.words.map((w) => w.text), ['First', 'one']);
    assert.deepEqual(b.words.map((w) => w.text), ['Second', 'one', 'here']);
  });
});

// pitch (option × SSML <prosody pitch>) on the default voice (the random-weight test voice
// has no pitch to measure): f0 moves by the factor, length and word times stay. f0 is the
// median over voiced 46 ms frames of the normalized autocorrelation peak (70-500 Hz).
test('pitch: the default voice at 1.5 and at SSML -5st moves f0 by the factor, keeps length and word times', async () => {
  const medianF0 = (audio, rate) => {
    const size = 1024;
    const frames = [];
    for (let at = 0; at + size + 400 <= audio.length; at += 512) {
      let energy = 0;
      for (let i = at; i < at + size; i++) energy += audio[i] * audio[i];
      frames.push({ at, energy });
    }
    const loudest = Math.max(...frames.map((f) => f.energy));
    const f0s = [];
    for (const { at, energy } of frames) {
      if (energy < 0.1 * loudest) continue;
      const r = (lag) => {
        let dot = 0;
        let e = 0;
        for (let i = at; i < at + size; i++) {
          dot += audio[i] * audio[i + lag];
          e += audio[i + lag] * audio[i + lag];
        }
        return dot / Math.sqrt(energy * e + 1e-30);
      };
      const lo = Math.floor(rate / 500);
      const hi = Math.ceil(rate / 70);
      const values = Array.from({ length: hi + 2 }, (_, lag) => (lag >= lo - 1 ? r(lag) : 0));
      let best = lo;
      for (let lag = lo; lag <= hi; lag++) if (values[lag] > values[best]) best = lag;
      if (values[best] < 0.7) continue;
      const [a, b, c] = [values[best - 1], values[best], values[best + 1]];
      const offset = a - 2 * b + c === 0 ? 0 : (0.5 * (a - c)) / (a - 2 * b + c);
      f0s.push(rate / (best + offset));
    }
    f0s.sort((x, y) => x - y);
    return { f0: f0s[Math.floor(f0s.length / 2)], voiced: f0s.length };
  };
  const tts = await createTestVoxlet();
  try {
    await tts.loadVoice(new URL('../../models/voxlet-en-us-slt/voice.json', import.meta.url).pathname);
    const text = 'The rain in Spain stays mainly on the plain.';
    const plain = await tts.synthesize(text);
    const base = medianF0(plain.audio, plain.sampleRate);
    assert.ok(base.voiced >= 10 && base.f0 > 100 && base.f0 < 350, `plain: ${JSON.stringify(base)}`);
    const cases = [
      { factor: 1.5, result: await tts.synthesize(text, { pitch: 1.5 }) },
      { factor: 2 ** (-5 / 12), result: await tts.synthesize(`<speak><prosody pitch="-5st">${text}</prosody></speak>`) },
    ];
    for (const { factor, result } of cases) {
      const lengthRatio = result.audio.length / plain.audio.length;
      assert.ok(Math.abs(lengthRatio - 1) < 0.02, `${factor}: length ratio ${lengthRatio}`);
      const shifted = medianF0(result.audio, result.sampleRate);
      const ratio = shifted.f0 / base.f0;
      assert.ok(Math.abs(ratio / factor - 1) < 0.08, `${factor}: f0 ${base.f0.toFixed(1)} -> ${shifted.f0.toFixed(1)} Hz (x${ratio.toFixed(3)})`);
      assert.deepEqual(result.words.map((w) => w.text), plain.words.map((w) => w.text));
      result.words.forEach((word, i) => assert.ok(Math.abs(word.start - plain.words[i].start) < 0.03, `${word.text}: ${word.start} vs ${plain.words[i].start}`));
      for (const x of result.audio) assert.ok(Number.isFinite(x) && Math.abs(x) < 1, 'finite, unclipped');
    }
  } finally {
    tts.dispose();
  }
});
