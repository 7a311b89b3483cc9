// `voxlet synth`: text or SSML to a WAV file under Node, with the same runtime
// the browser uses. Node-only (files, stdin, stderr progress): the core modules
// stay free of Node APIs.
//
//   voxlet synth --voice V [--backend auto|webgpu|wasm] [--precision auto|fp32|fp16|int8]
//                [--threads N] [--rate R] [--speaker S] [--json] -o out.wav TEXT|-
import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { VoxletError } from './errors.js';
import { Voxlet } from './voxlet.js';
import { concatAudio } from './audio-assembly.js';
import { fileURLToPath } from 'node:url';
import { builtinVoiceFiles } from './builtin-voice.js';

// The voice Voxlet trains and ships itself (scripts/voice/, MODEL_CARD.md there).
const DEFAULT_VOICE = builtinVoiceFiles().config; // inside the package: dist/voices/

export const SYNTH_USAGE = `usage: voxlet synth [--voice VOICE.json] -o OUT.wav [options] TEXT|-

options:
  --voice PATH          voice config (voice.json or <name>.onnx.json; the model lies next to it);
                        default: Voxlet's own voice, models/voxlet-en-us-slt
  -o, --output PATH     WAV file to write (16-bit PCM)
  --backend B           auto | webgpu | wasm (default auto; Node runs wasm)
  --precision P         auto | fp32 | fp16 | int8 | int8-weights | pruned (a variant of the voice)
  --threads N           WASM threads
  --rate R              speaking rate, 1 = normal, 2 = twice as fast
  --speaker S           speaker name or id (multi-speaker voices)
  --json                print timings (load, first audio, total, real-time factor) and words as JSON
  --progress / --no-progress   force the progress bar on or off (default: on for long input on a terminal)
  -h, --help            show this help

TEXT of "-" reads standard input; text starting with <speak> is SSML.`;

const LONG_INPUT_CHARS = 600; // below this the whole run takes about one chunk: no bar

// Bad usage is not a Voxlet error: it is reported with a pointer to --help and exit code 2.
class UsageError extends Error {}

/**
 * Runs `voxlet synth` with the arguments after "synth".
 * @param {string[]} argv
 * @param {{stdout?: NodeJS.WritableStream, stderr?: NodeJS.WritableStream, stdin?: AsyncIterable<Buffer>}} [io]
 * @returns {Promise<number>} exit code: 0 done, 1 failed, 2 bad usage
 */
export async function runSynthCommand(argv, io = {}) {
  const { stdout = process.stdout, stderr = process.stderr, stdin = process.stdin } = io;
  try {
    const options = parseSynthArgs(argv);
    if (options.help) {
      stdout.write(`${SYNTH_USAGE}\n`);
      return 0;
    }
    const text = await readInput(options.positionals, stdin);
    await synthesizeToFile(text, options, { stdout, stderr });
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError || error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE';
    const code = error instanceof VoxletError && !usage ? ` [${error.code}]` : '';
    stderr.write(`voxlet synth: error${code}: ${error.message}${usage ? ' (see voxlet synth --help)' : ''}\n`);
    return usage ? 2 : 1;
  }
}

function parseSynthArgs(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    allowNegative: true,
    options: {
      voice: { type: 'string' },
      output: { type: 'string', short: 'o' },
      backend: { type: 'string', default: 'auto' },
      precision: { type: 'string', default: 'auto' },
      threads: { type: 'string' },
      rate: { type: 'string' },
      speaker: { type: 'string' },
      json: { type: 'boolean', default: false },
      progress: { type: 'boolean' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true };
  values.voice ??= fileURLToPath(DEFAULT_VOICE);
  if (!values.output) throw new UsageError('missing -o OUT.wav');
  return {
    ...values,
    threads: values.threads === undefined ? undefined : parseNumber('--threads', values.threads, Number.isInteger),
    rate: values.rate === undefined ? 1 : parseNumber('--rate', values.rate, (v) => v > 0),
    positionals,
  };
}

function parseNumber(flag, text, isValid) {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !isValid(value)) throw new UsageError(`${flag} needs a number, got "${text}"`);
  return value;
}

async function readInput(positionals, stdin) {
  if (positionals.length === 0) throw new UsageError('missing TEXT (use - to read standard input)');
  let text = positionals.join(' ');
  if (positionals.length === 1 && positionals[0] === '-') {
    const parts = [];
    for await (const part of stdin) parts.push(Buffer.from(part));
    text = Buffer.concat(parts).toString('utf8');
  }
  if (text.trim() === '') throw new VoxletError('EMPTY_INPUT', 'no text given: TEXT is empty');
  return text;
}

async function synthesizeToFile(text, options, { stdout, stderr }) {
  const started = performance.now();
  const tts = await Voxlet.create({ backend: options.backend, threads: options.threads });
  try {
    await tts.loadVoice(options.voice, { precision: options.precision });
    const loadMs = performance.now() - started;
    const showProgress = options.progress ?? (text.length >= LONG_INPUT_CHARS && Boolean(stderr.isTTY));
    const progress = showProgress ? progressBar(stderr, text.length) : null;
    const synthStarted = performance.now();
    let firstAudioMs = null;
    const parts = [];
    const words = [];
    let sampleRate = tts.voice.sampleRate;
    for await (const chunk of tts.stream(text, { rate: options.rate, speaker: options.speaker })) {
      firstAudioMs ??= performance.now() - synthStarted;
      parts.push(chunk.audio);
      words.push(...chunk.words);
      sampleRate = chunk.sampleRate;
      progress?.update(chunk);
    }
    progress?.finish();
    const audio = concatAudio(parts);
    await writeFile(options.output, await tts.toWav(audio, sampleRate)); // the engine's encoder
    const totalMs = performance.now() - synthStarted;
    if (options.json) {
      const audioSeconds = audio.length / sampleRate;
      const report = {
        output: options.output, backend: tts.backend, threads: tts.threads, precision: tts.voice.precision, sample_rate: sampleRate,
        audio_seconds: audioSeconds, load_ms: round(loadMs), first_audio_ms: round(firstAudioMs ?? totalMs), total_ms: round(totalMs),
        real_time_factor: audioSeconds > 0 ? round(totalMs / 1000 / audioSeconds, 4) : null, words,
      };
      stdout.write(`${JSON.stringify(report)}\n`);
    }
  } finally {
    await tts.dispose();
  }
}

function round(value, digits = 1) {
  return Number(value.toFixed(digits));
}

// Chunks done / estimated total: the total is extrapolated from how far into the
// text the last chunk's span reaches (the front end plans chunks lazily).
function progressBar(stderr, textLength, width = 30) {
  let done = 0;
  const draw = (fraction, total) => {
    const filled = Math.round(fraction * width);
    stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} chunks`);
  };
  return {
    update(chunk) {
      done += 1;
      const fraction = Math.min(1, Math.max(chunk.isLast ? 1 : 0, (chunk.words.at(-1)?.charEnd ?? 0) / textLength));
      draw(fraction, chunk.isLast ? done : `~${Math.max(done, Math.round(done / Math.max(fraction, 1e-3)))}`);
    },
    finish() {
      stderr.write('\n');
    },
  };
}
