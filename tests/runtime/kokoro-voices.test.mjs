// Kokoro voices through the runtime, on interface-exact stand-in models
// (scripts/kokoro/make-test-model.py: Kokoro v1.0's input/output names, dtypes and shapes,
// random weights, audio length from per-id durations / speed) and kokoro-js's real voice
// tables (voices/*.bin, a dev dependency): load, synthesize, stream, word boundaries,
// <= 510 phoneme ids per run, the style row rule, voice blending, kokoro-onnx's .npz, errors.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { permissivePer } from '../../scripts/kokoro/permissive-per.mjs';
import { Engine } from '../../web/src/engine.js';
import { openModel } from '../../web/src/families/kokoro/index.js';
import { blendStyles, parseStyleTables, styleRow } from '../../web/src/families/kokoro/styles.js';
import { createSession, importOrt } from '../../web/src/inference.js';
import { Voxlet } from '../../web/src/voxlet.js';
import { ROOT, createTestVoxlet, rejectsWith, voicesSkip } from './support.mjs';

const PYTHON = process.env.VOXLET_PYTHON ?? '/usr/bin/python3';
const CONFIG = path.join(ROOT, 'models/kokoro-82m-v1.0/voice.json');
const VOICES = path.join(ROOT, 'web/node_modules/kokoro-js/voices');
const bin = (name) => path.join(VOICES, `${name}.bin`);
const TEXT = 'Hello, world! It costs $3.50. Dr. Smith arrived at 10:30, and then he left.';

describe('Kokoro voices (interface-exact test models)', { skip: voicesSkip }, () => {
  let dir;
  let engine;
  let tts;
  const runs = [];
  const model = (name) => path.join(dir, name);
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'voxlet-kokoro-'));
    const make = (name, ...args) => execFileSync(PYTHON, [path.join(ROOT, 'scripts/kokoro/make-test-model.py'), model(name), ...args], { stdio: 'pipe' });
    make('kokoro.onnx');
    make('kokoro-onnx.onnx', '--text-input', 'tokens', '--audio-name', 'audio', '--no-durations');
    make('not-kokoro.onnx', '--text-input', 'input');
    // kokoro-onnx's voices-v1.0.bin layout: an .npz of [510, 1, 256] float32 (stored and deflated).
    const npz = `import numpy as np, sys\nt = {n: np.fromfile(f'${VOICES}/{n}.bin', dtype='<f4').reshape(510, 1, 256) for n in ('af_heart', 'af_bella')}\nnp.savez('${model('voices.npz')}', **t)\nnp.savez_compressed('${model('voices-z.npz')}', **t)`;
    execFileSync(PYTHON, ['-c', npz]);
    engine = await Engine.load();
    tts = await createTestVoxlet({ engine, onInference: ({ ids, scales, sid }) => runs.push({ ids, scales, sid }) });
  });
  after(async () => {
    await tts?.dispose();
    engine?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('loads config + model + a kokoro-js voice table; speaks at 24 kHz with exact word times from durations', async () => {
    const info = await tts.loadVoice({ config: CONFIG, model: model('kokoro.onnx'), voices: { af_heart: bin('af_heart') } });
    assert.equal(info.sampleRate, 24000);
    assert.equal(info.hasDurations, true);
    assert.deepEqual(info.speakers, ['af_heart']);
    runs.length = 0;
    const result = await tts.synthesize(TEXT);
    assert.equal(result.sampleRate, 24000);
    assert.ok(result.audio.length > 24000, `${result.audio.length} samples`);
    assert.equal(runs.length, 3, 'one run per sentence');
    for (const { ids } of runs) assert.ok(ids[0] === 0 && ids.at(-1) === 0 && ids.length <= 512);
    const words = result.words;
    assert.deepEqual(words.slice(0, 2).map((word) => word.text), ['Hello', 'world']);
    assert.ok(words.some((word) => word.text === '$3.50'));
    for (const word of words) assert.equal(word.estimated, undefined, 'times come from the durations output');
    for (let k = 1; k < words.length; k++) assert.ok(words[k].start >= words[k - 1].end - 1e-9 && words[k].end >= words[k].start);
  });

  const loadDefault = () => tts.loadVoice({ config: CONFIG, model: model('kokoro.onnx'), voices: { af_heart: bin('af_heart') } });

  test('speed: rate 2 halves the audio (durations / speed), as Kokoro does', async () => {
    await loadDefault();
    const normal = await tts.synthesize('The quick brown fox jumps over the lazy dog.');
    const fast = await tts.synthesize('The quick brown fox jumps over the lazy dog.', { rate: 2 });
    const ratio = fast.audio.length / normal.audio.length;
    assert.ok(ratio > 0.35 && ratio < 0.65, `ratio ${ratio}`);
  });

  test('the model gets row min(ids - 2, 509) of the voice table as style, speed 1/length scale, pads of 0', async () => {
    const ort = await importOrt('wasm');
    const bytes = readFileSync(model('kokoro.onnx'));
    const table = (await parseStyleTables(readFileSync(bin('af_heart')), { name: 'af_heart' })).get('af_heart');
    const session = await createSession(ort, bytes, { backend: 'wasm', name: 'kokoro.onnx' });
    const kokoro = openModel(ort, session, { modelName: 'kokoro.onnx', styles: [table] });
    for (const length of [3, 40, 600]) {
      const ids = [0, ...Array.from({ length: length - 2 }, (_, k) => 43 + (k % 20)), 0];
      const row = Math.min(length - 2, 509);
      const expected = await session.run({
        input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
        style: new ort.Tensor('float32', table.slice(row * 256, row * 256 + 256), [1, 256]),
        speed: new ort.Tensor('float32', Float32Array.of(1.25), [1]),
      });
      const got = await kokoro.run(ids, { scales: [0, 0.8, 0], sid: 0 });
      assert.deepEqual(got.audio, Float32Array.from(expected.waveform.data), `${length} ids`);
      assert.deepEqual(got.durations, Array.from(expected.durations.data, Number));
      assert.deepEqual(styleRow(table, length), table.subarray(row * 256, row * 256 + 256));
    }
    await kokoro.release();
  });

  test('stream: a long text runs in several runs of at most 510 phoneme ids, the first short', async () => {
    await loadDefault();
    const text = Array.from({ length: 30 }, (_, k) => `Part ${k + 1} of this long text goes on, clause after clause, and never seems to reach its end`).join(' ') + '.';
    runs.length = 0;
    let chunks = 0;
    let samples = 0;
    for await (const chunk of tts.stream(text, { firstChunkIds: 48 })) {
      chunks++;
      samples += chunk.audio.length;
    }
    assert.ok(chunks >= 5, `${chunks} chunks`);
    assert.equal(runs.length, chunks);
    assert.ok(runs[0].ids.length <= 48, `first run ${runs[0].ids.length} ids`);
    for (const { ids } of runs) assert.ok(ids.length - 2 <= 510, `${ids.length - 2} phoneme ids`);
    assert.ok(samples > 0);
  });

  test('a model without durations (kokoro-onnx: tokens in, audio out) speaks; its word times are estimated and flagged', async () => {
    const info = await tts.loadVoice({ config: CONFIG, model: model('kokoro-onnx.onnx'), voices: model('voices.npz') });
    assert.equal(info.hasDurations, false);
    assert.deepEqual(info.speakers, ['af_heart', 'af_bella']);
    const { audio, words } = await tts.synthesize('Hello there, my friend.');
    assert.ok(audio.length > 0);
    assert.ok(words.length >= 3 && words.every((word) => word.estimated === true));
  });

  test('voices: .npz (stored or deflated) equals the raw tables; the speaker option picks one; a blend is the weighted mix', async () => {
    const raw = await parseStyleTables({ af_heart: readFileSync(bin('af_heart')), af_bella: readFileSync(bin('af_bella')) });
    for (const file of ['voices.npz', 'voices-z.npz']) {
      const npz = await parseStyleTables(readFileSync(model(file)));
      assert.deepEqual([...npz.keys()].sort(), ['af_bella', 'af_heart']);
      for (const name of npz.keys()) assert.deepEqual(npz.get(name), raw.get(name), `${file} ${name}`);
    }
    const say = (options) => tts.synthesize('Blend these two voices.', options).then((r) => r.audio);
    await tts.loadVoice({ config: CONFIG, model: model('kokoro.onnx'), voices: model('voices-z.npz') });
    const heart = await say({});
    const bella = await say({ speaker: 'af_bella' });
    assert.notDeepEqual(heart, bella);
    await tts.loadVoice({ config: CONFIG, model: model('kokoro.onnx'), voices: model('voices.npz'), voice: { af_heart: 3, af_bella: 1 } });
    assert.deepEqual(tts.voice.speakers, ['af_heart*3+af_bella*1', 'af_heart', 'af_bella']);
    const blended = await say({});
    assert.notDeepEqual(blended, heart);
    // The same mix written as one raw table speaks identically.
    const mix = blendStyles(raw, { af_heart: 0.75, af_bella: 0.25 });
    writeFileSync(model('mix.bin'), new Uint8Array(mix.buffer));
    await tts.loadVoice({ config: CONFIG, model: model('kokoro.onnx'), voices: { mix: model('mix.bin') }, voice: 'mix' });
    assert.deepEqual(await say({}), blended);
  });

  test('a config URL alone finds the model and voices where the config lists them', async () => {
    const folder = path.join(dir, 'layout');
    mkdirSync(path.join(folder, 'onnx'), { recursive: true });
    mkdirSync(path.join(folder, 'voices'), { recursive: true });
    copyFileSync(CONFIG, path.join(folder, 'voice.json'));
    copyFileSync(model('kokoro.onnx'), path.join(folder, 'onnx/model_quantized.onnx'));
    copyFileSync(bin('af_heart'), path.join(folder, 'voices/af_heart.bin'));
    const info = await tts.loadVoice(path.join(folder, 'voice.json'));
    assert.equal(info.modelName, 'model_quantized.onnx');
    assert.deepEqual(info.speakers, ['af_heart']);
    assert.ok((await tts.synthesize('Found it.')).audio.length > 0);
  });

  test('a Voxlet in a worker (thread) loads a Kokoro voice by relative paths and speaks with word times', async () => {
    const relative = (file) => path.relative(process.cwd(), file);
    const worker = await createTestVoxlet({ worker: true });
    try {
      const info = await worker.loadVoice({ config: relative(CONFIG), model: relative(model('kokoro.onnx')), voices: { af_heart: relative(bin('af_heart')) } });
      assert.equal(info.hasDurations, true);
      const { audio, words } = await worker.synthesize('Hello from a worker. Two sentences.');
      assert.ok(audio.length > 0);
      assert.deepEqual(words.slice(0, 1).map((word) => word.text), ['Hello']);
    } finally {
      await worker.dispose();
    }
  });

  test('tuning: planFor() plans from the Kokoro config alone; createTuned() applies it (a short first run, then <= 512 ids)', async () => {
    const voice = { config: CONFIG, model: model('kokoro.onnx'), voices: { af_heart: bin('af_heart') } };
    const { plan } = await tts.planFor({ config: CONFIG });
    assert.equal(plan.max_chunk_ids, 512);
    assert.ok(plan.first_chunk_ids < plan.max_chunk_ids);
    const fed = [];
    // threads: 1 as this process's ORT runs (an idle machine's plan says 2, which would need a worker)
    const tuned = await Voxlet.createTuned({ backend: 'wasm', threads: 1, worker: false, engine, voice, overrides: { threads: 1 }, onInference: ({ ids }) => fed.push(ids.length) });
    try {
      fed.length = 0;
      await tuned.synthesize('This first sentence of a paragraph goes on, with more and more words in it, for a while. A second one.');
      assert.ok(fed[0] <= tuned.plan.first_chunk_ids, `first run ${fed[0]} ids, plan ${tuned.plan.first_chunk_ids}`);
      assert.ok(fed.length >= 3 && fed.every((n) => n <= 512), fed.join(','));
    } finally {
      await tuned.dispose();
    }
  });

  test('the permissive front end (phonemizer builtin-en-us): no espeak-ng module resolved, [0, IPA ids, 0] runs, its error rate against kokoro-js bounded', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'voxlet-kokoro-mit-'));
    try {
      const log = path.join(work, 'resolved.log');
      const hooks = path.join(work, 'hooks.mjs');
      writeFileSync(hooks, `import { appendFileSync } from 'node:fs';\nlet log;\nexport function initialize(data) { log = data.log; }\nexport async function resolve(specifier, context, next) {\n  const result = await next(specifier, context);\n  appendFileSync(log, result.url + '\\n');\n  return result;\n}\n`);
      const script = `
import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { log: ${JSON.stringify(log)} } });
const { Voxlet } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'web/src/index.js')).href)});
const runs = [];
const tts = await Voxlet.create({ backend: 'wasm', threads: 1, onInference: ({ ids }) => runs.push(ids) });
await tts.loadVoice({ config: ${JSON.stringify(CONFIG)}, model: ${JSON.stringify(model('kokoro.onnx'))}, voices: { af_heart: ${JSON.stringify(bin('af_heart'))} }, phonemizer: 'builtin-en-us' });
const { audio, words } = await tts.synthesize('Hello, world! It costs $3.50.');
await tts.dispose();
console.log(JSON.stringify({ samples: audio.length, words: words.map((w) => w.text), runs }));
`;
      const run = spawnSync(process.execPath, ['--no-experimental-fetch', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
      assert.equal(run.status, 0, run.stderr);
      const out = JSON.parse(run.stdout.trim().split('\n').at(-1));
      assert.ok(out.samples > 0);
      assert.deepEqual(out.words, ['Hello', 'world', 'It', 'costs', '$3.50']);
      assert.deepEqual(out.runs[0], [0, 50, 83, 54, 156, 57, 135, 3, 16, 65, 156, 87, 158, 54, 46, 5, 0], 'həlˈoʊ, wˈɜːld! as kokoro-js has it');
      for (const ids of out.runs) assert.ok(ids[0] === 0 && ids.at(-1) === 0 && !ids.slice(1, -1).includes(0) && ids.length <= 512);
      assert.deepEqual(readFileSync(log, 'utf8').split('\n').filter((line) => /espeak|phonemizer/i.test(line)), [], 'nothing GPL resolved');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    // Measured 15.0 % (en-us) and 20.8 % (en-gb, CMUdict being American): README. A regression guard.
    const per = await permissivePer({ engine });
    assert.ok(per.a.per < 0.16 && per.b.per < 0.22, JSON.stringify(per));
    await rejectsWith(assert, tts.loadVoice({ config: CONFIG, model: model('kokoro.onnx'), voices: { af_heart: bin('af_heart') }, phonemizer: 'gruut' }), 'INVALID_ARGUMENT', /gruut/, /espeak, builtin-en-us/);
  });

  test('clear errors: no voices table, a model that is not Kokoro, a wrong-size table, an unknown voice, no model', async () => {
    await loadDefault(); // a good voice first
    await rejectsWith(assert, tts.loadVoice({ config: CONFIG, model: model('kokoro.onnx') }), 'MODEL_MISMATCH', /voices table/, /voices-v1\.0\.bin/);
    await rejectsWith(assert, tts.loadVoice({ config: CONFIG, model: model('not-kokoro.onnx'), voices: { af_heart: bin('af_heart') } }), 'MODEL_MISMATCH', /not a Kokoro model/, /input_ids or tokens/, /inputs \[input, style, speed\]/);
    await rejectsWith(assert, tts.loadVoice({ config: CONFIG, model: model('kokoro.onnx'), voices: { af_heart: new Uint8Array(1000) } }), 'MODEL_MISMATCH', /1000 bytes/, /522240/);
    await rejectsWith(assert, tts.loadVoice({ config: CONFIG, model: model('kokoro.onnx'), voices: { af_heart: bin('af_heart') }, voice: 'af_nobody' }), 'INVALID_ARGUMENT', /af_nobody/, /af_heart/);
    await rejectsWith(assert, tts.loadVoice(CONFIG), 'MODEL_NOT_FOUND', /model\.onnx/, /huggingface\.co/);
    await rejectsWith(assert, tts.synthesize('<speak>Hi</speak>'), 'INVALID_ARGUMENT', /SSML/);
    const config = JSON.parse(readFileSync(CONFIG, 'utf8'));
    await rejectsWith(assert, tts.loadVoice({ config: { ...config, kokoro: { ...config.kokoro, vocab: undefined } }, model: model('kokoro.onnx'), voices: { af_heart: bin('af_heart') } }), 'INVALID_CONFIG', /kokoro\.vocab/);
    await rejectsWith(assert, tts.loadVoice({ config: { ...config, family: 'tacotron' }, model: model('kokoro.onnx') }), 'INVALID_CONFIG', /Unknown model family "tacotron"/, /kokoro/);
    // The failed loads left the last good voice working.
    assert.ok((await tts.synthesize('Still here.')).audio.length > 0);
  });
});
