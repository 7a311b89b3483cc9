// The shared golden tables, run against the WebAssembly build of the engine
// (the C++ suites run the same tables natively).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VoxletError } from '../../web/src/errors.js';
import { loadedEngine, readGolden, readVoiceConfig } from './support.mjs';

const engine = await loadedEngine();

// Runs `check` on every row and fails once, listing every failing row.
function eachRow(rows, check) {
  const failures = [];
  for (const row of rows) {
    try {
      check(row);
    } catch (error) {
      failures.push(`${JSON.stringify(row.input ?? row.name ?? row)}\n    ${error.message.split('\n').join('\n    ')}`);
    }
  }
  assert.equal(failures.length, 0, `${failures.length} of ${rows.length} rows failed:\n${failures.join('\n')}`);
}

function assertEngineError(call, code, messageStart) {
  assert.throws(call, (error) => {
    assert.ok(error instanceof VoxletError, `expected a VoxletError, got ${error}`);
    assert.equal(error.code, code);
    if (messageStart) assert.ok(error.message.startsWith(messageStart), `message "${error.message}" should start with "${messageStart}"`);
    return true;
  });
}

test('normalization table', () => {
  const rows = readGolden('normalize.jsonl');
  assert.ok(rows.length >= 150);
  eachRow(rows, (row) => {
    const options = {};
    if (row.say_as) options.say_as = row.say_as;
    if (row.format) options.format = row.format;
    assert.equal(engine.normalizeText(row.input, options).spoken, row.expected);
  });
});

test('SSML table', () => {
  const rows = readGolden('ssml.jsonl');
  assert.ok(rows.length >= 40);
  eachRow(rows, (row) => {
    if (row.error) {
      assertEngineError(() => engine.parseSsml(row.input), row.error, row.at);
    } else {
      assert.deepEqual(engine.parseSsml(row.input).pieces, row.expected);
    }
  });
});

test('chunk planner table', () => {
  eachRow(readGolden('planner.jsonl'), (row) => {
    if (row.error) assertEngineError(() => engine.planChunks(row), row.error);
    else assert.deepEqual(engine.planChunks(row).chunks, row.expected);
  });
});

test('segmentation table: sentence and word spans in UTF-16 units', () => {
  eachRow(readGolden('segmentation.jsonl'), (row) => {
    const { sentences } = engine.phonemize(row.input);
    assert.deepEqual(sentences.map((sentence) => sentence.span), row.sentences);
    if (row.words) {
      const words = sentences.flatMap((sentence) => sentence.words.map((word) => [word.text, ...word.span]));
      assert.deepEqual(words, row.words);
    }
  });
});

test('voice config table', () => {
  eachRow(readGolden('voice_config.jsonl'), (row) => {
    if (row.ok) {
      assert.deepEqual(engine.validateVoice(row.json), { ok: true });
      return;
    }
    assertEngineError(() => engine.validateVoice(row.json), row.error);
    for (const part of row.problems_contain ?? []) {
      try {
        engine.validateVoice(row.json);
      } catch (error) {
        assert.ok(error.message.includes(part), `"${error.message}" should mention "${part}"`);
      }
    }
  });
});

test('phoneme id table', async () => {
  const rows = readGolden('phoneme_ids.jsonl');
  assert.ok(rows.length >= 20);
  try {
    eachRow(rows, (row) => {
      const config = JSON.parse(readVoiceConfig(row.config) ?? 'null');
      assert.ok(config, `voice config ${row.config} not found`);
      if ('interspersed_pad' in row) config.voxlet = { ...config.voxlet, interspersed_pad: row.interspersed_pad };
      engine.loadVoice(config);
      const mapped = engine.mapTokens(row.tokens);
      assert.deepEqual(mapped.ids, row.expected);
      assert.equal(mapped.unknown, row.unknown ?? 0);
      for (const field of ['symbols', 'token_index', 'unknown_names']) {
        if (field in row) assert.deepEqual(mapped[field], row[field], field);
      }
    });
  } finally {
    engine.loadVoice(readVoiceConfig('voxlet-test-arpabet'));
  }
});

function editDistance(a, b) {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

test('G2P table through the whole front end (lexicon, homographs, letters, letter-to-sound)', () => {
  const rows = readGolden('g2p.jsonl');
  assert.ok(rows.length >= 80);
  let oovErrors = 0;
  let oovPhones = 0;
  eachRow(rows, (row) => {
    const input =
      row.flags === 'letters' ? `<speak><say-as interpret-as="characters">${row.input}</say-as></speak>` : row.input;
    const words = engine.phonemize(input).sentences.flatMap((sentence) => sentence.words.map((word) => word.phonemes));
    assert.equal(words.length, row.expected.length, `words: ${JSON.stringify(words)}`);
    if (!row.oov) {
      assert.deepEqual(words, row.expected);
      return;
    }
    row.expected.forEach((expected, i) => {
      oovErrors += editDistance(words[i].split(' '), expected.split(' '));
      oovPhones += expected.split(' ').length;
    });
  });
  // Same bound as the C++ suite: letter-to-sound is judged in aggregate.
  assert.ok(oovPhones > 0);
  assert.ok(oovErrors / oovPhones <= 0.35, `out-of-lexicon phone error rate ${oovErrors}/${oovPhones}`);
});
