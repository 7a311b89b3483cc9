// The command line as a user runs it: real process, real WASM engine.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../web/bin/voxlet.mjs', import.meta.url));

function voxlet(args, input) {
  const result = spawnSync(process.execPath, ['--no-experimental-fetch', CLI, ...args], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('normalize prints the spoken form', () => {
  const { code, stdout } = voxlet(['normalize', 'Dr. Smith paid $3.50.']);
  assert.equal(code, 0);
  assert.equal(stdout, 'doctor smith paid three dollars and fifty cents.\n');
});

test('normalize reads standard input with -', () => {
  const { code, stdout } = voxlet(['normalize', '-'], 'It is 5 km away.');
  assert.equal(code, 0);
  assert.equal(stdout, 'it is five kilometers away.\n');
});

test('phonemize prints one JSON object per sentence', () => {
  const { code, stdout } = voxlet(['phonemize', 'Hello world. Bye!']);
  assert.equal(code, 0);
  const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(lines.length, 2);
  assert.deepEqual(Object.keys(lines[0]).slice(0, 5), ['text', 'span', 'normalized', 'phonemes', 'ids']);
  assert.equal(lines[0].text, 'Hello world.');
  assert.deepEqual(lines[0].span, [0, 12]);
  assert.equal(lines[0].normalized, 'hello world.');
  assert.deepEqual(lines[0].words.map((word) => word.phonemes), ['HH AH0 L OW1', 'W ER1 L D']);
  assert.ok(lines[0].phonemes.includes('HH') && lines[0].phonemes.includes('.'));
  assert.ok(lines[0].ids.every((id) => Number.isInteger(id) && id >= 0));
  assert.equal(lines[1].text, 'Bye!');
});

test('phonemize with a Piper voice config maps to its espeak ids', () => {
  const voice = fileURLToPath(new URL('../../../shared/fixtures/piper-test-voice/test_voice.onnx.json', import.meta.url));
  const { code, stdout } = voxlet(['phonemize', '--voice', voice, 'Hi.']);
  assert.equal(code, 0);
  const [line] = stdout.trim().split('\n').map((text) => JSON.parse(text));
  assert.equal(line.ids[0], 1); // BOS "^"
  assert.equal(line.ids.at(-1), 2); // EOS "$"
  assert.ok(line.phonemes.includes('h'));
});

test('malformed SSML fails with one line naming line and column', () => {
  const { code, stdout, stderr } = voxlet(['phonemize', '<speak>\n<s>oops</speak>']);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, /^voxlet: error \[MALFORMED_SSML\]: line 2, column \d+: .+\n$/);
});

test('bad usage exits 2; empty text and missing voice exit 1', () => {
  assert.equal(voxlet(['frobnicate', 'x']).code, 2);
  assert.equal(voxlet(['normalize']).code, 2);
  assert.equal(voxlet(['normalize', '--bogus', 'x']).code, 2);
  const empty = voxlet(['normalize', '   ']);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /EMPTY_INPUT/);
  const missing = voxlet(['phonemize', '--voice', '/nonexistent/voice.json', 'hi']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /VOICE_NOT_FOUND/);
});

test('a corrupt voice config is reported with its problems', () => {
  const { code, stderr } = voxlet(['phonemize', '--voice', '/dev/null', 'hi']);
  assert.equal(code, 1);
  assert.match(stderr, /MALFORMED_JSON|INVALID_CONFIG/);
});

test('emoji-only input says what was skipped and prints nothing', () => {
  const { code, stdout, stderr } = voxlet(['normalize', '😀😀😀']);
  assert.equal(code, 0);
  assert.equal(stdout, '\n');
  assert.match(stderr, /3 unspeakable characters skipped/);
});

test('synth speaks with the built-in voice by default: real audio, words in order', async () => {
  const { mkdtempSync, readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const out = join(mkdtempSync(join(tmpdir(), 'voxlet-cli-')), 'hello.wav');
  const { code, stdout, stderr } = voxlet(['synth', '--json', '--threads', '1', '-o', out, 'Hello there, how are you?']);
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout);
  assert.deepEqual(report.words.map((word) => word.text), ['Hello', 'there', 'how', 'are', 'you']);
  for (let i = 1; i < report.words.length; i++) assert.ok(report.words[i].start >= report.words[i - 1].end - 1e-9);
  const wav = readFileSync(out);
  assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
  const samples = new Int16Array(wav.buffer, wav.byteOffset + 44, (wav.length - 44) / 2);
  const seconds = samples.length / report.sample_rate;
  assert.ok(seconds > 0.6 && seconds < 4, `five words took ${seconds} s`);
  const rms = Math.sqrt(samples.reduce((sum, s) => sum + (s / 32768) ** 2, 0) / samples.length);
  assert.ok(rms > 0.01, `speech has energy (rms ${rms})`);
  assert.ok(report.words.at(-1).end <= seconds + 1e-6);
});

// `voxlet detect`: detect()'s profile and the tuner's plan for a voice (planFor()), in words or JSON.
test('detect --json: the device profile and the plan planFor() makes of it for the built-in voice', async () => {
  const { readFileSync } = await import('node:fs');
  const { Engine } = await import('../../web/src/engine.js');
  const { builtinVoiceFiles } = await import('../../web/src/builtin-voice.js');
  const { code, stdout, stderr } = voxlet(['detect', '--json']);
  assert.equal(code, 0, stderr);
  const { voice, profile, plan } = JSON.parse(stdout);
  assert.equal(voice, fileURLToPath(builtinVoiceFiles().config));
  assert.ok(profile.logicalCores >= 1 && profile.isNode === true && Array.isArray(profile.symptoms), JSON.stringify(profile));
  assert.equal(profile.webgpu, null, 'Node has no WebGPU');
  // planFor() is the engine's decision tree on this profile and the voice's config: the same plan again.
  const engine = await Engine.load({ lexicon: false });
  try {
    assert.deepEqual(plan, engine.tune(profile, readFileSync(builtinVoiceFiles().config, 'utf8')));
  } finally {
    engine.dispose();
  }
  assert.equal(plan.backend, 'wasm');
  for (const field of ['backend', 'precision', 'threads', 'first_chunk_ids', 'max_chunk_ids', 'warmup']) assert.ok(plan.reasons[field], `a reason for ${field}`);
});

test('detect in words, for a Piper voice; a missing voice is VOICE_NOT_FOUND; TEXT is bad usage', () => {
  const piper = fileURLToPath(new URL('../../../shared/fixtures/piper-test-voice/test_voice.onnx.json', import.meta.url));
  const { code, stdout, stderr } = voxlet(['detect', '--voice', piper]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^device \(detect\(\)\):\n {2}cores: \d+/);
  assert.match(stdout, /\n {2}symptoms: .*no usable GPU/);
  assert.ok(stdout.includes(`plan for ${piper} (planFor()):`), stdout);
  assert.match(stdout, /\n {2}backend: wasm \(.+\)\n/);
  assert.match(stdout, /\n {2}precision: fp32 \(the voice lists no variants.*\)\n/);

  const missing = voxlet(['detect', '--voice', 'no/such/voice.json']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^voxlet: error \[VOICE_NOT_FOUND\]: .*no\/such\/voice\.json/);
  const extra = voxlet(['detect', 'Hello']);
  assert.equal(extra.code, 2);
  assert.match(extra.stderr, /detect takes no TEXT.*--help/);
});
