// Issue 14, chaos in Node: several Voxlets with interleaved streams, a worker thread terminated
// mid-stream (the stream fails with a clear error, no hang; the next call starts a new worker), and voice files corrupted between loads (each load refused with its code, the loaded
// voice unchanged; auto precision hands over to an intact variant).
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Voxlet } from '../../web/src/voxlet.js';
import { BUILTIN_VOICE, LONG_TEXT, QUIET, createTestVoxlet, sameAudio, voxletRejection } from './support.mjs';

const LIMIT = { timeout: 120_000 }; // a hang fails the test instead of stalling the run
const TEXTS = ['One small sentence.', LONG_TEXT, 'Numbers like 42 and $3.50 are read too.'];

describe('chaos', () => {
  let expected; // each text alone on a fresh Voxlet
  before(async () => {
    const tts = await createTestVoxlet();
    await tts.loadVoice(BUILTIN_VOICE);
    expected = [];
    for (const text of TEXTS) expected.push((await tts.synthesize(text, QUIET)).audio);
    await tts.dispose();
  });

  test('3 Voxlets, their streams pulled in turn, chunk by chunk: each stream complete and identical to a lone run', LIMIT, async () => {
    const voxlets = await Promise.all(TEXTS.map(() => createTestVoxlet()));
    try {
      await Promise.all(voxlets.map((tts) => tts.loadVoice(BUILTIN_VOICE)));
      const streams = voxlets.map((tts, i) => ({ it: tts.stream(TEXTS[i], QUIET), parts: [], done: false }));
      while (streams.some((s) => !s.done)) {
        for (const s of streams.filter((x) => !x.done)) {
          const { done, value } = await s.it.next();
          if (done) s.done = true;
          else s.parts.push(value.audio);
        }
      }
      streams.forEach((s, i) => sameAudio(assert, concat(s.parts), expected[i], `stream ${i}`));
      assert.deepEqual(voxlets.map((tts) => tts.fallbacks.length), [0, 0, 0]);
    } finally {
      await Promise.all(voxlets.map((tts) => tts.dispose()));
    }
  });

  test('interleaved streams on one Voxlet: the newer pre-empts the older, which says so; the Voxlet keeps working', LIMIT, async () => {
    const tts = await createTestVoxlet();
    try {
      await tts.loadVoice(BUILTIN_VOICE);
      const older = tts.stream(LONG_TEXT, QUIET);
      const newer = tts.stream(TEXTS[0], QUIET);
      await older.next();
      const parts = [];
      for await (const chunk of { [Symbol.asyncIterator]: () => newer }) parts.push(chunk.audio);
      sameAudio(assert, concat(parts), expected[0], 'the newer stream');
      await voxletRejection(assert, older.next(), 'PREEMPTED');
      sameAudio(assert, (await tts.synthesize(LONG_TEXT, QUIET)).audio, expected[1], 'afterwards');
    } finally {
      await tts.dispose();
    }
  });

  test('a worker thread terminated mid-stream: the stream fails with WORKER_FAILED, no hang; the next call starts a new worker with the voice, and says so', LIMIT, async () => {
    const threads = [];
    const seen = (worker) => threads.push(worker);
    process.on('worker', seen); // Node announces every worker thread: the chaos seam
    const tts = await Voxlet.create({ worker: true, backend: 'wasm', threads: 1 });
    try {
      await tts.loadVoice(BUILTIN_VOICE);
      const stream = tts.stream(LONG_TEXT);
      await stream.next();
      assert.equal(threads.length, 1);
      await threads[0].terminate();
      const error = await voxletRejection(assert, (async () => {
        for await (const chunk of { [Symbol.asyncIterator]: () => stream }) assert.ok(chunk.audio);
      })(), 'WORKER_FAILED');
      assert.match(error.message, /worker/i);
      sameAudio(assert, (await tts.synthesize(TEXTS[0], QUIET)).audio, expected[0], 'the next call, in a new worker');
      assert.equal(threads.length, 2, 'one new worker thread');
      assert.deepEqual(tts.fallbacks.map((step) => [step.stage, step.code]), [['worker', 'WORKER_FAILED']]);
      assert.equal(tts.voice.precision, 'fp32');
    } finally {
      process.off('worker', seen);
      await tts.dispose();
    }
    await voxletRejection(assert, tts.synthesize('Hello.'), 'DISPOSED'); // disposed stays disposed
  });

  describe('voice files corrupted between loads', () => {
    let dir;
    let tts;
    let voice;
    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'voxlet-chaos-'));
      const config = JSON.parse(readFileSync(BUILTIN_VOICE, 'utf8'));
      for (const variant of config.voxlet.variants) copyFileSync(path.join(path.dirname(BUILTIN_VOICE), variant.file), path.join(dir, variant.file));
      voice = path.join(dir, 'voice.json');
      writeFileSync(voice, JSON.stringify(config));
      tts = await createTestVoxlet();
      await tts.loadVoice(voice, { precision: 'fp32' });
    });
    after(async () => {
      await tts?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    const unchanged = async () => {
      assert.equal(tts.voice.precision, 'fp32');
      sameAudio(assert, (await tts.synthesize(LONG_TEXT, QUIET)).audio, expected[1], 'the loaded voice');
    };

    test('a flipped byte in the model: MODEL_CHECKSUM_MISMATCH by name; auto hands over to fp16 and says why', LIMIT, async () => {
      const model = readFileSync(path.join(dir, 'model.onnx'));
      model[model.length >> 1] ^= 0xff;
      writeFileSync(path.join(dir, 'model.onnx'), model);
      await voxletRejection(assert, tts.loadVoice(voice, { precision: 'fp32' }), 'MODEL_CHECKSUM_MISMATCH');
      await unchanged();
      const other = await createTestVoxlet();
      try {
        const info = await other.loadVoice(voice);
        assert.equal(info.precision, 'fp16');
        assert.deepEqual(info.fallbacks.map((f) => [f.from, f.code]), [['fp32', 'MODEL_CHECKSUM_MISMATCH']]);
      } finally {
        await other.dispose();
      }
    });

    test('a truncated model and a truncated config: refused with their codes, the loaded voice unchanged', LIMIT, async () => {
      const fp16 = path.join(dir, 'model.fp16.onnx');
      writeFileSync(fp16, readFileSync(fp16).subarray(0, 1000));
      const truncated = await voxletRejection(assert, tts.loadVoice(voice, { precision: 'fp16' }), 'MODEL_TRUNCATED');
      assert.match(truncated.message, /model\.fp16\.onnx/);
      writeFileSync(voice, readFileSync(voice, 'utf8').slice(0, 200));
      const error = await tts.loadVoice(voice).then(() => assert.fail('a truncated config loaded'), (caught) => caught);
      assert.equal(error.code, 'MALFORMED_JSON', String(error));
      assert.match(error.message, /voice\.json is not valid JSON/);
      await unchanged();
    });
  });
});

function concat(parts) {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
