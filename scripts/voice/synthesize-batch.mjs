#!/usr/bin/env node
// Batch synthesis through the real runtime (the in-process Voxlet: engine front end,
// ONNX Runtime Web WASM, the engine's audio pipeline) for the evaluation step: one
// Node process and one model session for many sentences.
//
//   node --no-experimental-fetch scripts/voice/synthesize-batch.mjs VOICE.json PRECISION OUT_DIR [THREADS] < in.jsonl
//
// Input lines: {"id", "text"}. Writes OUT_DIR/ID.wav (16-bit, the voice's rate) and prints
// one line per sentence: {"id", "samples", "sample_rate", "audio_seconds", "synth_seconds", "cpu_seconds",
// "joins" (sample positions where one chunk's audio meets the next's)}
// or {"id", "error"}. synth_seconds is the wall time of Voxlet.synthesize() alone (after a
// warm-up sentence), so synth_seconds / audio_seconds gives the real-time factor;
// cpu_seconds is this process's CPU time over the same call: with one WASM thread all the
// work runs on this thread, so it is the RTF an idle machine would see even when other jobs
// share the cores (wall time then also counts waiting for a core).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { concatAudio } from '../../web/src/audio-assembly.js';
import { Voxlet } from '../../web/src/voxlet.js';

// Streams the utterance (what synthesize() does inside) to learn where chunks join in the
// output: the evaluation checks those samples for clicks.
async function synthesizeWithJoins(tts, text) {
  const parts = [];
  const joins = [];
  let length = 0;
  let sampleRate = 0;
  for await (const chunk of tts.stream(text, { format: 'text' })) {
    if (length > 0) joins.push(length);
    parts.push(chunk.audio);
    length += chunk.audio.length;
    sampleRate = chunk.sampleRate;
  }
  return { result: { audio: concatAudio(parts), sampleRate }, joins };
}

async function main([voicePath, precision = 'auto', outDir, threads = '1']) {
  if (!voicePath || !outDir) throw new Error('usage: synthesize-batch.mjs VOICE.json PRECISION OUT_DIR [THREADS] < in.jsonl');
  mkdirSync(outDir, { recursive: true });
  const tts = await Voxlet.create({ backend: 'wasm', threads: Number(threads), worker: false });
  const info = await tts.loadVoice(path.resolve(voicePath), { precision });
  process.stderr.write(`synthesize-batch: ${info.modelName} (${info.precision}), ${tts.threads} thread(s)\n`);
  await tts.synthesize('Warm up.'); // first run pays ORT's kernel set-up; keep it out of the timing
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const { id, text } = JSON.parse(line);
    try {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const { result, joins } = await synthesizeWithJoins(tts, text);
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      writeFileSync(path.join(outDir, `${id}.wav`), await tts.toWav(result));
      const reply = { id, samples: result.audio.length, sample_rate: result.sampleRate, audio_seconds: result.audio.length / result.sampleRate, synth_seconds: seconds, cpu_seconds: (cpu.user + cpu.system) / 1e6, joins };
      process.stdout.write(`${JSON.stringify(reply)}\n`);
    } catch (error) {
      process.stdout.write(`${JSON.stringify({ id, error: `${error.code ?? 'ERROR'}: ${error.message}` })}\n`);
    }
  }
  await tts.dispose();
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`synthesize-batch: ${error.message}\n`);
  process.exitCode = 1;
});
