// `voxlet phonemize --voice <Piper espeak voice>` prints the ids synthesis feeds the model:
// the voice's own phonemizer (espeak-ng on Piper's data), not the built-in CMUdict G2P.
// Checked two ways on rows of tests/golden/piper_parity.jsonl (piper-phonemize's own output):
// the CLI's ids equal the row's, and equal what Voxlet.synthesize() hands ONNX Runtime
// (onInference) for the same text and voice, the stub model running for real.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Voxlet } from '../../web/src/voxlet.js';
import { PIPER_STUB, ROOT, piperSkip } from './support.mjs';

const CLI = path.join(ROOT, 'web/bin/voxlet.mjs');
const GOLDEN = path.join(ROOT, 'tests/golden/piper_parity.jsonl');
const PICKS = { 'en-us': 4, de: 1, fr: 1 }; // rows per language: a few of each, in table order

function pickRows() {
  const rows = readFileSync(GOLDEN, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  return Object.entries(PICKS).flatMap(([lang, count]) => rows.filter((row) => row.lang === lang).slice(0, count));
}

function cliIds(voice, text) {
  const result = spawnSync(process.execPath, ['--no-experimental-fetch', CLI, 'phonemize', '--voice', voice, text], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line));
}

describe('voxlet phonemize on a Piper espeak voice', { skip: piperSkip }, () => {
  // The stub voice once per language: its config with espeak.voice set, the model next to it.
  const dir = piperSkip ? null : mkdtempSync(path.join(os.tmpdir(), 'voxlet-cli-espeak-'));
  after(() => dir && rmSync(dir, { recursive: true, force: true }));
  const voiceFor = (lang) => {
    const config = JSON.parse(readFileSync(PIPER_STUB, 'utf8'));
    config.espeak = { ...config.espeak, voice: lang };
    const file = path.join(dir, `stub-${lang}.onnx.json`);
    writeFileSync(file, JSON.stringify(config));
    copyFileSync(PIPER_STUB.replace(/\.json$/, ''), file.replace(/\.json$/, ''));
    return file;
  };

  for (const row of piperSkip ? [] : pickRows()) {
    test(`${row.lang}: ${JSON.stringify(row.text)}: the CLI's ids are piper-phonemize's and synthesis's`, async () => {
      const voice = voiceFor(row.lang);
      const sentences = cliIds(voice, row.text);
      const ids = sentences.flatMap((sentence) => sentence.ids);
      assert.deepEqual(ids, row.phoneme_ids, 'piper-phonemize gives the same ids');
      for (const sentence of sentences) {
        assert.equal(sentence.text, row.text.slice(...sentence.span));
        assert.deepEqual([sentence.phonemes[0], sentence.phonemes.at(-1)], ['^', '$']);
        // Words keep their source spans (a clause's span where espeak spoke more words than were written).
        assert.ok(sentence.words.every(({ span }) => span[0] >= sentence.span[0] && span[1] <= sentence.span[1]), JSON.stringify(sentence.words));
      }

      const fed = [];
      const tts = await Voxlet.create({ worker: false, backend: 'wasm', threads: 1, onInference: (info) => fed.push(...info.ids) });
      try {
        await tts.loadVoice(voice);
        await tts.synthesize(row.text);
      } finally {
        await tts.dispose();
      }
      assert.deepEqual(ids, fed, 'synthesis feeds the model the same ids');
    });
  }
});
