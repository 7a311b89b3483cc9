// web/src/espeak/chunks.js: a Piper (espeak) sentence too long for one model
// call is cut into parts within the id cap, preferring clause ends, then word
// boundaries. Pure JS (a stub phonemizer): espeak-ng itself is not loaded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { espeakChunkSource, PIPER_MAX_CHUNK_IDS, splitSentence } from '../../web/src/espeak/chunks.js';

// ^ _ p1 _ ... $: 3 ids of overhead, 2 per phoneme.
const MAP = { _: [0], '^': [1], $: [2], ' ': [3], a: [4], b: [5], ',': [6], '.': [7] };
// "ab ab, ab ab." as espeak's phonemes: two clauses, the first followed by ", ".
const SENTENCE = {
  phonemes: Array.from('ab ab, ab ab.'),
  span: [0, 13],
  clauses: [
    { span: [0, 6], kind: 'comma', phonemeRange: [0, 5] },
    { span: [7, 13], kind: 'period', phonemeRange: [7, 12] },
  ],
};
const text = (part) => part.phonemes.join('');

// Sentences as EspeakPhonemizer.sentences() yields them; `pulled` counts those read so far.
function stubPhonemizer(sentences) {
  const stub = {
    pulled: 0,
    *sentences() {
      for (const sentence of sentences) {
        stub.pulled++;
        yield sentence;
      }
    },
  };
  return stub;
}

test('a sentence within the cap stays whole (29 ids = 3 + 2 x 13)', () => {
  assert.deepEqual(splitSentence(SENTENCE, { phoneme_id_map: MAP }, 29), [SENTENCE]);
});

test('one id over: cut at the clause end (after ", "), not mid-clause', () => {
  const parts = splitSentence(SENTENCE, { phoneme_id_map: MAP }, 28);
  assert.deepEqual(parts.map(text), ['ab ab, ', 'ab ab.']);
  assert.deepEqual(parts.map((part) => part.span), [[0, 6], [7, 13]]);
  assert.deepEqual(parts[1].clauses[0].phonemeRange, [0, 5]);
});

test('a cap of 11 ids (4 phonemes): word boundaries, and the clause end when it fits', () => {
  const parts = splitSentence(SENTENCE, { phoneme_id_map: MAP }, 11);
  assert.deepEqual(parts.map(text), ['ab ', 'ab, ', 'ab ', 'ab.']);
});

test('a single word longer than the cap is cut between phonemes', () => {
  const word = { phonemes: Array.from('abababab.'), span: [0, 9], clauses: [{ span: [0, 9], kind: 'period', phonemeRange: [0, 8] }] };
  const parts = splitSentence(word, { phoneme_id_map: MAP }, 9); // 3 phonemes a part
  assert.deepEqual(parts.map(text), ['aba', 'bab', 'ab.']);
});

test('the chunk source caps every chunk by voxlet.max_chunk_tokens, and only the last part ends the sentence', () => {
  const phonemizer = stubPhonemizer([SENTENCE]);
  const config = { phoneme_id_map: MAP, voxlet: { max_chunk_tokens: 11 } };
  const chunks = [...espeakChunkSource(phonemizer, config)('ab ab, ab ab.')];
  assert.equal(chunks.length, 4);
  for (const chunk of chunks) assert.ok(chunk.ids.length <= 11, `${chunk.ids.length} ids`);
  assert.deepEqual(chunks[0].ids, [1, 0, 4, 0, 5, 0, 3, 0, 2]);
  assert.deepEqual(chunks.map((chunk) => chunk.sentence_end), [false, false, false, true]);
  assert.deepEqual(chunks.map((chunk) => chunk.is_last), [false, false, false, true]);
  // Each part keeps its written words, spans and ids (^ _ a _ b _ " " _ $: the word is ids 2..6).
  assert.deepEqual(chunks.map((chunk) => chunk.words.map((word) => [word.text, ...word.span])), [[['ab', 0, 2]], [['ab', 3, 5]], [['ab', 7, 9]], [['ab', 10, 12]]]);
  assert.deepEqual(chunks[0].words[0].ids, [2, 6]);
});

test('without voxlet.max_chunk_tokens the cap is PIPER_MAX_CHUNK_IDS', () => {
  assert.equal(PIPER_MAX_CHUNK_IDS, 1000);
  const long = { phonemes: Array(600).fill('a'), span: [0, 600], clauses: [{ span: [0, 600], kind: 'other', phonemeRange: [0, 600] }] };
  const phonemizer = stubPhonemizer([long]);
  const chunks = [...espeakChunkSource(phonemizer, { phoneme_id_map: MAP })('x')];
  assert.deepEqual(chunks.map((chunk) => chunk.ids.length), [999, 207]); // 3 + 2 x 498, 3 + 2 x 102
});

test('first_chunk_ids makes the first chunk shorter (word boundary), max_chunk_ids the rest', () => {
  const chunks = [...espeakChunkSource(stubPhonemizer([SENTENCE, SENTENCE]), { phoneme_id_map: MAP })('ab ab, ab ab. ab ab, ab ab.', { first_chunk_ids: 11, max_chunk_ids: 28 })];
  assert.deepEqual(chunks.map((chunk) => chunk.phonemes), ['ab ', 'ab, ab ab.', 'ab ab, ', 'ab ab.']);
  assert.deepEqual(chunks.map((chunk) => chunk.sentence_end), [false, true, false, true]);
  assert.deepEqual(chunks.map((chunk) => chunk.is_last), [false, false, false, true]);
});

test('sentences are phonemized lazily: the first chunk needs only the first sentence and one ahead', () => {
  const phonemizer = stubPhonemizer(Array(50).fill(SENTENCE));
  const chunks = espeakChunkSource(phonemizer, { phoneme_id_map: MAP })('long text');
  chunks.next();
  assert.equal(phonemizer.pulled, 2);
  chunks.return();
  assert.equal(phonemizer.pulled, 2, 'stopping the stream reads nothing more');
});
