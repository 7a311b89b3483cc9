// speak() logic in Node, on the real runtime and a test voice, with a player
// that "plays" by reporting positions as it receives samples (Node has no Web
// Audio; the real AudioWorklet player is tested in Chromium, tests/browser/).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../web/src/engine.js';
import { createTestVoxlet, testVoice, voicesSkip } from './support.mjs';

/** A player handle whose playback advances by each enqueued chunk, in order. */
function instantPlayer(sampleRate = 24000) {
  const log = [];
  let played = 0;
  let onPosition;
  let onEnded;
  const player = {
    sampleRate,
    async begin(position, ended) {
      played = 0;
      onPosition = position;
      onEnded = ended;
      log.push('begin');
    },
    enqueue(samples) {
      played += samples.length;
      queueMicrotask(() => onPosition?.({ played, underruns: 0 }));
    },
    finish() {
      queueMicrotask(() => onEnded?.({ played, underruns: 0 }));
    },
    pause: () => log.push('pause'),
    resume: () => log.push('resume'),
    stop: () => log.push('stop'),
  };
  return { handle: { sampleRate, ready: Promise.resolve(player) }, log };
}

function record(utterance) {
  const events = [];
  for (const type of ['start', 'boundary', 'mark', 'pause', 'resume', 'end', 'error']) {
    utterance.addEventListener(type, (event) => events.push({ type, detail: event.detail }));
  }
  return events;
}

describe('speak()', { skip: voicesSkip }, () => {
  let engine;
  let tts;
  before(async () => {
    engine = await Engine.load();
    tts = await createTestVoxlet({ engine });
    await tts.loadVoice(testVoice());
  });
  after(async () => {
    await tts?.dispose();
    engine?.dispose();
  });

  test('fires start, every word in order with its span, the mark, then end; done has the audio at the player rate', async () => {
    const text = '<speak>One two, <mark name="m"/>three four. Five six.</speak>';
    const { handle } = instantPlayer(24000);
    const utterance = tts.speak(text, { player: handle });
    const events = record(utterance);
    const result = await utterance.done;
    const types = events.map((event) => event.type);
    assert.equal(types[0], 'start');
    assert.equal(types.at(-1), 'end');
    assert.deepEqual(events.at(-1).detail, { cancelled: false, underruns: 0 });
    const words = events.filter((event) => event.type === 'boundary').map((event) => event.detail);
    assert.deepEqual(words.map((word) => word.text), ['One', 'two', 'three', 'four', 'Five', 'six']);
    for (const word of words) assert.equal(text.slice(word.charStart, word.charEnd), word.text);
    const spoken = events.filter((event) => event.type === 'boundary' || event.type === 'mark').map((event) => event.detail.text ?? `mark:${event.detail.name}`);
    assert.deepEqual(spoken, ['One', 'two', 'mark:m', 'three', 'four', 'Five', 'six']);
    assert.equal(result.sampleRate, 24000);
    assert.equal(result.cancelled, false);
    assert.ok(result.audio.length > 0);
    assert.equal(utterance.state, 'ended');
  });

  test('utterances queue: the second starts after the first ends', async () => {
    const { handle, log } = instantPlayer();
    const first = tts.speak('First sentence here.', { player: handle });
    const second = tts.speak('Second one.', { player: handle });
    const order = [];
    first.addEventListener('end', () => order.push('first end'));
    second.addEventListener('start', () => order.push('second start'));
    await Promise.all([first.done, second.done]);
    assert.deepEqual(order, ['first end', 'second start']);
    assert.deepEqual(log.filter((entry) => entry === 'begin'), ['begin', 'begin']);
  });

  test('cancel() before playback: end with cancelled, no words, the player untouched afterwards', async () => {
    const { handle } = instantPlayer();
    const utterance = tts.speak('This will never be heard at all.', { player: handle });
    const events = record(utterance);
    utterance.cancel();
    const result = await utterance.done;
    assert.equal(result.cancelled, true);
    assert.deepEqual(events.map((event) => event.type), ['end']);
    assert.equal(events[0].detail.cancelled, true);
  });

  test('pause()/resume() only while speaking, each once, passed to the player', async () => {
    const { handle, log } = instantPlayer();
    const utterance = tts.speak('Pause me please.', { player: handle });
    const events = record(utterance);
    utterance.pause(); // pending: ignored
    await new Promise((resolve) => utterance.addEventListener('start', resolve));
    utterance.pause();
    utterance.pause();
    utterance.resume();
    await utterance.done;
    assert.deepEqual(events.filter((event) => ['pause', 'resume'].includes(event.type)).map((event) => event.type), ['pause', 'resume']);
    assert.deepEqual(log.filter((entry) => entry === 'pause' || entry === 'resume'), ['pause', 'resume']);
  });

  test('a synthesis error becomes an error event and a rejected done, with its code', async () => {
    const { handle } = instantPlayer();
    const utterance = tts.speak('Hello.', { player: handle, rate: -1 });
    const events = record(utterance);
    await assert.rejects(utterance.done, (error) => error.code === 'INVALID_ARGUMENT' && /rate/.test(error.message));
    assert.deepEqual(events.map((event) => event.type), ['error']);
    assert.equal(events[0].detail.error.code, 'INVALID_ARGUMENT');
  });

  test('in Node without a player: UNSUPPORTED_ENVIRONMENT naming the alternatives', () => {
    assert.throws(() => tts.speak('Hello.'), (error) => error.code === 'UNSUPPORTED_ENVIRONMENT' && /synthesize\(\)/.test(error.message));
  });
});
