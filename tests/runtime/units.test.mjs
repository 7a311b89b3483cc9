// Parts of the runtime that need no model: WAV encoding and the assembler (the
// engine's, loaded without a lexicon), word timing math, option checks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { concatAudio, createAssembler } from '../../web/src/audio-assembly.js';
import { Engine } from '../../web/src/engine.js';
import { makeScales, resolveBackend, resolveSpeaker } from '../../web/src/inference.js';
import { idBoundaries, lastTime, mergeSharedSpans, timeChunk } from '../../web/src/word-timings.js';
import { synthesisSettings } from '../../web/src/voxlet.js';
import { rejectsWith } from './support.mjs';

const ascii = (bytes, start, length) => String.fromCharCode(...bytes.subarray(start, start + length));

let engine;
before(async () => {
  engine = await Engine.load({ lexicon: false });
});
after(() => engine?.dispose());
const toWav = (audio, sampleRate) => engine.encodeWav(audio, sampleRate);

describe('engine WAV encoder', () => {
  test('writes a 44-byte RIFF/WAVE PCM header and little-endian 16-bit samples', () => {
    const audio = Float32Array.of(0, 0.5, -0.5, 1, -1, 2, -2);
    const wav = toWav(audio, 22050);
    const view = new DataView(wav.buffer);
    assert.equal(wav.length, 44 + audio.length * 2);
    assert.equal(ascii(wav, 0, 4), 'RIFF');
    assert.equal(view.getUint32(4, true), wav.length - 8);
    assert.equal(ascii(wav, 8, 4), 'WAVE');
    assert.equal(ascii(wav, 12, 4), 'fmt ');
    assert.equal(view.getUint32(16, true), 16);
    assert.equal(view.getUint16(20, true), 1, 'PCM');
    assert.equal(view.getUint16(22, true), 1, 'mono');
    assert.equal(view.getUint32(24, true), 22050);
    assert.equal(view.getUint32(28, true), 44100, 'byte rate');
    assert.equal(view.getUint16(32, true), 2, 'block align');
    assert.equal(view.getUint16(34, true), 16, 'bits per sample');
    assert.equal(ascii(wav, 36, 4), 'data');
    assert.equal(view.getUint32(40, true), audio.length * 2);
    const samples = Array.from({ length: audio.length }, (_, i) => view.getInt16(44 + 2 * i, true));
    assert.deepEqual(samples, [0, 16384, -16384, 32767, -32768, 32767, -32768]);
  });

  test('empty audio is a valid header-only file', () => {
    const wav = toWav(new Float32Array(0), 16000);
    assert.equal(wav.length, 44);
    assert.equal(new DataView(wav.buffer).getUint32(40, true), 0);
  });

  test('returns a Uint8Array of its own; a bad sample rate is INVALID_ARGUMENT', () => {
    const wav = toWav(Float32Array.of(0.25), 8000);
    assert.ok(wav instanceof Uint8Array);
    assert.equal(wav.byteOffset, 0);
    assert.equal(wav.buffer.byteLength, wav.length, 'a copy, not a view of wasm memory');
    for (const rate of [0, -1, 22050.5, NaN, 2 ** 31]) {
      assert.throws(() => toWav(Float32Array.of(0), rate), { code: 'INVALID_ARGUMENT', message: /sampleRate/ });
    }
  });
});

describe('createAssembler (the engine pipeline)', () => {
  const tone = (count, amplitude = 0.5, hz = 220, rate = 22050) =>
    Float32Array.from({ length: count }, (_, i) => amplitude * Math.cos((2 * Math.PI * hz * i) / rate));

  test('without normalization: gain, pause as exact silence, origin 0 for untrimmed audio', () => {
    const assembler = createAssembler(engine, { voiceRate: 22050, normalize: false });
    assert.equal(assembler.outputRate, 22050);
    const { audio, origin } = assembler.push(tone(2000), { gain: 0.5, pauseAfterMs: 100, isLast: true });
    assert.equal(origin, 0);
    assert.ok(audio instanceof Float32Array);
    assert.equal(audio.length, 2000 + 2205);
    assert.ok(audio.subarray(2000).every((x) => x === 0), 'the pause is zeros');
    const peak = Math.max(...audio.subarray(1000, 1800).map(Math.abs));
    assert.ok(Math.abs(peak - 0.25) < 0.01, `gain 0.5: peak ${peak} (the 20 Hz high-pass barely touches 220 Hz)`);
  });

  test('origin: trimmed leading silence and resampling move where a chunk lands', () => {
    const assembler = createAssembler(engine, { voiceRate: 22050, outputRate: 48000 });
    const withSilence = new Float32Array(2205 + 4000); // 100 ms of silence, then speech
    withSilence.set(tone(4000), 2205);
    const first = assembler.push(tone(4000), {});
    const second = assembler.push(withSilence, { isLast: true });
    assert.equal(first.origin, 0);
    // The 100 ms are trimmed to a 10 ms margin crossfaded into the first chunk's end:
    // the second chunk's speech starts where the first chunk's audio ended.
    assert.ok(Math.abs(second.origin - (4000 - 2205) * (48000 / 22050)) < 1e-6, `origin ${second.origin}`);
    assert.ok(Math.abs(first.end - 4000 * (48000 / 22050)) < 1e-6, 'the first chunk ends where the second starts');
    assert.ok(Math.abs(second.end - 8000 * (48000 / 22050)) < 1e-6, `end ${second.end}`);
    const total = first.audio.length + second.audio.length;
    assert.equal(total, Math.ceil(8000 * (48000 / 22050)), 'both chunks, resampled');
  });

  test('concatAudio joins; a later assembler on the same engine retires the earlier', () => {
    assert.deepEqual(concatAudio([Float32Array.of(0.1, 0.2), Float32Array.of(0.3)]), Float32Array.of(0.1, 0.2, 0.3));
    const old = createAssembler(engine, { voiceRate: 16000 });
    createAssembler(engine, { voiceRate: 16000 });
    assert.throws(() => old.push(tone(100)), { code: 'FAILED_PRECONDITION' });
  });

  test('bad rates are engine errors naming the field', () => {
    assert.throws(() => createAssembler(engine, { voiceRate: 22050, outputRate: 5 }), { code: 'INVALID_CONFIG', message: /output_rate/ });
  });
});

describe('word timings', () => {
  test('durations × hop, hop = samples / total frames', () => {
    const { boundaries, estimated } = idBoundaries(3, 600, [1, 2, 3]);
    assert.equal(estimated, false);
    assert.deepEqual(Array.from(boundaries), [0, 100, 300, 600]);
  });
  test('no (or unusable) durations: equal share per id, flagged estimated', () => {
    for (const durations of [null, [1, 2], [0, 0, 0], [1, NaN, 1]]) {
      const { boundaries, estimated } = idBoundaries(3, 300, durations);
      assert.equal(estimated, true);
      assert.deepEqual(Array.from(boundaries), [0, 100, 200, 300]);
    }
  });
  test('words sharing a source span merge into one', () => {
    const merged = mergeSharedSpans([
      { text: 'it', span: [0, 2], ids: [2, 5] },
      { text: 'three', span: [3, 8], ids: [8, 12] },
      { text: 'dollars', span: [3, 8], ids: [14, 20] },
    ]);
    assert.deepEqual(merged, [
      { span: [0, 2], ids: [2, 5], spoken: 'it' },
      { span: [3, 8], ids: [8, 20], spoken: 'three dollars' },
    ]);
  });
  test('timeChunk: seconds from the utterance start, text from the source', () => {
    const chunk = { words: [{ text: 'hi', span: [1, 3], ids: [1, 2] }], marks: [{ name: 'm', id: 2 }] };
    const { words, marks } = timeChunk(chunk, {
      boundaries: Float64Array.of(0, 10, 30, 40), estimated: true, offsetSamples: 100, sampleRate: 10, sourceText: ' Hi!',
    });
    assert.deepEqual(words, [{ text: 'Hi', spoken: 'hi', charStart: 1, charEnd: 3, start: 11, end: 13, estimated: true }]);
    assert.deepEqual(marks, [{ name: 'm', time: 13 }]);
  });
  test('timeChunk: origin and resampling place the chunk; times clamp to the audio', () => {
    const chunk = { words: [{ text: 'hi', span: [0, 2], ids: [0, 1] }, { text: 'yo', span: [3, 5], ids: [2, 3] }], marks: [{ name: 'm', id: 1 }] };
    const boundaries = Float64Array.of(0, 100, 200, 300); // voice-rate samples
    const timed = timeChunk(chunk, { boundaries, estimated: false, origin: 50, voiceRate: 100, outputRate: 200, sourceText: 'hi yo' });
    // (origin + sample * 200/100) / 200
    assert.deepEqual(timed.words.map((w) => [w.start, w.end]), [[0.25, 1.25], [2.25, 3.25]]);
    assert.deepEqual(timed.marks, [{ name: 'm', time: 1.25 }]);
    const clamped = timeChunk(chunk, { boundaries, estimated: false, origin: -300, voiceRate: 100, outputRate: 200, endSeconds: 1.5, sourceText: 'hi yo' });
    assert.deepEqual(clamped.words.map((w) => [w.start, w.end]), [[0, 0], [0.5, 1.5]]);
    const later = timeChunk(chunk, { boundaries, estimated: false, origin: 0, voiceRate: 100, outputRate: 100, startSeconds: 1.5, sourceText: 'hi yo' });
    assert.deepEqual(later.words.map((w) => [w.start, w.end]), [[1.5, 1.5], [2, 3]], 'never before startSeconds');
    assert.equal(lastTime(later), 3);
    assert.equal(lastTime({ words: [], marks: [] }), 0);
  });
});

describe('options', () => {
  const config = { inference: { noise_scale: 0.5, length_scale: 1.2, noise_w: 0.7 }, num_speakers: 3, speaker_id_map: { a: 0, b: 2 } };
  test('scales: config defaults, overrides, rate divides length_scale', () => {
    assert.deepEqual(makeScales(config), [0.5, 1.2, 0.7]);
    assert.deepEqual(makeScales(config, { rate: 2 }), [0.5, 0.6, 0.7]);
    assert.deepEqual(makeScales({}, { noiseScale: 0, lengthScale: 2, noiseW: 0.1 }), [0, 2, 0.1]);
  });
  test('speaker by name, id or numeric string; unknown lists the choices', () => {
    assert.equal(resolveSpeaker(config, 'b'), 2);
    assert.equal(resolveSpeaker(config, 1), 1);
    assert.equal(resolveSpeaker(config, '1'), 1);
    assert.equal(resolveSpeaker(config, undefined), 0);
    assert.throws(() => resolveSpeaker(config, 'zed'), { code: 'INVALID_ARGUMENT', message: /"zed".*a, b, or an id 0\.\.2/ });
    assert.throws(() => resolveSpeaker({}, 1), { code: 'INVALID_ARGUMENT', message: /one speaker/ });
  });
  test('bad rate, volume and format are refused with the valid range', () => {
    assert.throws(() => synthesisSettings({}, { rate: 0 }), { code: 'INVALID_ARGUMENT', message: /rate/ });
    assert.throws(() => synthesisSettings({}, { volume: -1 }), { code: 'INVALID_ARGUMENT', message: /volume/ });
    assert.throws(() => synthesisSettings({}, { format: 'xml' }), { code: 'INVALID_ARGUMENT', message: /auto, text, ssml/ });
  });
  test('sampleRate: an integer from 8000 to 192000; normalize: a boolean', () => {
    for (const sampleRate of [7999, 192001, 44100.5, '48000', NaN]) {
      assert.throws(() => synthesisSettings({}, { sampleRate }), { code: 'INVALID_ARGUMENT', message: /sampleRate.*8000 to 192000/ });
    }
    assert.equal(synthesisSettings({}, { sampleRate: 48000 }).sampleRate, 48000);
    assert.equal(synthesisSettings({}).sampleRate, undefined, 'default: the voice rate');
    assert.equal(synthesisSettings({}).normalize, true);
    assert.throws(() => synthesisSettings({}, { normalize: 'no' }), { code: 'INVALID_ARGUMENT', message: /normalize/ });
  });
  test('webgpu in Node: a clear error naming the valid choices here', async () => {
    await rejectsWith(assert, resolveBackend('webgpu'), 'UNSUPPORTED_BACKEND', /Node/, /auto, wasm/);
    await rejectsWith(assert, resolveBackend('cuda'), 'UNSUPPORTED_BACKEND', /auto, webgpu, wasm/);
    assert.equal(await resolveBackend('auto'), 'wasm');
  });
});
