// The README's examples say what the code does: its speak() example with a <mark> is SSML
// (it starts with <speak), so the engine reports the mark and reads no tag aloud; the same
// markup without <speak> is plain text, as the README's rule says.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { loadedEngine } from './support.mjs';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

// The string literals passed to speak()/synthesize()/stream() in the README's code blocks.
function exampleInputs() {
  return [...README.matchAll(/\.(?:speak|synthesize|stream)\('((?:[^'\\]|\\.)*)'/g)].map((match) => match[1]);
}

function read(engine, text) {
  const chunks = [...engine.chunks(text)];
  return { marks: chunks.flatMap((chunk) => chunk.marks.map((mark) => mark.name)), words: chunks.flatMap((chunk) => chunk.words.map((word) => word.text.toLowerCase())) };
}

describe('README examples', () => {
  test('the speak() example with a <mark> is SSML: the mark fires, no tag is read', async () => {
    const withMarks = exampleInputs().filter((text) => text.includes('<mark'));
    assert.ok(withMarks.length >= 1, 'the README shows a <mark> example');
    const engine = await loadedEngine();
    for (const text of withMarks) {
      assert.match(text, /^\s*<speak[\s>]/, `${text}: SSML starts with <speak`);
      const { marks, words } = read(engine, text);
      assert.deepEqual(marks, ['m'], text);
      assert.deepEqual(words, ['hello', 'world'], text);
    }
  });

  test('the rule: the same markup without <speak> is plain text (no mark, the tag is read)', async () => {
    const engine = await loadedEngine();
    const { marks, words } = read(engine, 'Hello <mark name="m"/>world.');
    assert.deepEqual(marks, []);
    assert.ok(words.includes('mark'), `the tag is read as words: ${words}`);
    assert.deepEqual(read(engine, '<speak>Hello <mark name="m"/>world.</speak>').marks, ['m']);
  });
});
