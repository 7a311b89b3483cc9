// Hostile and degenerate input through the WASM engine: clear errors or
// sensible output, never a crash or a hang.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VoxletError } from '../../web/src/errors.js';
import { loadedEngine } from './support.mjs';

const engine = await loadedEngine();

function allChunks(text, options) {
  return [...engine.chunks(text, options)];
}

test('lone surrogates (invalid UTF-8 after encoding) and NUL are skipped', () => {
  const result = engine.normalize('good \uD800 day\u0000 now.');
  assert.equal(result.normalized, 'good day now.');
  assert.ok(result.diagnostics.invalid_utf8 + result.diagnostics.skipped_characters >= 2);
});

test('only punctuation or only emoji gives no chunks and says what was skipped', () => {
  assert.deepEqual(allChunks('?!... ;;'), []);
  assert.deepEqual(allChunks('😀🎉🚀'), []);
  assert.equal(engine.diagnostics().skipped_characters, 3);
});

test('10,000 nested SSML tags fail fast with LIMIT_EXCEEDED', () => {
  const ssml = `<speak>${'<prosody rate="fast">'.repeat(10_000)}x`;
  assert.throws(() => allChunks(ssml), (error) => error instanceof VoxletError && error.code === 'LIMIT_EXCEEDED');
});

test('malformed SSML names line and column', () => {
  assert.throws(
    () => allChunks('<speak>\n  <break time="fast"/></speak>'),
    (error) => error.code === 'MALFORMED_SSML' && /^line 2, column \d+/.test(error.message),
  );
});

test('bad options name the valid choices', () => {
  assert.throws(
    () => engine.phonemize('hi', { format: 'html' }),
    (error) => error.code === 'INVALID_ARGUMENT' && error.message.includes('auto, text, ssml'),
  );
});

test('a corrupt lexicon is refused without replacing the loaded one', () => {
  assert.throws(() => engine.loadLexicon(new Uint8Array([1, 2, 3, 4])), (error) => error.code === 'INVALID_ASSET');
  assert.equal(engine.phonemize('hello').sentences[0].words[0].phonemes, 'HH AH0 L OW1');
});

test('one megabyte of text streams through in bounded chunks', () => {
  const sentence = 'Call me at 10:30 am, or on Jan. 5 2024; it costs $3.50! ';
  const text = sentence.repeat(Math.ceil((1 << 20) / sentence.length));
  let chunks = 0;
  let words = 0;
  let lastEnd = 0;
  for (const chunk of engine.chunks(text)) {
    chunks++;
    words += chunk.words.length;
    assert.ok(chunk.ids.length <= 400);
    assert.ok(chunk.span[0] >= lastEnd - 1, 'chunks advance through the text');
    lastEnd = chunk.span[1];
  }
  assert.ok(chunks > 10_000);
  assert.ok(lastEnd > text.length - sentence.length);
  assert.ok(words > 20 * 18_000);
});

test('breaking out of the chunk loop stops the work (cancel)', () => {
  const text = 'One more sentence here. '.repeat(50_000);
  let seen = 0;
  for (const chunk of engine.chunks(text)) {
    seen++;
    if (seen === 3) break;
  }
  assert.equal(seen, 3);
  // The engine is free for the next utterance right away.
  assert.equal(allChunks('Next.').length, 1);
});
