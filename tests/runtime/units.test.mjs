// Pure parts of the runtime: WAV encoding, the assembler seam, word timing math,
// option checks. No model needed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { concatAudio, createAssembler } from '../../web/src/audio-assembly.js';
import { makeScales, resolveBackend, resolveSpeaker } from '../../web/src/inference.js';
import { idBoundaries, mergeSharedSpans, timeChunk } from '../../web/src/word-timings.js';
import { toWav } from '../../web/src/wav.js';
import { synthesisSettings } from '../../web/src/voxlet.js';
import { rejectsWith } from './support.mjs';

const ascii = (bytes, start, length) => String.fromCharCode(...bytes.subarray(start, start + length));

describe('toWav', () => {
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
});

describe('createAssembler', () => {
  test('applies the gain and appends the pause as silence', () => {
    const assembler = createAssembler(1000);
    const out = assembler.push(Float32Array.of(0.5, -0.25), { gain: 2, pauseAfterMs: 3 });
    assert.deepEqual(Array.from(out), [1, -0.5, 0, 0, 0]);
  });
  test('passes audio through unchanged by default; concatAudio joins', () => {
    const assembler = createAssembler(22050);
    const a = assembler.push(Float32Array.of(0.1, 0.2));
    const b = assembler.push(Float32Array.of(0.3), { isLast: true });
    assert.deepEqual(concatAudio([a, b]), Float32Array.of(0.1, 0.2, 0.3));
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
  test('webgpu in Node: a clear error naming the valid choices here', async () => {
    await rejectsWith(assert, resolveBackend('webgpu'), 'UNSUPPORTED_BACKEND', /Node/, /auto, wasm/);
    await rejectsWith(assert, resolveBackend('cuda'), 'UNSUPPORTED_BACKEND', /auto, webgpu, wasm/);
    assert.equal(await resolveBackend('auto'), 'wasm');
  });
});
