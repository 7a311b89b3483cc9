// Loading voices: sources (path, Piper naming, in-memory), verification and the
// errors for missing, truncated, corrupt and mismatched models; multi-speaker
// selection; the Piper stub (no durations output) with estimated word timings.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../web/src/engine.js';
import { PIPER_STUB, createTestVoxlet, piperSkip, rejectsWith, testVoice, testVoiceDir, voicesSkip } from './support.mjs';

let engine;
before(async () => {
  engine = await Engine.load(); // one front end for every Voxlet of this file (used one at a time)
});
after(() => engine?.dispose());
const newVoxlet = (options) => createTestVoxlet({ engine, ...options });

describe('loading errors', { skip: voicesSkip }, () => {
  let tts;
  let dir;
  let config;
  let model;
  before(async () => {
    tts = await newVoxlet();
    dir = mkdtempSync(path.join(tmpdir(), 'voxlet-runtime-test-'));
    config = JSON.parse(readFileSync(testVoice(), 'utf8'));
    model = readFileSync(path.join(testVoiceDir(), 'model.onnx'));
  });
  after(async () => {
    await tts?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // A voice folder in the temp dir: voice.json (edited by `change`) + model bytes (none when null).
  function voiceFolder(name, bytes, change = (c) => c) {
    const folder = path.join(dir, name);
    mkdirSync(folder);
    if (bytes) writeFileSync(path.join(folder, 'model.onnx'), bytes);
    writeFileSync(path.join(folder, 'voice.json'), JSON.stringify(change(structuredClone(config))));
    return path.join(folder, 'voice.json');
  }

  test('missing config and missing model name the file', async () => {
    await rejectsWith(assert, tts.loadVoice(path.join(dir, 'nowhere/voice.json')), 'VOICE_NOT_FOUND', /voice\.json/, /no such file/);
    await rejectsWith(assert, tts.loadVoice(voiceFolder('no-model', null)), 'MODEL_NOT_FOUND', /model\.onnx/);
  });

  test('sha256 mismatch (same size, one byte changed)', async () => {
    const corrupt = Buffer.from(model);
    corrupt[corrupt.length >> 1] ^= 0xff;
    await rejectsWith(assert, tts.loadVoice(voiceFolder('flipped', corrupt)), 'MODEL_CHECKSUM_MISMATCH', /model\.onnx has sha256 [0-9a-f]{64}/, /expects/);
  });

  test('truncated model: size check names the file and both sizes', async () => {
    const truncated = model.subarray(0, 1000);
    await rejectsWith(assert, tts.loadVoice(voiceFolder('truncated', truncated)), 'MODEL_TRUNCATED', /model\.onnx has 1000 bytes/, new RegExp(`expects ${model.length}`));
  });

  test('corrupt model without a size/sha256 to check (Piper naming): the ORT failure names the file', async () => {
    const piperConfig = { ...config, voxlet: { ...config.voxlet, variants: [] } };
    writeFileSync(path.join(dir, 'broken.onnx.json'), JSON.stringify(piperConfig));
    writeFileSync(path.join(dir, 'broken.onnx'), model.subarray(0, 5000));
    await rejectsWith(assert, tts.loadVoice(path.join(dir, 'broken.onnx.json')), 'MODEL_LOAD_FAILED', /cannot load broken\.onnx \(wasm backend\)/, /corrupt, truncated/);
  });

  test('voice.json without variants: says the model file is unknown', async () => {
    const bare = (c) => ({ ...c, voxlet: { ...c.voxlet, variants: [] } });
    await rejectsWith(assert, tts.loadVoice(voiceFolder('bare', model, bare)), 'INVALID_CONFIG', /lists no voxlet\.variants/);
  });

  test('inputs not matching the config', async () => {
    await rejectsWith(assert, tts.loadVoice(testVoice('bad-inputs')), 'MODEL_MISMATCH', /missing input "input"/, /unexpected input "tokens"/);
  });

  test('audio output name from voxlet.outputs must exist', async () => {
    const renamed = (c) => ({ ...c, voxlet: { ...c.voxlet, outputs: { audio: 'wav', durations: 'durations' } } });
    await rejectsWith(assert, tts.loadVoice(voiceFolder('outputs', model, renamed)), 'MODEL_MISMATCH', /missing audio output "wav"/);
  });

  test('a multi-speaker config over a model without sid', async () => {
    const multi = (c) => ({ ...c, num_speakers: 2 });
    await rejectsWith(assert, tts.loadVoice(voiceFolder('no-sid', model, multi)), 'MODEL_MISMATCH', /missing input "sid"/);
  });

  test('precision not listed, invalid config, no voice loaded', async () => {
    await rejectsWith(assert, tts.loadVoice(testVoice(), { precision: 'int8' }), 'INVALID_ARGUMENT', /no int8 model; its variants are: fp32/);
    await rejectsWith(assert, tts.loadVoice(testVoice(), { precision: 'fp64' }), 'INVALID_ARGUMENT', /auto, fp32, fp16/);
    const noRate = (c) => ({ ...c, audio: {} });
    await rejectsWith(assert, tts.loadVoice(voiceFolder('no-rate', model, noRate)), 'INVALID_CONFIG', /sample_rate/);
    const fresh = await newVoxlet();
    await rejectsWith(assert, fresh.synthesize('hi'), 'FAILED_PRECONDITION', /loadVoice/);
  });

  test('in memory: { config, model } verified against the listed size/sha256', async () => {
    const info = await tts.loadVoice({ config, model: new Uint8Array(model).buffer });
    assert.equal(info.verified, true);
    assert.ok((await tts.synthesize('Hello.')).audio.length > 0);
    await rejectsWith(assert, tts.loadVoice({ config, model: model.subarray(0, 10) }), 'MODEL_SIZE_MISMATCH', /10 bytes/);
  });
});

describe('multi-speaker voice', { skip: voicesSkip }, () => {
  let tts;
  const fed = [];
  before(async () => {
    tts = await newVoxlet({ onInference: ({ sid }) => fed.push(sid) });
    assert.deepEqual((await tts.loadVoice(testVoice('multi'))).speakers, ['alice', 'bob']);
  });
  after(() => tts?.dispose());

  test('speaker by name or id feeds sid; speakers sound different', async () => {
    const alice = await tts.synthesize('Hello there.', { speaker: 'alice' });
    const bob = await tts.synthesize('Hello there.', { speaker: 'bob' });
    const bobById = await tts.synthesize('Hello there.', { speaker: 1 });
    const byDefault = await tts.synthesize('Hello there.');
    assert.deepEqual(fed, [0, 1, 1, 0]);
    assert.deepEqual(bobById.audio, bob.audio);
    assert.deepEqual(byDefault.audio, alice.audio);
    assert.equal(alice.audio.length, bob.audio.length);
    assert.notDeepEqual(alice.audio, bob.audio);
  });

  test('an unknown speaker lists the valid names', async () => {
    await rejectsWith(assert, tts.synthesize('Hi.', { speaker: 'carol' }), 'INVALID_ARGUMENT', /"carol"/, /alice, bob/, /0\.\.1/);
    await rejectsWith(assert, tts.synthesize('Hi.', { speaker: 2 }), 'INVALID_ARGUMENT', /alice, bob/);
  });
});

describe("Piper's stub voice (no durations output)", { skip: piperSkip }, () => {
  let tts;
  before(async () => {
    tts = await newVoxlet();
  });
  after(() => tts?.dispose());

  test('loads by Piper naming (<name>.onnx next to <name>.onnx.json); unverified', async () => {
    const info = await tts.loadVoice(PIPER_STUB);
    assert.equal(info.modelName, 'test_voice.onnx');
    assert.equal(info.verified, false, 'a Piper config lists no sha256');
    assert.equal(info.hasDurations, false);
  });

  test('word timings are estimated from phoneme id counts and flagged', async () => {
    const text = 'Hello world. Second sentence here.';
    const { audio, words, sampleRate } = await tts.synthesize(text, { maxChunkIds: 10000, firstChunkIds: 10000 });
    assert.equal(sampleRate, 22050);
    // The stub returns 22050 zeros per call, and the engine's joiner trims silence: nothing is left.
    assert.equal(audio.length, 0, 'all-silent model output is trimmed away');
    assert.deepEqual(words.map((w) => w.text), ['Hello', 'world', 'Second', 'sentence', 'here']);
    for (const word of words) {
      assert.equal(word.estimated, true);
      assert.equal(text.slice(word.charStart, word.charEnd), word.text);
      assert.ok(word.start >= 0 && word.end <= audio.length / sampleRate, 'times of trimmed ids are clamped into the audio');
    }
    for (let i = 1; i < words.length; i++) assert.ok(words[i - 1].end <= words[i].start);
    // The equal share per id itself is covered in units.test.mjs (idBoundaries without durations).
  });
});

describe('loading from Files', { skip: voicesSkip }, () => {
  test('a picked .onnx + .json pair loads and speaks; anything else is refused by name', async () => {
    const tts = await newVoxlet();
    try {
      const config = new File([readFileSync(testVoice())], 'voice.json');
      const model = new File([readFileSync(path.join(testVoiceDir(), 'model.onnx'))], 'model.onnx');
      const info = await tts.loadVoice([model, config]);
      assert.equal(info.modelName, 'model.onnx');
      assert.equal(info.verified, true);
      const { audio } = await tts.synthesize('Hello.');
      assert.ok(audio.length > 0);
      await rejectsWith(assert, tts.loadVoice([config]), 'INVALID_ARGUMENT', /two files/, /voice\.json/);
      await rejectsWith(assert, tts.loadVoice({ config, model: new Blob([new Uint8Array(10)]) }), 'MODEL_SIZE_MISMATCH');
    } finally {
      await tts.dispose();
    }
  });
});
