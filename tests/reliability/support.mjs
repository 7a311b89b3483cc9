// Shared setup for the reliability suites: the built-in voice (a real model) on the WASM backend
// with one thread, plus the runtime suites' helpers.
import path from 'node:path';
import { ROOT } from '../runtime/support.mjs';

export { ROOT, createTestVoxlet, rejectsWith, testVoice, testVoiceDir, voicesSkip } from '../runtime/support.mjs';

/** The built-in voice's config (models/voxlet-en-us-slt). */
export const BUILTIN_VOICE = path.join(ROOT, 'models/voxlet-en-us-slt/voice.json');
/** Options that make the built-in voice deterministic (no noise): equal inputs, equal samples. */
export const QUIET = Object.freeze({ noiseScale: 0, noiseW: 0 });
/** A text of several chunks with the default chunk sizes. */
export const LONG_TEXT = 'The first sentence is here. And a second one follows it. A third comes after that, and then a fourth one, to make several chunks.';
/** Per-test limit: a hang fails the test instead of stalling the run. */
export const NO_HANG = { timeout: 180_000 };

/** Runs `check` on the rejection of `promise`, asserting it is a VoxletError with `code`. */
export async function voxletRejection(assert, promise, code) {
  let caught;
  await assert.rejects(promise, (error) => {
    caught = error;
    return true;
  });
  assert.equal(caught?.name, 'VoxletError', `expected a VoxletError ${code}, got ${caught?.stack ?? caught}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

/** Every sample equal (the same length too). */
export function sameAudio(assert, actual, expected, what = 'audio') {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) assert.fail(`${what}: sample ${i} differs (${actual[i]} vs ${expected[i]})`);
  }
}
