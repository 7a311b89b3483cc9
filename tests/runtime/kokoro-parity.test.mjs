// Kokoro phonemization parity: Voxlet's Kokoro front end (web/src/families/kokoro/ on the
// optional espeak-ng module web/src/espeak/) against tests/golden/kokoro_parity.jsonl,
// which kokoro-js 1.2.1's own phonemize() wrote (scripts/kokoro/make-parity-goldens.mjs).
// Every row must give the identical phoneme string and ids, in both accents; chunks must
// join back to the whole text's phonemes; the CLI must print what kokoro-js gives.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, test } from 'node:test';
import { loadEspeakPhonemizer } from '../../web/src/espeak/index.js';
import { analyzeKokoro, kokoroChunks, kokoroIds, kokoroSentences } from '../../web/src/families/kokoro/front-end.js';
import { phonemizeKokoro } from '../../web/src/families/kokoro/text.js';
import { ROOT } from './support.mjs';

const GOLDEN = path.join(ROOT, 'tests/golden/kokoro_parity.jsonl');
const VOICE = path.join(ROOT, 'models/kokoro-82m-v1.0/voice.json');
const [header, ...rows] = readFileSync(GOLDEN, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const vocab = JSON.parse(readFileSync(VOICE, 'utf8')).kokoro.vocab;

describe('Kokoro phonemes: parity with kokoro-js 1.2.1', () => {
  let espeak;
  before(async () => {
    espeak = await loadEspeakPhonemizer();
  });
  const trace = (text, voice) => espeak.traceIpa(text, voice);
  const analyses = new Map(); // each golden row is phonemized once
  const analyze = (text, lang) => {
    const key = `${lang}\n${text}`;
    if (!analyses.has(key)) analyses.set(key, analyzeKokoro(text, lang, trace));
    return analyses.get(key);
  };

  test('the goldens come from kokoro-js 1.2.1 and cover >= 200 sentences per accent', () => {
    assert.match(header.comment, /^kokoro-js 1\.2\.1 phonemize/);
    for (const lang of ['a', 'b']) assert.ok(rows.filter((row) => row.lang === lang).length >= 200, lang);
  });

  for (const lang of ['a', 'b']) {
    test(`every ${lang === 'a' ? 'en-us (a)' : 'en-gb (b)'} row: identical phoneme string and ids`, (t) => {
      const mine = rows.filter((row) => row.lang === lang);
      const wrong = [];
      for (const row of mine) {
        const { phonemes } = analyze(row.text, lang);
        const ids = kokoroIds(phonemes, vocab);
        if (phonemes !== row.phonemes || JSON.stringify(ids) !== JSON.stringify(row.ids)) wrong.push({ text: row.text, expected: row.phonemes, got: phonemes });
      }
      t.diagnostic(`${lang}: ${mine.length - wrong.length}/${mine.length} identical`);
      assert.deepEqual(wrong.slice(0, 5), [], `${mine.length - wrong.length}/${mine.length} identical`);
    });
  }

  test("kokoro-js's rules alone: with the phonemizer package's espeak-ng (kokoro-js's own) in place of Voxlet's, every row is identical too", async (t) => {
    let phonemize;
    try {
      ({ phonemize } = await import(pathToFileURL(path.join(ROOT, 'web/node_modules/phonemizer/dist/phonemizer.js')).href));
    } catch {
      t.skip('the dev dependency phonemizer is not installed (scripts/setup)');
      return;
    }
    const wrong = [];
    for (const row of rows) {
      const got = await phonemizeKokoro(row.text, row.lang, phonemize);
      if (got !== row.phonemes) wrong.push({ text: row.text, lang: row.lang, expected: row.phonemes, got });
    }
    assert.deepEqual(wrong.slice(0, 5), []);
  });

  test('chunks: <= 510 phoneme ids each, pads of 0, and joined by spaces they give the whole phonemes and ids', () => {
    for (const row of rows) {
      const chunks = [...kokoroChunks(kokoroSentences(row.text, row.lang, trace), vocab)]; // the lazy path synthesis takes
      assert.equal(chunks.map((chunk) => chunk.phonemes).join(' '), row.phonemes, row.text);
      const space = vocab[' '];
      const joined = chunks.flatMap((chunk, k) => [...(k ? [space] : []), ...chunk.ids.slice(1, -1)]);
      assert.deepEqual([0, ...joined, 0], row.ids, row.text);
      for (const chunk of chunks) {
        assert.ok(chunk.ids.length <= 512 && chunk.ids[0] === 0 && chunk.ids.at(-1) === 0, row.text);
        for (const word of chunk.words) assert.ok(word.ids[0] >= 1 && word.ids[1] <= chunk.ids.length - 1 && word.ids[0] < word.ids[1], row.text);
      }
      assert.equal(chunks.at(-1)?.is_last ?? true, true);
    }
  });

  test('a long text is cut into runs of at most 510 phoneme ids at sentence, then clause, then word ends', () => {
    const text = Array.from({ length: 40 }, (_, k) => `Sentence ${k + 1} is here, and it goes on for a while without stopping at all`).join(' ') + '.';
    const analysis = analyzeKokoro(text, 'a', trace);
    const chunks = [...kokoroChunks(analysis, vocab, { firstIds: 64 })];
    assert.ok(chunks.length > 4, `${chunks.length} chunks`);
    assert.ok(chunks[0].ids.length <= 64, `first chunk ${chunks[0].ids.length} ids`);
    for (const chunk of chunks) assert.ok(chunk.ids.length - 2 <= 510, `${chunk.ids.length - 2} phoneme ids`);
    for (const chunk of chunks.slice(0, -1)) assert.match(chunk.phonemes, /,$/, 'a clause end is preferred to a word boundary');
    assert.equal(chunks.map((chunk) => chunk.phonemes).join(' '), analysis.phonemes);
  });

  test('word spans point at the written words (pairs in order where espeak said as many words)', () => {
    const text = 'Hello, world! Dr. Smith paid $3.50.';
    const chunks = [...kokoroChunks(kokoroSentences(text, 'a', trace), vocab)];
    const spans = chunks.flatMap((chunk) => chunk.words.map((word) => text.slice(word.span[0], word.span[1])));
    assert.deepEqual(spans.slice(0, 2), ['Hello', 'world']);
    assert.ok(spans.includes('Dr.') && spans.includes('Smith'), spans.join('|'));
    assert.ok(spans.filter((span) => span === '$3.50').length >= 2, 'the spoken words of "$3.50" share its span');
  });

  test('voxlet phonemize --voice kokoro voice.json: the lines joined by spaces are kokoro-js phonemize(TEXT, "a")', () => {
    const multi = rows.filter((row) => row.lang === 'a' && /[.!?] \S/.test(row.text)).slice(0, 3);
    assert.ok(multi.length >= 3);
    for (const row of multi) {
      const out = execFileSync(process.execPath, ['--no-experimental-fetch', path.join(ROOT, 'web/bin/voxlet.mjs'), 'phonemize', '--voice', VOICE, row.text], { encoding: 'utf8' });
      const lines = out.trim().split('\n').map((line) => JSON.parse(line));
      assert.equal(lines.map((line) => line.phonemes).join(' '), row.phonemes, row.text);
      for (const line of lines) assert.deepEqual(line.ids, kokoroIds(line.phonemes, vocab));
    }
  });
});
