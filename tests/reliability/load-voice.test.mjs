// Issue 14, defect 2: loadVoice() is all or nothing. A load that fails (a corrupt model, a model
// that does not match its config, a bad config) leaves the previous voice loaded and speaking
// exactly as before: the new config never reaches the engine before ONNX Runtime accepts the model.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BUILTIN_VOICE, LONG_TEXT, QUIET, createTestVoxlet, sameAudio, testVoiceDir, voicesSkip, voxletRejection } from './support.mjs';

// The built-in config with every symbol's id moved up by 40 (ids past the model's table) and no
// checksums, so the loader hands any bytes to ONNX Runtime: if it reached the engine, the old
// model would be fed ids it has no row for (MODEL_RUN_FAILED) or the wrong phonemes.
function shiftedConfig() {
  const config = JSON.parse(readFileSync(BUILTIN_VOICE, 'utf8'));
  for (const [symbol, ids] of Object.entries(config.phoneme_id_map)) config.phoneme_id_map[symbol] = ids.map((id) => (id > 3 ? id + 40 : id));
  config.num_symbols += 40;
  delete config.voxlet.variants;
  delete config.voxlet.components;
  return config;
}

describe('a failed loadVoice() leaves the previous voice as it was', () => {
  let tts;
  let before_;
  let info;
  before(async () => {
    tts = await createTestVoxlet();
    info = await tts.loadVoice(BUILTIN_VOICE);
    before_ = await tts.synthesize(LONG_TEXT, QUIET);
  });
  after(() => tts?.dispose());

  const expectUnchanged = async (what) => {
    assert.deepEqual(tts.voice, info, `${what}: voice info`);
    sameAudio(assert, (await tts.synthesize(LONG_TEXT, QUIET)).audio, before_.audio, `${what}: audio`);
    assert.deepEqual(tts.fallbacks, [], `${what}: no run fault was recovered`);
  };

  test('a corrupt model (ONNX Runtime refuses it): MODEL_LOAD_FAILED, the old voice speaks as before', async () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 37) & 0xff);
    await voxletRejection(assert, tts.loadVoice({ config: shiftedConfig(), model: garbage }), 'MODEL_LOAD_FAILED');
    await expectUnchanged('corrupt model');
  });

  test('a model whose inputs do not match its config: MODEL_MISMATCH, the old voice speaks as before', { skip: voicesSkip }, async () => {
    const model = readFileSync(path.join(testVoiceDir(), 'bad-inputs/model.onnx'));
    await voxletRejection(assert, tts.loadVoice({ config: shiftedConfig(), model }), 'MODEL_MISMATCH');
    await expectUnchanged('mismatched model');
  });

  test('an invalid config: INVALID_CONFIG before any model is read, the old voice speaks as before', async () => {
    const config = shiftedConfig();
    config.audio.sample_rate = -5;
    await voxletRejection(assert, tts.loadVoice({ config, model: new Uint8Array(8) }), 'INVALID_CONFIG');
    await expectUnchanged('invalid config');
  });

  test('a load that succeeds after the failures switches the voice', async () => {
    const other = JSON.parse(readFileSync(BUILTIN_VOICE, 'utf8'));
    const model = readFileSync(path.join(path.dirname(BUILTIN_VOICE), 'model.onnx'));
    await tts.loadVoice({ config: other, model });
    sameAudio(assert, (await tts.synthesize(LONG_TEXT, QUIET)).audio, before_.audio, 'the same voice from memory');
  });
});
