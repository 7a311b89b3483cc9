#!/usr/bin/env node
// The Voxlet command line: the same WASM engine the browser runs, under Node.
//
//   node web/bin/voxlet.mjs normalize TEXT|-
//   node web/bin/voxlet.mjs phonemize [--voice CONFIG.json] [--ssml|--text] TEXT|-
//   node web/bin/voxlet.mjs detect [--json] [--voice CONFIG.json]
//   node web/bin/voxlet.mjs synth --voice VOICE.json -o out.wav TEXT|-
//   node web/bin/voxlet.mjs optimize MODEL.onnx --to fp16|int8|int8-weights|pruned[:AMOUNT] -o OUT.onnx
//
// Exit codes: 0 success, 1 bad input or a failed step, 2 bad usage.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Engine } from '../src/engine.js';
import { VoxletError } from '../src/errors.js';
import { builtinVoiceFiles } from '../src/builtin-voice.js';
import { usesEspeak } from '../src/voxlet.js';

const USAGE = `usage: voxlet <command> [options] TEXT|-

commands:
  normalize TEXT           print the spoken form of TEXT (plain text or SSML)
  phonemize TEXT           print one JSON object per sentence:
                           {text, span, normalized, phonemes, ids, words}
                           (Piper espeak voices: espeak-ng, as synthesis phonemizes them)
  detect                   print this device's profile (detect()) and the tuner's plan for
                           the voice (planFor()); --json for one JSON object {profile, plan}
  synth TEXT               speak TEXT (or SSML) into a WAV: --voice V -o OUT.wav
                           (voxlet synth --help for its options)
  optimize MODEL.onnx      make a verified fp16 / int8 / int8-weights / pruned variant
                           (voxlet optimize --help for its options)

options:
  --voice PATH             voice config (.onnx.json or voice.json); default: the built-in voice
  --ssml / --text          force the input format (default: SSML when it starts with <speak)
  --json                   detect: print JSON instead of text
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
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (command === 'detect') {
    if (rest.length) throw new UsageError(`detect takes no TEXT, got "${rest.join(' ')}"`);
    await detectCommand(values);
    return 0;
  }
  const commands = { normalize, phonemize };
  if (!Object.hasOwn(commands, command)) {
    throw new UsageError(`unknown command "${command}"; expected one of: ${[...Object.keys(commands), 'detect', 'synth', 'bench', 'optimize'].join(', ')}`);
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
  const configText = await readVoice(values.voice);
  if (familyName(configText)) return phonemizeWithFamily(text, JSON.parse(configText), formatOption(values));
  const engine = await Engine.load();
  engine.loadVoice(configText); // validates the config (MALFORMED_JSON, INVALID_CONFIG)
  const config = JSON.parse(configText);
  const format = formatOption(values);
  if (usesEspeak(config)) return phonemizeWithEspeak(text, config, format);
  const result = engine.phonemize(text, { format });
  writeLines(result.sentences);
  reportSkipped(result.diagnostics);
}


// The voice's own front end, the very chunk source synthesis runs (espeak/index.js), so the
// ids printed are the ids the model is fed. espeak-ng normalizes internally: no `normalized`.
async function phonemizeWithEspeak(text, config, format) {
  const { createEspeakChunkSource } = await import('../src/espeak/index.js');
  const chunks = await createEspeakChunkSource(config);
  const unknown = new Map();
  const sentences = [];
  for (const chunk of chunks(text, { format })) {
    for (const [symbol, count] of Object.entries(chunk.unknown_phonemes ?? {})) unknown.set(symbol, (unknown.get(symbol) ?? 0) + count);
    sentences.push({
      text: text.slice(chunk.span[0], chunk.span[1]),
      span: chunk.span,
      normalized: null,
      phonemes: ['^', ...Array.from(chunk.phonemes), '$'],
      ids: chunk.ids,
      words: chunk.words.map(({ text: word, span, ids }) => ({ text: word, span, ids })),
    });
  }
  writeLines(sentences);
  const total = [...unknown.values()].reduce((sum, count) => sum + count, 0);
  reportSkipped({ unknown_phonemes: total, unknown_phoneme_names: [...unknown.keys()] });
}

// A config of a model family (web/src/families/, e.g. "family": "kokoro"), or null.
function familyName(configText) {
  try {
    const family = JSON.parse(configText)?.family;
    return typeof family === 'string' && family !== 'piper' ? family : null;
  } catch {
    return null; // the engine reports malformed JSON below
  }
}

// The family's own front end from the config alone (no model): one line per chunk, with the
// exact phoneme string and ids the model is fed (Kokoro: lines joined by spaces = kokoro-js's
// phonemize() of the whole text).
async function phonemizeWithFamily(text, config, format) {
  const { familyOf, loadFamily } = await import('../src/families/index.js');
  const family = await loadFamily(familyOf(config));
  const chunks = await family.chunkSourceForConfig(config);
  const lines = [];
  for (const chunk of chunks(text, { format })) {
    lines.push({ text: text.slice(chunk.span[0], chunk.span[1]), span: chunk.span, phonemes: chunk.phonemes, ids: chunk.ids, words: chunk.words.map(({ text: word, span, ids }) => ({ text: word, span, ids })) });
  }
  writeLines(lines);
}

function writeLines(sentences) {
  const lines = sentences.map((sentence) => JSON.stringify(sentence));
  process.stdout.write(lines.length ? `${lines.join('\n')}\n` : '');
}

// `voxlet detect`: detect()'s profile and planFor()'s plan for the voice, through the public API.
async function detectCommand(values) {
  const [{ detect }, { Voxlet }] = await Promise.all([import('../src/detect.js'), import('../src/voxlet.js')]);
  const voice = values.voice ? new URL(values.voice, `file://${process.cwd()}/`) : DEFAULT_VOICE;
  await readVoice(values.voice); // a missing file is VOICE_NOT_FOUND with its path
  const profile = await detect();
  const tts = await Voxlet.create({ worker: false, backend: 'wasm' });
  try {
    const { plan } = await tts.planFor(voice, { profile });
    process.stdout.write(values.json ? `${JSON.stringify({ voice: decodeURIComponent(voice.pathname), profile, plan })}\n` : describeDetection(profile, plan, voice));
  } finally {
    await tts.dispose();
  }
}

function describeDetection(profile, plan, voice) {
  const gpu = profile.webgpu;
  const or = (value, unit = '') => (value == null ? 'unknown' : `${value}${unit}`);
  const lines = [
    'device (detect()):',
    `  cores: ${profile.logicalCores}, memory: ${or(profile.deviceMemoryGb, ' GiB')}, JS heap limit: ${or(profile.jsHeapLimitMb, ' MiB')}`,
    `  WASM: SIMD ${yesNo(profile.wasmSimd)}, threads ${yesNo(profile.threads)}, cross-origin isolated ${yesNo(profile.crossOriginIsolated)}, JSPI ${yesNo(profile.jspi)}`,
    `  WebGPU: ${gpu ? `${gpu.vendor || 'unknown vendor'} ${gpu.architecture || ''}`.trim() + (gpu.isFallbackAdapter ? ' (software adapter)' : '') + `, shader-f16 ${yesNo(gpu.shaderF16)}` : 'none'}`,
    `  GFLOP/s (${profile.gflops.kind}): WASM 1 thread ${or(profile.gflops.wasmSingle)}, ${or(profile.gflops.threadsMeasured)} threads ${or(profile.gflops.wasmMulti)}, WebGPU ${or(profile.gflops.webgpu)}`,
    `  storage: ${profile.storage ? `${Math.round(profile.storage.quotaMb)} MB free` : 'unknown'}, read ${or(profile.storageReadMbps, ' MB/s')}`,
    `  symptoms: ${profile.symptoms.join(', ') || 'none'}`,
    ...profile.notes.map((note) => `  note: ${note}`),
    '',
    `plan for ${decodeURIComponent(voice.pathname)} (planFor()):`,
    ...Object.entries(plan.reasons).map(([field, reason]) => `  ${field}: ${formatPlanValue(plan[field])} (${reason})`),
  ];
  return `${lines.join('\n')}\n`;
}

function formatPlanValue(value) {
  return Array.isArray(value) ? value.join(', ') || 'none' : String(value);
}

function yesNo(flag) {
  return flag ? 'yes' : 'no';
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
