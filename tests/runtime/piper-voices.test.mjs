// Piper voices end to end in Node: the generated Piper-interface test voices
// (scripts/piper/make-piper-test-voice.mjs: .onnx + .onnx.json named like Piper's,
// espeak phoneme_id_map, no durations output) load and speak in five languages,
// multi-speaker selection feeds `sid` (and only then), a map beyond the model's
// symbols is refused at load, espeak's clause ends behave like espeak-ng's, and
// the default voice never loads the espeak-ng module.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { PIPER_TEST_VOICES, ensurePiperTestVoices } from '../../scripts/piper/make-piper-test-voice.mjs';
import { Engine } from '../../web/src/engine.js';
import { espeakClauses } from '../../web/src/espeak/clauses.js';
import { ROOT, createTestVoxlet, piperSkip, rejectsWith, voicesSkip } from './support.mjs';

const skip = voicesSkip || piperSkip;
let dir;
const voicePath = (name) => path.join(dir, PIPER_TEST_VOICES[name]);

describe('Piper test voices (espeak front end)', { skip }, () => {
  let engine;
  let tts;
  const fed = [];
  before(async () => {
    dir = ensurePiperTestVoices();
    engine = await Engine.load();
    tts = await createTestVoxlet({ engine, onInference: ({ ids, sid }) => fed.push({ ids, sid }) });
  });
  after(async () => {
    await tts?.dispose();
    engine?.dispose();
  });

  test('loads by Piper naming; one chunk per sentence with Piper ids; estimated word times', async () => {
    const info = await tts.loadVoice(voicePath('single'));
    assert.equal(info.modelName, 'en_US-test-medium.onnx');
    assert.equal(info.hasDurations, false);
    assert.equal(info.numSpeakers, 1);
    fed.length = 0;
    const text = 'Hello, world! How are you?';
    const { audio, words, sampleRate } = await tts.synthesize(text);
    assert.equal(sampleRate, 22050);
    assert.ok(audio.length > 0);
    assert.equal(fed.length, 2, 'two sentences, two model runs');
    // piper-phonemize's ids for the first sentence: ^ _ h _ ə _ l _ ˈ _ o _ ʊ _ , _ " " _ w _ ˈ _ ɜ _ ː _ l _ d _ ! _ $
    assert.deepEqual(fed[0].ids, [1, 0, 20, 0, 59, 0, 24, 0, 120, 0, 27, 0, 100, 0, 8, 0, 3, 0, 35, 0, 120, 0, 62, 0, 122, 0, 24, 0, 17, 0, 4, 0, 2]);
    assert.deepEqual(words.map((w) => w.text), ['Hello', 'world', 'How', 'are', 'you']);
    for (const word of words) {
      assert.equal(word.estimated, true);
      assert.equal(text.slice(word.charStart, word.charEnd), word.text);
    }
    for (let i = 1; i < words.length; i++) assert.ok(words[i - 1].end <= words[i].start);
  });

  test("the plan's chunk sizes stream a Piper voice below the sentence: short first run, clause/word cuts, same words", async () => {
    await tts.loadVoice(voicePath('single'));
    const text = 'The quick brown fox jumps over the lazy dog, and then it runs far away into the forest. It is gone.';
    fed.length = 0;
    const whole = await tts.synthesize(text);
    const sentenceRuns = fed.length;
    fed.length = 0;
    const streamed = await tts.synthesize(text, { firstChunkIds: 24, maxChunkIds: 80 });
    assert.equal(sentenceRuns, 2, 'by default one run per sentence, as Piper');
    assert.ok(fed.length > sentenceRuns, `${fed.length} runs`);
    assert.ok(fed[0].ids.length <= 24, `first run: ${fed[0].ids.length} ids`);
    for (const { ids } of fed) assert.ok(ids.length <= 80, `${ids.length} ids`);
    // Every run is ^ ... $ around a contiguous slice of the sentence's Piper ids.
    for (const { ids } of fed) assert.deepEqual([ids[0], ids.at(-1)], [1, 2]);
    assert.deepEqual(streamed.words.map((w) => w.text), whole.words.map((w) => w.text));
    for (let i = 1; i < streamed.words.length; i++) assert.ok(streamed.words[i - 1].end <= streamed.words[i].start);
  });

  test('a number spoken as several words keeps the clause span', async () => {
    const text = 'It costs $3.50 today.';
    const { words } = await tts.synthesize(text);
    assert.equal(words.length, 1, 'espeak says more words than are written: one entry for the clause');
    assert.deepEqual([words[0].charStart, words[0].charEnd], [0, text.length]);
    assert.match(words[0].spoken, /θɹˈiː/);
  });

  for (const [voice, sentence] of [
    ['en-us', 'The quick brown fox jumps over the lazy dog.'],
    ['en-gb-x-rp', 'The colour of the sky changes at dusk.'],
    ['de', 'Die Größe des Apfels überrascht mich.'],
    ['fr', 'Le garçon mange une crème brûlée.'],
    ['es', '¿Dónde está la estación de tren?'],
  ]) {
    test(`speaks ${voice} (espeak.voice from the config)`, async () => {
      const config = JSON.parse(readFileSync(voicePath('single'), 'utf8'));
      config.espeak.voice = voice;
      await tts.loadVoice({ config, model: readFileSync(voicePath('single').replace(/\.json$/, '')), name: 'lang.onnx' });
      fed.length = 0;
      const { audio } = await tts.synthesize(sentence);
      assert.ok(audio.length > 0);
      assert.equal(fed.length, 1);
      assert.ok(fed[0].ids.length > 20 && fed[0].ids[0] === 1 && fed[0].ids.at(-1) === 2);
    });
  }

  test('multi-speaker: sid by name or id changes the audio; a one-speaker model has no sid input', async () => {
    const info = await tts.loadVoice(voicePath('multi'));
    assert.deepEqual(info.speakers, ['alice', 'bob']);
    fed.length = 0;
    const alice = await tts.synthesize('Hello there.', { speaker: 'alice' });
    const bob = await tts.synthesize('Hello there.', { speaker: 'bob' });
    const bobById = await tts.synthesize('Hello there.', { speaker: 1 });
    assert.deepEqual(fed.map((f) => f.sid), [0, 1, 1]);
    assert.notDeepEqual(alice.audio, bob.audio);
    assert.deepEqual(bob.audio, bobById.audio);
    // The one-speaker export has inputs [input, input_lengths, scales]: checkModelInterface
    // refuses a sid-less model under num_speakers 2, so sid is fed only when num_speakers > 1.
    const single = JSON.parse(readFileSync(voicePath('single'), 'utf8'));
    const model = readFileSync(voicePath('single').replace(/\.json$/, ''));
    await rejectsWith(assert, tts.loadVoice({ config: { ...single, num_speakers: 2 }, model, name: 'single.onnx' }), 'MODEL_MISMATCH', /missing input "sid"/);
  });

  test("a phoneme_id_map beyond the model's symbols is refused at load, naming both", async () => {
    await rejectsWith(assert, tts.loadVoice(voicePath('small')), 'MODEL_MISMATCH', /en_US-test-small\.onnx embeds 64 symbols/, /maps ".+" to id \d+/);
  });

  test('SSML is refused with a clear message for espeak voices', async () => {
    await tts.loadVoice(voicePath('single'));
    await rejectsWith(assert, tts.synthesize('<speak>Hi</speak>'), 'INVALID_ARGUMENT', /SSML is not supported for Piper/);
  });
});

describe("clauses.js: espeak-ng's clause ends", () => {
  const kinds = (text, voice) => espeakClauses(text, voice).map((c) => `${text.slice(c.start, c.end)}|${c.kind}${c.sentenceEnd ? '.' : ''}`);
  test('punctuation followed by a space, a quote or the end; runs of marks; abbreviations', () => {
    assert.deepEqual(kinds('Hello, world! How are you?'), ['Hello,|comma', 'world!|exclamation.', 'How are you?|question.']);
    assert.deepEqual(kinds('Can you hear me now?! Good.'), ['Can you hear me now?!|question.', 'Good.|period.']);
    assert.deepEqual(kinds('It costs $3.50 e.g. here'), ['It costs $3.50 e.g. here|other.']);
    assert.deepEqual(kinds('Wait... what'), ['Wait...|other', 'what|other.']);
    assert.deepEqual(kinds('"Really?" she asked.'), ['"Really?|question.', '" she asked.|period.']);
    assert.deepEqual(kinds('One\n\nTwo'), ['One|other.', 'Two|other.']);
  });
  test("languages with ordinal dots (German) and Spanish's inverted marks", () => {
    assert.deepEqual(kinds('Am 3. Oktober.', 'de'), ['Am 3.|period.', 'Oktober.|period.']);
    assert.deepEqual(kinds('Am 3. oktober.', 'de'), ['Am 3. oktober.|period.']);
    assert.deepEqual(kinds('Hola, ¿qué tal?', 'es'), ['Hola,|comma', '¿qué tal?|question.']);
  });
});

describe('lazy loading: the default voice never loads espeak-ng', { skip }, () => {
  test('module resolutions of a process that loads and speaks the default voice, then a Piper voice', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'voxlet-lazy-'));
    try {
      const log = path.join(work, 'resolved.log');
      const hooks = path.join(work, 'hooks.mjs');
      writeFileSync(hooks, `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + '\\n');
  return result;
}
`);
      const script = `
import { register } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { log: ${JSON.stringify(log)} } });
const { Voxlet } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'web/src/index.js')).href)});
const tts = await Voxlet.create({ backend: 'wasm', threads: 1 });
await tts.loadVoice(${JSON.stringify(path.join(ROOT, 'models/voxlet-en-us-slt/voice.json'))});
await tts.synthesize('Hello there, this is the default voice.');
appendFileSync(${JSON.stringify(log)}, 'MARK default voice done\\n');
await tts.loadVoice(${JSON.stringify(path.join(ensurePiperTestVoices(), PIPER_TEST_VOICES.single))});
await tts.synthesize('Hello.');
await tts.dispose();
`;
      const run = spawnSync(process.execPath, ['--no-experimental-fetch', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
      assert.equal(run.status, 0, run.stderr);
      const lines = readFileSync(log, 'utf8').split('\n');
      const mark = lines.indexOf('MARK default voice done');
      assert.ok(mark > 0, 'the default voice spoke');
      const espeak = (line) => /espeak/i.test(line);
      assert.deepEqual(lines.slice(0, mark).filter(espeak), [], 'nothing espeak-related resolved for the default voice');
      assert.ok(lines.slice(mark).some((line) => line.includes('/web/src/espeak/index.js')), 'the Piper voice loads the espeak front end');
      assert.ok(lines.slice(mark).some((line) => line.includes('@echogarden/espeak-ng-emscripten')), 'and the espeak-ng package');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
