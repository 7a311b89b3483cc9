// Shared setup for the runtime suites: the generated test voices, the Piper stub
// fixture, and a Voxlet on the WASM backend with one thread (a shared 2-core machine).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTestVoices } from '../../scripts/runtime/make-test-voice.mjs';
import { Voxlet } from '../../web/src/voxlet.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PIPER_STUB = path.join(ROOT, '../shared/fixtures/piper-test-voice/test_voice.onnx.json');
const PYTHON = process.env.VOXLET_PYTHON ?? '/usr/bin/python3';

/** A skip reason when the test voices cannot be generated here, else false. */
export const voicesSkip =
  spawnSync(PYTHON, ['-c', 'import onnx, numpy']).status === 0 ? false : `${PYTHON} lacks python3-onnx/python3-numpy (Debian packages; scripts/setup)`;
export const piperSkip = existsSync(PIPER_STUB) ? false : `Piper's test voice fixture is missing (${PIPER_STUB})`;

let voiceDir;
/** Folder of the generated voices (voice.json, multi/, bad-inputs/), built on first use. */
export function testVoiceDir() {
  voiceDir ??= ensureTestVoices();
  return voiceDir;
}

export function testVoice(sub = '') {
  return path.join(testVoiceDir(), sub, 'voice.json');
}

/** A Voxlet for tests: WASM, 1 thread, optional inference hook. */
export function createTestVoxlet(options = {}) {
  return Voxlet.create({ backend: 'wasm', threads: 1, ...options });
}

/** Asserts a promise rejects with a VoxletError of `code` whose message matches every pattern. */
export async function rejectsWith(assert, promise, code, ...patterns) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.name, 'VoxletError', error.stack);
    assert.equal(error.code, code, error.message);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}
