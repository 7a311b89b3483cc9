// Issue 14, defect 3: several Voxlets in one process share ONNX Runtime's WASM module, whose
// run() keeps its arguments on the module's one C stack across awaits; concurrent runs corrupted
// each other ("operation does not support unaligned accesses", "Cannot read properties of null")
// and were silently retried. Calls into a module are now queued (inference.js exclusive()).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BUILTIN_VOICE, QUIET, createTestVoxlet, sameAudio } from './support.mjs';

const INSTANCES = 5;
const SENTENCES = 10;
const WORDS = 'the quick brown fox jumps over a lazy dog while seven happy zebras sing loudly near old mountains'.split(' ');
// Sentences of different lengths, so that runs of different instances overlap out of step.
const sentence = (i, j) => `${Array.from({ length: 3 + ((i * 7 + j * 5) % 17) }, (_, k) => WORDS[(i + j + k * 3) % WORDS.length]).join(' ')}.`;

describe(`${INSTANCES} Voxlets × ${SENTENCES} sentences in parallel in one process`, () => {
  let voxlets = [];
  after(() => Promise.all(voxlets.map((tts) => tts.dispose())));
  before(async () => {
    voxlets = await Promise.all(Array.from({ length: INSTANCES }, () => createTestVoxlet()));
    await Promise.all(voxlets.map((tts) => tts.loadVoice(BUILTIN_VOICE)));
  });

  test('no failure, no retry, every output identical to a sequential run', async () => {
    const sequential = [];
    for (const [i, tts] of voxlets.entries()) {
      sequential.push([]);
      for (let j = 0; j < SENTENCES; j++) sequential[i].push((await tts.synthesize(sentence(i, j), QUIET)).audio);
    }
    const failures = [];
    const parallel = await Promise.all(
      voxlets.map((tts, i) =>
        Promise.all(Array.from({ length: SENTENCES }, (_, j) => tts.synthesize(sentence(i, j), QUIET).catch((error) => failures.push(`${i}/${j}: ${error.message}`)))),
      ),
    );
    assert.deepEqual(failures, []);
    assert.deepEqual(voxlets.map((tts) => tts.fallbacks), voxlets.map(() => []), 'no run was retried (every retry is listed in tts.fallbacks)');
    parallel.forEach((results, i) => results.forEach((result, j) => sameAudio(assert, result.audio, sequential[i][j], `instance ${i}, sentence ${j}`)));
  });
});
