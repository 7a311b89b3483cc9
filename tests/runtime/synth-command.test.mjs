// `voxlet synth` through runSynthCommand (the module web/bin/voxlet.mjs dispatches to).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { runSynthCommand } from '../../web/src/synth-command.js';
import { testVoice, voicesSkip } from './support.mjs';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk;
      done();
    },
  });
  return { stream, text: () => text };
}

async function synth(argv, stdinText = '') {
  const stdout = capture();
  const stderr = capture();
  const code = await runSynthCommand(argv, { stdout: stdout.stream, stderr: stderr.stream, stdin: Readable.from([Buffer.from(stdinText)]) });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('voxlet synth', { skip: voicesSkip }, () => {
  let dir;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'voxlet-synth-test-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  test('writes a WAV and prints timings and word boundaries with --json', async () => {
    const out = path.join(dir, 'a.wav');
    const { code, stdout, stderr } = await synth(['--voice', testVoice(), '--threads', '1', '--rate', '1.25', '--json', '-o', out, 'It costs $3.50.']);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    for (const key of ['load_ms', 'first_audio_ms', 'total_ms', 'real_time_factor', 'audio_seconds']) assert.equal(typeof report[key], 'number', key);
    assert.deepEqual(report.words.map((w) => [w.text, w.charStart, w.charEnd]), [['It', 0, 2], ['costs', 3, 8], ['$3.50', 9, 14]]);
    const wav = readFileSync(out);
    assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
    assert.equal(wav.readUInt32LE(24), 22050);
    assert.equal(wav.readUInt32LE(40), Math.round(report.audio_seconds * 22050) * 2);
  });

  test('reads standard input with "-" and draws a progress bar when asked', async () => {
    const out = path.join(dir, 'b.wav');
    const text = 'One short sentence. Another one follows. And a third.';
    const { code, stderr } = await synth(['--voice', testVoice(), '--threads', '1', '--progress', '-o', out, '-'], text);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /\] 1\/~\d+ chunks/);
    assert.match(stderr, /\[#+\] 3\/3 chunks\n$/);
  });

  test('usage errors exit 2; runtime errors exit 1 with the code', async () => {
    const out = path.join(dir, 'c.wav');
    assert.equal((await synth(['hi'])).code, 2); // no -o OUT.wav
    assert.equal((await synth(['--voice', testVoice(), '-o', out, '--rate', 'fast', 'hi'])).code, 2);
    const gpu = await synth(['--voice', testVoice(), '--backend', 'webgpu', '-o', out, 'hi']);
    assert.equal(gpu.code, 1);
    assert.match(gpu.stderr, /\[UNSUPPORTED_BACKEND\].*auto, wasm/);
    const speaker = await synth(['--voice', testVoice(), '--threads', '1', '--speaker', 'bob', '-o', out, 'hi']);
    assert.equal(speaker.code, 1);
    assert.match(speaker.stderr, /\[INVALID_ARGUMENT\]: Unknown speaker "bob"; this voice has one speaker/);
  });
});
