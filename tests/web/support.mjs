// Shared helpers for the Node suites: golden tables and a loaded engine.
import { readFileSync, existsSync } from 'node:fs';
import { Engine } from '../../web/src/engine.js';

export const GOLDEN_DIR = new URL('../golden/', import.meta.url);
export const MODELS_DIR = new URL('../../models/', import.meta.url);
export const SHARED_DIR = new URL('../../../shared/', import.meta.url);

export function readGolden(name) {
  return readFileSync(new URL(name, GOLDEN_DIR), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
}

export function readVoiceConfig(name) {
  const url =
    name === 'piper-test-voice'
      ? new URL('fixtures/piper-test-voice/test_voice.onnx.json', SHARED_DIR)
      : new URL(`${name}/voice.json`, MODELS_DIR);
  return existsSync(url) ? readFileSync(url, 'utf8') : null;
}

let enginePromise;
// One engine per test file, with the lexicon and the ARPAbet test voice.
export function loadedEngine() {
  enginePromise ??= Engine.load().then((engine) => {
    engine.loadVoice(readVoiceConfig('voxlet-test-arpabet'));
    return engine;
  });
  return enginePromise;
}
