// Issue 14: the hostile-input table. Each case has its expected VoxletError code or the bounds
// of its output, through the JS API (in process and in a worker thread, as pages run it) and the
// CLI (node web/bin/voxlet.mjs synth). The engine suites hold the chunk-budget tables in detail
// (tests/golden/chunk_bounds.jsonl); here the same inputs go through the whole runtime.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_MAX_AUDIO_SECONDS, Voxlet } from '../../web/src/voxlet.js';
import { BUILTIN_VOICE, ROOT, createTestVoxlet, voxletRejection } from './support.mjs';

const BREAKS = `<speak>Start.${'<break time="10s"/>'.repeat(1000)}End.</speak>`; // 20 KB, 10,000 s asked
const MEGABYTE = 'This is one sentence of a very long text, read aloud. '.repeat(19100); // 1.03 MB
const PHONES = `<speak><phoneme alphabet="x-arpabet" ph="${'AH0 '.repeat(50000)}">x</phoneme></speak>`;

// [name, text, options, expected]: expected is a VoxletError code, or { maxSeconds, words? }.
const TABLE = [
  ['empty text', '', {}, { maxSeconds: 0 }],
  ['only white space', ' \n\t ', {}, { maxSeconds: 0 }],
  ['empty SSML', '<speak></speak>', {}, { maxSeconds: 0 }],
  ['a number', 12345, {}, 'INVALID_ARGUMENT'],
  ['null', null, {}, 'INVALID_ARGUMENT'],
  ['an object', { toString: () => 'hi' }, {}, 'INVALID_ARGUMENT'],
  ['lone surrogates (invalid UTF-16)', '\uD800abc hello \uDC00 world \uD83D', {}, { maxSeconds: 10, words: ['abc', 'hello', 'world'] }],
  ['a NUL character', 'a\u0000b hello', {}, { maxSeconds: 10 }],
  ['malformed SSML', '<speak><break time="', {}, 'MALFORMED_SSML'],
  ['rate 0.01', 'Hello.', { rate: 0.01 }, 'INVALID_ARGUMENT'],
  ['rate 1e9', 'Hello.', { rate: 1e9 }, 'INVALID_ARGUMENT'],
  ['rate NaN', 'Hello.', { rate: NaN }, 'INVALID_ARGUMENT'],
  ['maxChunkIds 2**32 + 20', 'Hello.', { maxChunkIds: 2 ** 32 + 20 }, 'INVALID_ARGUMENT'],
  ['sampleRate 1e9', 'Hello.', { sampleRate: 1e9 }, 'INVALID_ARGUMENT'],
  ['the slowest rate, 0.25', 'Hello there.', { rate: 0.25 }, { maxSeconds: 10 }],
  ['1,000 × <break time="10s"/>', BREAKS, { sampleRate: 8000 }, 'LIMIT_EXCEEDED'],
  ['a 1,000-character word (was one 2,005-id chunk at 1.5 GB)', `${'abcdefghij'.repeat(100)}.`, {}, { maxSeconds: 300 }],
  ['a <phoneme> run of 50,000 phones (was one 100,003-id chunk)', PHONES, { maxAudioSeconds: 60 }, 'LIMIT_EXCEEDED'],
];

// The table through a Voxlet in a worker thread: every error crosses the worker as a VoxletError.
describe('hostile inputs through a Voxlet in a worker thread', () => {
  let tts;
  before(async () => {
    tts = await Voxlet.create({ backend: 'wasm', threads: 1, worker: true });
    await tts.loadVoice(BUILTIN_VOICE);
  });
  after(() => tts?.dispose());

  for (const [name, text, options, expected] of TABLE) {
    test(`${name}: ${typeof expected === 'string' ? expected : `at most ${expected.maxSeconds} s of audio`}`, async () => {
      if (typeof expected === 'string') return void (await voxletRejection(assert, tts.synthesize(text, options), expected));
      const { audio, sampleRate } = await tts.synthesize(text, options);
      assert.ok(audio.length / sampleRate <= expected.maxSeconds, `${audio.length / sampleRate} s`);
    });
  }
});

describe('hostile inputs through the JS API', () => {
  let tts;
  let runs = 0;
  before(async () => {
    tts = await createTestVoxlet({ onInference: () => runs++ });
    await tts.loadVoice(BUILTIN_VOICE);
  });
  after(() => tts?.dispose());

  for (const [name, text, options, expected] of TABLE) {
    test(`${name}: ${typeof expected === 'string' ? expected : `at most ${expected.maxSeconds} s of audio`}`, async () => {
      if (typeof expected === 'string') {
        await voxletRejection(assert, tts.synthesize(text, options), expected);
        return;
      }
      const { audio, sampleRate, words } = await tts.synthesize(text, options);
      assert.ok(audio.length / sampleRate <= expected.maxSeconds, `${audio.length / sampleRate} s`);
      assert.ok(audio.every(Number.isFinite), 'finite samples');
      if (expected.words) assert.deepEqual(words.map((w) => w.text), expected.words);
      for (const word of words) assert.equal(text.slice(word.charStart, word.charEnd), word.text, 'spans index the input');
    });
  }

  test('1 MB of text: stream three chunks, then stop; only those chunks were run, and the Voxlet is free', async () => {
    runs = 0;
    let chunks = 0;
    for await (const chunk of tts.stream(MEGABYTE)) {
      assert.ok(chunk.audio.length > 0);
      if (++chunks === 3) break;
    }
    assert.equal(runs, 3, 'one model run per chunk taken, none ahead');
    assert.ok((await tts.synthesize('Still here.')).audio.length > 0);
  });

  test(`1 MB of text to synthesize(): LIMIT_EXCEEDED at the ${DEFAULT_MAX_AUDIO_SECONDS} s budget, or a smaller maxAudioSeconds`, async () => {
    runs = 0;
    const error = await voxletRejection(assert, tts.synthesize(MEGABYTE, { maxAudioSeconds: 20 }), 'LIMIT_EXCEEDED');
    assert.match(error.message, /maxAudioSeconds \(20 s\)/);
    assert.ok(runs < 20, `${runs} model runs before the refusal`);
  });

  test('10 MB of text: refused or streamed, never precomputed (a VoxletError or a first chunk)', async () => {
    const tenMegabytes = MEGABYTE.repeat(10);
    const stream = tts.stream(tenMegabytes);
    try {
      const first = await stream.next();
      assert.equal(first.done, false);
    } catch (error) {
      assert.equal(error.name, 'VoxletError', String(error));
      assert.equal(error.code, 'LIMIT_EXCEEDED', error.message);
    } finally {
      await stream.return();
    }
  });
});

describe('hostile inputs through the CLI (voxlet synth)', () => {
  let dir;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'voxlet-hostile-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const synth = (args, input) => {
    const out = path.join(dir, 'out.wav');
    rmSync(out, { force: true });
    const run = spawnSync(process.execPath, ['--no-experimental-fetch', path.join(ROOT, 'web/bin/voxlet.mjs'), 'synth', '-o', out, ...args], { input, encoding: 'utf8' });
    return { ...run, out };
  };

  // [name, args, stdin, exit code, stderr pattern]
  const CLI = [
    ['empty text', [''], undefined, 1, /\[EMPTY_INPUT\]/],
    ['rate 0.01', ['--rate', '0.01', 'Hello.'], undefined, 1, /\[INVALID_ARGUMENT\].*rate must be a number from 0.25 to 4/],
    ['rate NaN', ['--rate', 'NaN', 'Hello.'], undefined, 2, /--rate needs a number/],
    ['malformed SSML', ['<speak><break time="'], undefined, 1, /\[MALFORMED_SSML\]/],
    ['1,000 × <break time="10s"/> on stdin', ['-'], BREAKS, 1, /\[LIMIT_EXCEEDED\]/],
  ];
  for (const [name, args, input, status, pattern] of CLI) {
    test(`${name}: exit ${status}, one clear line`, () => {
      const run = synth(args, input);
      assert.equal(run.status, status, run.stderr);
      assert.match(run.stderr, pattern);
      assert.doesNotMatch(run.stderr, /at .*\.js:\d+/, 'no stack trace');
    });
  }

  test('invalid UTF-8 on stdin: read as U+FFFD, spoken, exit 0', () => {
    const run = synth(['-'], Buffer.from([0x48, 0x69, 0x20, 0xed, 0xa0, 0x80, 0x20, 0xff, 0x20, 0x74, 0x68, 0x65, 0x72, 0x65, 0x2e]));
    assert.equal(run.status, 0, run.stderr);
    assert.ok(statSync(run.out).size > 44);
  });
});
