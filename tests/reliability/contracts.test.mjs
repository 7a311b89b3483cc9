// Issue 14, defects 4 (JS part), 5, 6 and 7: every error a caller can cause is a VoxletError with
// a code; every numeric option is checked (type, integer, range) with a message naming it; the
// audio-length budget (maxAudioSeconds) refuses an utterance before it makes audio past it; and a
// throw from onInference aborts the synthesis (never retried), while the fault table's injected
// faults still recover.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../web/src/engine.js';
import { VoxletError } from '../../web/src/errors.js';
import { DEFAULT_MAX_AUDIO_SECONDS, MAX_WAV_SAMPLES, Voxlet } from '../../web/src/voxlet.js';
import { BUILTIN_VOICE, LONG_TEXT, QUIET, createTestVoxlet, voxletRejection } from './support.mjs';

describe('errors are VoxletErrors, options are checked, budgets hold', () => {
  let engine;
  let tts;
  before(async () => {
    engine = await Engine.load();
    tts = await createTestVoxlet({ engine });
    await tts.loadVoice(BUILTIN_VOICE);
  });
  after(async () => {
    await tts?.dispose();
    engine?.dispose();
  });

  test('text that is not a string: INVALID_ARGUMENT from synthesize() and stream()', async () => {
    for (const text of [12345, null, undefined, { text: 'hi' }, ['hi'], Symbol('x')]) {
      const error = await voxletRejection(assert, tts.synthesize(text), 'INVALID_ARGUMENT');
      assert.match(error.message, /needs the text as a string/);
      await voxletRejection(assert, tts.stream(text).next(), 'INVALID_ARGUMENT');
    }
    await voxletRejection(assert, tts.synthesize('hi', null), 'INVALID_ARGUMENT');
  });

  // [option, value, message pattern]: never coerced, never wrapped around.
  const BAD_OPTIONS = [
    ['maxChunkIds', 2 ** 32 + 20, /maxChunkIds must be an integer from 16 to 10000, got 4294967316/],
    ['maxChunkIds', NaN, /maxChunkIds .* got NaN/],
    ['maxChunkIds', '20', /maxChunkIds .* got "20"/],
    ['maxChunkIds', 20.5, /maxChunkIds must be an integer/],
    ['maxChunkIds', null, /maxChunkIds .* got null/],
    ['firstChunkIds', 4, /firstChunkIds must be an integer from 8/],
    ['rate', 0.01, /rate must be a number from 0.25 to 4, got 0.01/],
    ['rate', 0.2, /rate must be a number from 0.25 to 4/],
    ['rate', 4.5, /rate must be a number from 0.25 to 4/],
    ['rate', NaN, /rate .* got NaN/],
    ['rate', Infinity, /rate/],
    ['rate', '1', /rate .* got "1"/],
    ['pitch', 0, /pitch/],
    ['volume', -1, /volume/],
    ['noiseScale', 1e9, /noiseScale/],
    ['lengthScale', 0, /lengthScale/],
    ['sampleRate', 44100.5, /sampleRate must be an integer from 8000 to 192000/],
    ['maxAudioSeconds', 0, /maxAudioSeconds must be a number from 0 \(exclusive\)/],
    ['maxAudioSeconds', 1e9, /maxAudioSeconds .* to 86400/],
    ['normalize', 'yes', /normalize must be true or false/],
    ['format', 'xml', /expected one of: auto, text, ssml/],
  ];
  for (const [name, value, pattern] of BAD_OPTIONS) {
    test(`option ${name}: ${typeof value === 'number' ? value : JSON.stringify(value)} is INVALID_ARGUMENT naming it`, async () => {
      const error = await voxletRejection(assert, tts.synthesize('Hello.', { [name]: value }), 'INVALID_ARGUMENT');
      assert.match(error.message, pattern);
    });
  }

  test('the bounds themselves are accepted: rate 0.25 and 4 (the SSML prosody range), chunk ids 16', async () => {
    for (const options of [{ rate: 0.25 }, { rate: 4 }, { maxChunkIds: 16, firstChunkIds: 8 }]) {
      assert.ok((await tts.synthesize('Hello.', options)).audio.length > 0, JSON.stringify(options));
    }
    await voxletRejection(assert, tts.synthesize('Hello.', { firstChunkIds: 40, maxChunkIds: 20 }), 'INVALID_ARGUMENT');
  });

  test('Voxlet.create() checks maxAudioSeconds too', async () => {
    await voxletRejection(assert, Voxlet.create({ backend: 'wasm', threads: 1, maxAudioSeconds: -1 }), 'INVALID_ARGUMENT');
    await voxletRejection(assert, Voxlet.create({ backend: 'wasm', threads: 1, maxAudioSeconds: '60' }), 'INVALID_ARGUMENT');
  });

  test(`maxAudioSeconds (default ${DEFAULT_MAX_AUDIO_SECONDS} s): LIMIT_EXCEEDED before audio past it, chunks up to it are delivered`, async () => {
    const limit = 2;
    let seconds = 0;
    let error;
    try {
      for await (const chunk of tts.stream(`${LONG_TEXT} ${LONG_TEXT}`, { maxAudioSeconds: limit })) seconds += chunk.audio.length / chunk.sampleRate;
    } catch (caught) {
      error = caught;
    }
    assert.equal(error?.code, 'LIMIT_EXCEEDED', String(error));
    assert.match(error.message, /maxAudioSeconds \(2 s\).*Pass a larger maxAudioSeconds/);
    assert.ok(seconds > 0 && seconds <= limit, `${seconds} s delivered, within the ${limit} s budget`);
  });

  test('a create()-level maxAudioSeconds applies to every call, and a call may raise it', async () => {
    const small = await createTestVoxlet({ engine, maxAudioSeconds: 1 });
    try {
      await small.loadVoice(BUILTIN_VOICE);
      await voxletRejection(assert, small.synthesize(LONG_TEXT), 'LIMIT_EXCEEDED');
      assert.ok((await small.synthesize(LONG_TEXT, { maxAudioSeconds: 60 })).audio.length > 0);
    } finally {
      await small.dispose();
    }
  });

  test('1,000 breaks of 10 s: LIMIT_EXCEEDED at the budget, after a bounded number of chunks', async () => {
    const ssml = `<speak>Start.${'<break time="10s"/>'.repeat(1000)}End.</speak>`;
    let chunks = 0;
    let seconds = 0;
    let error;
    try {
      for await (const chunk of tts.stream(ssml, { sampleRate: 8000 })) {
        chunks++;
        seconds += chunk.audio.length / chunk.sampleRate;
      }
    } catch (caught) {
      error = caught;
    }
    assert.equal(error?.code, 'LIMIT_EXCEEDED', String(error));
    assert.ok(seconds <= DEFAULT_MAX_AUDIO_SECONDS, `${seconds} s`);
    assert.ok(chunks <= DEFAULT_MAX_AUDIO_SECONDS / 10 + 2, `${chunks} chunks before the refusal, not 1,000`);
  });

  test('50 breaks of 10 s under maxAudioSeconds 100: refused by the budget when it is reached, not after 500 s', async () => {
    const ssml = `<speak>${'Go on.<break time="10s"/>'.repeat(50)}End.</speak>`;
    let seconds = 0;
    const stream = tts.stream(ssml, { sampleRate: 8000, maxAudioSeconds: 100 });
    const error = await voxletRejection(assert, (async () => {
      for await (const chunk of stream) seconds += chunk.audio.length / chunk.sampleRate;
    })(), 'LIMIT_EXCEEDED');
    assert.match(error.message, /maxAudioSeconds \(100 s\)/);
    assert.ok(seconds <= 100 && seconds > 80, `${seconds} s delivered`);
  });

  test('toWav(): past MAX_WAV_SAMPLES LIMIT_EXCEEDED (no engine abort); long audio is encoded in slices, byte-exact', async () => {
    const huge = new Float32Array(MAX_WAV_SAMPLES + 1); // untouched pages: no real memory used
    const error = await voxletRejection(assert, tts.toWav(huge, 22050), 'LIMIT_EXCEEDED');
    assert.match(error.message, /write the chunks of stream\(\) to a file/);
    const long = Float32Array.from({ length: 2.5 * 2 ** 20 }, (_, i) => Math.sin(i / 7) * 0.5);
    const sliced = await tts.toWav(long, 22050);
    assert.deepEqual(Buffer.from(sliced).equals(Buffer.from(engine.encodeWav(long, 22050))), true);
    assert.ok((await tts.toWav(new Float32Array(10), 22050)).length === 64);
    await voxletRejection(assert, tts.toWav(long, 0), 'INVALID_ARGUMENT');
    await voxletRejection(assert, tts.toWav('audio', 22050), 'INVALID_ARGUMENT');
  });

  test('after dispose(): loadVoice, synthesize, stream, toWav, tune are DISPOSED', async () => {
    const gone = await createTestVoxlet({ engine });
    await gone.loadVoice(BUILTIN_VOICE);
    await gone.dispose();
    for (const call of [() => gone.loadVoice(BUILTIN_VOICE), () => gone.synthesize('Hi.'), () => gone.stream('Hi.').next(), () => gone.toWav(new Float32Array(4), 8000), () => gone.tune()]) {
      const error = await voxletRejection(assert, call(), 'DISPOSED');
      assert.match(error.message, /disposed Voxlet; create another with Voxlet.create\(\)/);
    }
    await gone.dispose(); // twice is harmless
  });
});

describe('onInference: a throw aborts the synthesis with that error; the fault table still recovers', () => {
  const withHook = async (hook, work) => {
    const tts = await createTestVoxlet({ onInference: hook });
    try {
      await tts.loadVoice(BUILTIN_VOICE);
      return await work(tts);
    } finally {
      await tts.dispose();
    }
  };

  for (const [what, thrown] of [['an Error', new Error('stop here')], ['a string', 'stop here'], ['undefined', undefined], ['a number', 42]]) {
    test(`throwing ${what}: ABORTED with it as the cause, run once, not retried`, async () => {
      let runs = 0;
      await withHook(
        () => {
          runs++;
          throw thrown;
        },
        async (tts) => {
          const error = await voxletRejection(assert, tts.synthesize(LONG_TEXT), 'ABORTED');
          assert.equal(error.cause, thrown);
          assert.match(error.message, /onInference threw/);
          assert.equal(runs, 1, 'no retry');
          assert.deepEqual(tts.fallbacks, []);
        },
      );
    });
  }

  test('a VoxletError with another code passes as thrown', async () => {
    await withHook(
      () => {
        throw new VoxletError('INVALID_ARGUMENT', 'the caller refused');
      },
      async (tts) => {
        const error = await voxletRejection(assert, tts.synthesize('Hello.'), 'INVALID_ARGUMENT');
        assert.equal(error.message, 'the caller refused');
      },
    );
  });

  test('an injected OUT_OF_MEMORY fault still recovers on a fresh session, listed in tts.fallbacks', async () => {
    const clean = await withHook(undefined, (tts) => tts.synthesize(LONG_TEXT, QUIET));
    let runs = 0;
    await withHook(
      () => {
        if (++runs === 2) throw new VoxletError('OUT_OF_MEMORY', 'injected');
      },
      async (tts) => {
        const result = await tts.synthesize(LONG_TEXT, QUIET);
        assert.deepEqual(Array.from(result.audio), Array.from(clean.audio));
        assert.deepEqual(tts.fallbacks.map((f) => [f.stage, f.code]), [['run', 'OUT_OF_MEMORY']]);
      },
    );
  });
});

describe('the same errors with the Voxlet in a worker thread', () => {
  let tts;
  before(async () => {
    tts = await Voxlet.create({ worker: true, backend: 'wasm', threads: 1 });
    await tts.loadVoice(BUILTIN_VOICE);
  });
  after(() => tts?.dispose());

  test('non-string text, a bad option, the audio budget, toWav limits: VoxletErrors with their codes', async () => {
    await voxletRejection(assert, tts.synthesize(12345), 'INVALID_ARGUMENT');
    await voxletRejection(assert, tts.synthesize('Hello.', { maxChunkIds: 2 ** 32 + 20 }), 'INVALID_ARGUMENT');
    await voxletRejection(assert, tts.synthesize(LONG_TEXT, { maxAudioSeconds: 1 }), 'LIMIT_EXCEEDED');
    await voxletRejection(assert, tts.toWav(new Float32Array(MAX_WAV_SAMPLES + 1), 22050), 'LIMIT_EXCEEDED');
    await voxletRejection(assert, tts.toWav(null), 'INVALID_ARGUMENT');
    const wav = await tts.toWav(await tts.synthesize('Hello.'));
    assert.ok(wav.length > 44);
  });
});
