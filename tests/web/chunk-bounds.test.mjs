// tests/golden/chunk_bounds.jsonl against the WebAssembly build (the C++ suite,
// ChunkBoundsGolden in tests/engine/front_end_test.cc, runs the same table):
// every chunk within its id budget whatever the input, break and say-as limits,
// strict chunk options.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VoxletError } from '../../web/src/errors.js';
import { loadedEngine, readGolden } from './support.mjs';

const engine = await loadedEngine();

function chunkStats(input, options) {
  const stats = { chunks: 0, max_ids: 0, words: 0, break_ms: 0, spans: new Set() };
  for (const chunk of engine.chunks(input, options)) {
    stats.chunks++;
    stats.max_ids = Math.max(stats.max_ids, chunk.ids.length);
    stats.words += chunk.words.length;
    stats.break_ms += chunk.break_after_ms;
    for (const word of chunk.words) stats.spans.add(word.span.join(','));
  }
  return stats;
}

for (const row of readGolden('chunk_bounds.jsonl')) {
  test(row.name, () => {
    const input = row.input.map(([text, times]) => text.repeat(times)).join('');
    if (row.error) {
      assert.throws(() => chunkStats(input, row.options ?? {}), (error) => {
        assert.ok(error instanceof VoxletError, `expected a VoxletError, got ${error}`);
        assert.equal(error.code, row.error);
        assert.ok(error.message.includes(row.message_contains), error.message);
        return true;
      });
      return;
    }
    const stats = chunkStats(input, row.options ?? {});
    const expected = row.expected;
    if ('chunks' in expected) assert.equal(stats.chunks, expected.chunks, 'chunks');
    if ('min_chunks' in expected) assert.ok(stats.chunks >= expected.min_chunks, `${stats.chunks} chunks`);
    if ('max_ids' in expected) assert.equal(stats.max_ids, expected.max_ids, 'max_ids');
    if ('max_ids_at_most' in expected) assert.ok(stats.max_ids <= expected.max_ids_at_most, `${stats.max_ids} ids`);
    if ('words' in expected) assert.equal(stats.words, expected.words, 'words');
    if ('word_spans' in expected) assert.equal(stats.spans.size, expected.word_spans, 'distinct word spans');
    if ('break_ms' in expected) assert.equal(stats.break_ms, expected.break_ms, 'break_ms');
  });
}
