// Issue 14, defect 1: a stream must never block its Voxlet. One synthesis runs at a time; a
// stream whose consumer holds a chunk and stops asking is pre-empted by the next call (its next
// next() rejects PREEMPTED), calls that are running are waited for, AbortSignal ends a call, and
// dispose() ends everything. The same rule holds with the Voxlet in a worker thread.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Voxlet } from '../../web/src/voxlet.js';
import { BUILTIN_VOICE, LONG_TEXT, QUIET, createTestVoxlet, sameAudio, voxletRejection } from './support.mjs';

const LIMIT = { timeout: 120_000 }; // a hang fails the test instead of stalling the run

for (const worker of [false, true]) {
  describe(`one synthesis at a time, never waiting on a consumer that left (${worker ? 'worker thread' : 'in process'})`, () => {
    let tts;
    let expected; // synthesize(LONG_TEXT) and synthesize('Hello there.') on a Voxlet used for nothing else
    before(async () => {
      tts = worker ? await Voxlet.create({ worker: true, backend: 'wasm', threads: 1 }) : await createTestVoxlet();
      await tts.loadVoice(BUILTIN_VOICE);
      expected = { long: await tts.synthesize(LONG_TEXT, QUIET), hello: await tts.synthesize('Hello there.', QUIET) };
    });
    after(() => tts?.dispose());

    test('a stream pulled once, then another stream: the new one runs; the first rejects PREEMPTED', LIMIT, async () => {
      const first = tts.stream(LONG_TEXT, QUIET);
      assert.equal((await first.next()).done, false);
      const second = tts.stream('Hello there.', QUIET);
      const chunk = await second.next();
      assert.equal(chunk.done, false);
      await drain(second);
      const error = await voxletRejection(assert, first.next(), 'PREEMPTED');
      assert.match(error.message, /pre-empted by a later stream\(\)/);
      assert.match(error.message, /finish \(or break out of\) a stream/);
      assert.deepEqual(await first.next(), { done: true, value: undefined }, 'a pre-empted stream stays ended');
    });

    test('synthesize() after a stream that was pulled once and dropped completes, as on a fresh Voxlet', LIMIT, async () => {
      const dropped = tts.stream(LONG_TEXT, QUIET);
      await dropped.next();
      const result = await tts.synthesize('Hello there.', QUIET);
      sameAudio(assert, result.audio, expected.hello.audio);
    });

    test('synthesize() inside for await over stream(): the synthesis completes, the loop ends with PREEMPTED', LIMIT, async () => {
      let inner = null;
      const loop = (async () => {
        for await (const chunk of tts.stream(LONG_TEXT, QUIET)) {
          assert.ok(chunk.audio.length > 0);
          inner ??= await tts.synthesize('Hello there.', QUIET);
        }
      })();
      await voxletRejection(assert, loop, 'PREEMPTED');
      sameAudio(assert, inner.audio, expected.hello.audio);
    });

    test('consumers that keep pulling are never pre-empted: a stream and a synthesize() at once both complete, each as alone', LIMIT, async () => {
      const streamed = (async () => {
        const parts = [];
        for await (const chunk of tts.stream(LONG_TEXT, QUIET)) parts.push(chunk.audio);
        return concat(parts);
      })();
      const [audio, whole] = await Promise.all([streamed, tts.synthesize(LONG_TEXT, QUIET)]);
      sameAudio(assert, audio, expected.long.audio, 'streamed');
      sameAudio(assert, whole.audio, expected.long.audio, 'synthesized meanwhile');
    });

    test('breaking out of a stream frees the Voxlet at once', LIMIT, async () => {
      for await (const chunk of tts.stream(LONG_TEXT, QUIET)) {
        assert.ok(chunk.audio.length > 0);
        break;
      }
      sameAudio(assert, (await tts.synthesize('Hello there.', QUIET)).audio, expected.hello.audio);
    });

    test('AbortSignal: aborted before, aborted while waiting its turn, aborted mid-stream: ABORTED with the reason', LIMIT, async () => {
      const done = new AbortController();
      done.abort(new Error('user left'));
      const early = await voxletRejection(assert, tts.synthesize('Hello there.', { signal: done.signal }), 'ABORTED');
      assert.match(early.message, /user left/);

      const running = tts.synthesize(LONG_TEXT, QUIET);
      const waiting = new AbortController();
      const queued = tts.synthesize('Hello there.', { signal: waiting.signal });
      waiting.abort('changed my mind');
      await voxletRejection(assert, queued, 'ABORTED');
      sameAudio(assert, (await running).audio, expected.long.audio, 'the running call is unaffected');

      const mid = new AbortController();
      const stream = tts.stream(LONG_TEXT, { ...QUIET, signal: mid.signal });
      await stream.next();
      mid.abort();
      await voxletRejection(assert, stream.next(), 'ABORTED');
      sameAudio(assert, (await tts.synthesize('Hello there.', QUIET)).audio, expected.hello.audio, 'the Voxlet is free');
      await voxletRejection(assert, tts.synthesize('x', { signal: 'no' }), 'INVALID_ARGUMENT');
    });
  });

  test(`dispose() ends a suspended stream and a waiting call with DISPOSED (${worker ? 'worker thread' : 'in process'})`, LIMIT, async () => {
    const tts = worker ? await Voxlet.create({ worker: true, backend: 'wasm', threads: 1 }) : await createTestVoxlet();
    await tts.loadVoice(BUILTIN_VOICE);
    const stream = tts.stream(LONG_TEXT);
    await stream.next();
    const waiting = tts.synthesize('Hello there.');
    waiting.catch(() => {});
    await tts.dispose();
    await voxletRejection(assert, waiting, 'DISPOSED');
    await voxletRejection(assert, stream.next(), 'DISPOSED');
    await voxletRejection(assert, tts.synthesize('Hello.'), 'DISPOSED');
    await voxletRejection(assert, tts.loadVoice(BUILTIN_VOICE), 'DISPOSED');
  });
}

async function drain(stream) {
  for await (const chunk of { [Symbol.asyncIterator]: () => stream }) assert.ok(chunk.audio);
}

function concat(parts) {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
