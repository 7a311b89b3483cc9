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
