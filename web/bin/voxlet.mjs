#!/usr/bin/env node
// The Voxlet command line: the same WASM engine the browser runs, under Node.
//
//   node web/bin/voxlet.mjs normalize TEXT|-
//   node web/bin/voxlet.mjs phonemize [--voice CONFIG.json] [--ssml|--text] TEXT|-
//   node web/bin/voxlet.mjs synth --voice VOICE.json -o out.wav TEXT|-
//   node web/bin/voxlet.mjs optimize MODEL.onnx --to fp16|int8|int8-weights|pruned[:AMOUNT] -o OUT.onnx
//
// Exit codes: 0 success, 1 bad input or a failed step, 2 bad usage.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Engine } from '../src/engine.js';
import { VoxletError } from '../src/errors.js';
import { builtinVoiceFiles } from '../src/builtin-voice.js';

const USAGE = `usage: voxlet <command> [options] TEXT|-

commands:
  normalize TEXT           print the spoken form of TEXT (plain text or SSML)
  phonemize TEXT           print one JSON object per sentence:
                           {text, span, normalized, phonemes, ids, words}
  synth TEXT               speak TEXT (or SSML) into a WAV: --voice V -o OUT.wav
                           (voxlet synth --help for its options)
  optimize MODEL.onnx      make a verified fp16 / int8 / int8-weights / pruned variant
                           (voxlet optimize --help for its options)

options:
  --voice PATH             voice config (.onnx.json or voice.json); default: the built-in voice
  --ssml / --text          force the input format (default: SSML when it starts with <speak)
  -h, --help               show this help

TEXT of "-" reads standard input.`;

const DEFAULT_VOICE = builtinVoiceFiles().config; // the built-in voice, inside the package

class UsageError extends Error {}

async function readText(positionals) {
  if (positionals.length === 0) throw new UsageError('missing TEXT (use - to read standard input)');
  if (positionals.length === 1 && positionals[0] === '-') {
    const chunks = [];
    for await (const chunk of process.stdin) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  }
  return positionals.join(' ');
}

// The optimizer rewrites graphs with Python (python3-onnx) and lives in Voxlet's repository;
// the npm package leaves it out.
async function importOptimizer() {
  try {
    return await import('../src/optimize/index.js');
  } catch (cause) {
    if (cause.code !== 'ERR_MODULE_NOT_FOUND') throw cause;
    throw new VoxletError('MISSING_DEPENDENCY', 'voxlet optimize is not part of the npm package: run it from a clone of the Voxlet repository (scripts/voxlet optimize), which has its Python tools');
  }
}

async function readVoice(path) {
  const url = path ? new URL(path, `file://${process.cwd()}/`) : DEFAULT_VOICE;
  try {
    return await readFile(url, 'utf8');
  } catch (cause) {
    throw new VoxletError('VOICE_NOT_FOUND', `cannot read voice config ${url.pathname}: ${cause.code ?? cause.message}`);
  }
}

function formatOption(values) {
  if (values.ssml && values.text) throw new UsageError('--ssml and --text exclude each other');
  return values.ssml ? 'ssml' : values.text ? 'text' : 'auto';
}

async function run(argv) {
  // synth and optimize have their own options (-o, --to, ...): hand them the rest untouched.
  if (argv[0] === 'synth') {
    const { runSynthCommand } = await import('../src/synth-command.js');
    return runSynthCommand(argv.slice(1));
  }
  if (argv[0] === 'bench') return (await import('../src/bench-command.js')).runBenchCommand(argv.slice(1));
  if (argv[0] === 'optimize') {
    return (await importOptimizer()).runOptimizeCommand(argv.slice(1));
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      voice: { type: 'string' },
      ssml: { type: 'boolean' },
      text: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const commands = { normalize, phonemize };
  if (!Object.hasOwn(commands, command)) {
    throw new UsageError(`unknown command "${command}"; expected one of: ${Object.keys(commands).join(', ')}`);
  }
  const text = await readText(rest);
  if (text.trim() === '') throw new VoxletError('EMPTY_INPUT', 'no text given: TEXT is empty');
  await commands[command](text, values);
  return 0;
}

async function normalize(text, values) {
  const engine = await Engine.load({ lexicon: false });
  const result = engine.normalize(text, { format: formatOption(values) });
  process.stdout.write(`${result.normalized}\n`);
  reportSkipped(result.diagnostics);
}

async function phonemize(text, values) {
  const engine = await Engine.load();
  engine.loadVoice(await readVoice(values.voice));
  const result = engine.phonemize(text, { format: formatOption(values) });
  const lines = result.sentences.map((sentence) => JSON.stringify(sentence));
  process.stdout.write(lines.length ? `${lines.join('\n')}\n` : '');
  reportSkipped(result.diagnostics);
}

function reportSkipped(diagnostics) {
  const notes = [];
  if (diagnostics.skipped_characters) notes.push(`${diagnostics.skipped_characters} unspeakable characters skipped`);
  if (diagnostics.invalid_utf8) notes.push(`${diagnostics.invalid_utf8} invalid UTF-8 bytes skipped`);
  if (diagnostics.unknown_phonemes) {
    notes.push(`${diagnostics.unknown_phonemes} phonemes unknown to the voice (${diagnostics.unknown_phoneme_names.join(' ')})`);
  }
  if (notes.length) process.stderr.write(`voxlet: note: ${notes.join('; ')}\n`);
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  const usage = error instanceof UsageError || error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
  const code = error instanceof VoxletError ? ` [${error.code}]` : '';
  process.stderr.write(`voxlet: error${code}: ${error.message}${usage ? ' (see --help)' : ''}\n`);
  process.exitCode = usage ? 2 : 1;
}
