// `voxlet optimize`: makes an fp16 / int8 / int8-weights / pruned variant of an
// ONNX model, verifies it against the original with ONNX Runtime Web, refuses it
// when its output differs too much (waveform SNR, or for voices the mel-cepstral
// distortion), reports WER for voices, and lists it in the voice config.
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../engine.js';
import { VoxletError } from '../errors.js';
import { VERIFY_SENTENCES, genericFeeds, isPiperInterface, piperFeeds, randomIdLists } from './inputs.js';
import { convertModel, inspectModel, scoreAudio } from './python.js';
import { compareModels, configureRuntime } from './verify.js';
import { describeVariantFile, makeVariant, variantConfigPath, variantFileName, withPiperModel, withVariant, writeVoiceConfig } from './voice-config.js';
import { usesEspeak } from '../voxlet.js';

export const OPTIMIZE_USAGE = `usage: voxlet optimize MODEL.onnx --to fp16|int8|int8-weights|pruned[:AMOUNT] -o OUT.onnx
                      [--config VOICE.json] [--min-snr DB] [--max-mcd DB] [--force] [--threads N]
                      [--rounds N] [--json]

  --config VOICE.json  take test sentences from this voice and list the variant in its
                       "voxlet.variants" (OUT must be inside the voice folder); a Piper
                       <name>.onnx.json stays untouched: the variants go into <name>.voxlet.json
                       next to it, with <name>.onnx as its fp32 variant
  --min-snr DB         a variant with at least this waveform SNR passes (defaults: fp16 20,
                       int8 12, int8-weights 12, pruned 10)
  --max-mcd DB         voices: a variant below --min-snr still passes when its mel-cepstral
                       distortion to the original is at most this (default 6; see docs/optimizer.md)
  --force              write the variant even when it fails both
  --threads N          ORT Web WASM threads for the speed comparison (default 1)
  --rounds N           interleaved timing rounds, median reported (default 5)
  --json               print the report as JSON`;

export const DEFAULT_MIN_SNR_DB = { fp16: 20, int8: 12, 'int8-weights': 12, pruned: 10 };
// Voices only (audio output): DTW-aligned MCD of c1..c24 at 16 kHz, scripts/voice/voicedata/scoring.py.
export const DEFAULT_MAX_MCD_DB = 6;

class UsageError extends VoxletError {
  constructor(message) {
    super('INVALID_ARGUMENT', `${message}\n${OPTIMIZE_USAGE}`);
  }
}

export function parseOptimizeArgs(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      to: { type: 'string' }, output: { type: 'string', short: 'o' }, config: { type: 'string' },
      'min-snr': { type: 'string' }, 'max-mcd': { type: 'string' }, force: { type: 'boolean' }, threads: { type: 'string' },
      rounds: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  if (positionals.length !== 1) throw new UsageError(`expected one MODEL.onnx, got ${positionals.length}`);
  if (!values.to) throw new UsageError('missing --to');
  if (!values.output) throw new UsageError('missing -o OUT.onnx');
  const mode = values.to.split(':')[0];
  if (!Object.hasOwn(DEFAULT_MIN_SNR_DB, mode)) {
    throw new UsageError(`unsupported --to "${values.to}"; expected one of: fp16, int8, int8-weights, pruned[:AMOUNT]`);
  }
  return {
    model: positionals[0], to: values.to, mode, output: values.output, config: values.config,
    minSnrDb: values['min-snr'] === undefined ? DEFAULT_MIN_SNR_DB[mode] : number(values['min-snr'], '--min-snr'),
    maxMcdDb: values['max-mcd'] === undefined ? DEFAULT_MAX_MCD_DB : number(values['max-mcd'], '--max-mcd'),
    force: Boolean(values.force), threads: integer(values.threads ?? '1', '--threads'),
    rounds: integer(values.rounds ?? '5', '--rounds'), json: Boolean(values.json),
  };
}

function number(text, flag) {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`${flag} must be a number, got "${text}"`);
  return value;
}

function integer(text, flag) {
  const value = number(text, flag);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} must be a positive integer, got "${text}"`);
  return value;
}

// Returns the process exit code: 0 written, 1 refused or failed (errors are thrown).
export async function runOptimizeCommand(argv) {
  const options = parseOptimizeArgs(argv);
  if (options.help) {
    console.log(OPTIMIZE_USAGE);
    return 0;
  }
  const report = await optimize(options);
  console.log(options.json ? JSON.stringify(report) : formatReport(report));
  if (!report.written) {
    const mcd = report.spectral.mcdDb === undefined ? '' : ` and its MCD ${report.spectral.mcdDb.toFixed(2)} dB is above ${report.spectral.maxMcdDb} dB`;
    throw new VoxletError('SNR_TOO_LOW', `variant refused: output SNR ${formatDb(report.snrDb)} is below ${report.minSnrDb} dB${mcd} (use --force to write it anyway, or --min-snr/--max-mcd)`);
  }
  return 0;
}

export async function optimize(options) {
  const voice = options.config ? await readVoice(options.config) : null;
  if (voice) variantFileName(options.config, options.output); // fail before the slow part
  const inspection = await inspectModel(options.model);
  const workDir = await mkdtemp(path.join(tmpdir(), 'voxlet-optimize-'));
  try {
    const candidate = path.join(workDir, 'variant.onnx');
    const changes = await convertModel(options.model, options.to, candidate);
    configureRuntime(options.threads);
    const { texts, sampleRate, ...inputs } = await verificationInputs(inspection, voice);
    const comparison = await compareModels({
      originalPath: options.model, variantPath: candidate, rounds: options.rounds, ...inputs,
    });
    const report = await summarize(options, changes, comparison, candidate);
    Object.assign(report, await audioScores(comparison.audio, { texts, sampleRate, workDir, maxMcdDb: maxMcd(options) }));
    report.passedBy = report.snrDb >= options.minSnrDb ? 'snr'
      : report.spectral.mcdDb <= report.spectral.maxMcdDb ? 'mcd' : null;
    if (report.passedBy || options.force) await writeVariant(options, voice, report, candidate);
    return report;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function readVoice(configPath) {
  let text;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (cause) {
    throw new VoxletError('VOICE_NOT_FOUND', `cannot read voice config ${configPath}: ${cause.code ?? cause.message}`);
  }
  const engine = await Engine.load();
  engine.loadVoice(text); // throws INVALID_CONFIG / MALFORMED_JSON with every problem
  const config = JSON.parse(text);
  return { engine, config, espeak: usesEspeak(config) ? await loadEspeakChunks(config) : null };
}


async function loadEspeakChunks(config) {
  const { espeakChunkSource, loadEspeakPhonemizer } = await import('../espeak/index.js');
  return espeakChunkSource(await loadEspeakPhonemizer(), config);
}

// One sentence's worth of ids per verification run, and the spoken text WER is scored against.
function voiceSentences(voice, text) {
  if (!voice.espeak) {
    const reply = voice.engine.phonemize(text);
    return { ids: reply.sentences.flatMap((s) => s.ids), spoken: reply.sentences.map((s) => s.normalized).join(' ') };
  }
  const ids = [...voice.espeak(text)].flatMap((chunk) => chunk.ids);
  return { ids, spoken: voice.engine.normalize(text).normalized }; // espeak reads numbers as the normalizer does
}

const maxMcd = (options) => options.maxMcdDb ?? DEFAULT_MAX_MCD_DB;

// Voices: the engine's own ids for fixed sentences; other Piper models: seeded ids.
// `texts` (the engine's normalized sentences) are what WER is scored against.
async function verificationInputs(inspection, voice) {
  if (!isPiperInterface(inspection)) return { feeds: genericFeeds(inspection) };
  const sentences = voice ? VERIFY_SENTENCES.map((text) => voiceSentences(voice, text)) : null;
  const idLists = sentences ? sentences.map((sentence) => sentence.ids) : randomIdLists(inspection);
  const texts = sentences ? sentences.map((sentence) => sentence.spoken) : null;
  const lengthScale = voice?.config.inference?.length_scale ?? 1.0;
  const audioOutput = voice?.config.voxlet?.outputs?.audio ?? 'output';
  const hasAudio = inspection.outputs.some((o) => o.name === audioOutput);
  return {
    feeds: piperFeeds(idLists, inspection, lengthScale),
    outputNames: hasAudio ? [audioOutput] : undefined,
    audioOutput: hasAudio ? audioOutput : undefined,
    texts, sampleRate: voice?.config.audio?.sample_rate ?? 22050,
  };
}

// MCD (spectral, phase-blind) and WER of the audio output, by scripts/optimize/score_audio.py.
async function audioScores(audio, { texts, sampleRate, workDir, maxMcdDb }) {
  if (!audio) {
    const skipped = 'no audio output (not a Piper-interface voice)';
    return { spectral: { metric: 'mcd', skipped }, wer: { skipped } };
  }
  const files = { original: [], variant: [] };
  for (const system of ['original', 'variant']) {
    for (const [i, samples] of audio[system].entries()) {
      const file = path.join(workDir, `${system}-${i}.f32`);
      await writeFile(file, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
      files[system].push(file);
    }
  }
  const manifest = path.join(workDir, 'audio.json');
  await writeFile(manifest, JSON.stringify({ sample_rate: sampleRate, texts, ...files }));
  const scores = await scoreAudio(manifest);
  const spectral = scores.mcd_db === null
    ? { metric: 'mcd', skipped: 'empty audio output' }
    : { metric: 'mcd', mcdDb: scores.mcd_db, perSentenceDb: scores.mcd_per_sentence_db, maxMcdDb };
  return { spectral, wer: scores.wer };
}

async function summarize(options, changes, comparison, candidate) {
  const [before, after] = await Promise.all([describeVariantFile(options.model), describeVariantFile(candidate)]);
  return {
    model: options.model, output: options.output, mode: options.mode, to: options.to, changes,
    sizeBytes: { original: before.size, variant: after.size }, sha256: after.sha256,
    snrDb: comparison.snrDb, lengthMismatch: comparison.lengthMismatch, minSnrDb: options.minSnrDb,
    spectral: null, wer: null, passedBy: null,
    speed: { threads: options.threads, originalMs: comparison.originalMs, variantMs: comparison.variantMs, speedup: comparison.speedup },
    written: false, configUpdated: false,
  };
}

async function writeVariant(options, voice, report, candidate) {
  await copyFile(candidate, options.output);
  report.written = true;
  if (!voice) return;
  const variant = makeVariant({
    precision: options.mode, file: variantFileName(options.config, options.output),
    sha256: report.sha256, size: report.sizeBytes.variant, snrDb: report.snrDb,
    mcdDb: report.spectral.mcdDb, werPercent: report.wer.variant?.percent,
  });
  // A plain Piper config is the user's file, unchanged: its variants live in <name>.voxlet.json.
  const configPath = variantConfigPath(options.config, voice.config);
  const base = configPath === options.config ? voice.config : await withPiperModel(options.config, await readCompanion(configPath, voice.config));
  await writeVoiceConfig(configPath, withVariant(base, variant), voice.engine);
  Object.assign(report, { configUpdated: true, configPath });
}

// The companion config written by an earlier run (more variants), else the Piper config itself.
async function readCompanion(configPath, piperConfig) {
  try {
    return JSON.parse(await readFile(configPath, 'utf8'));
  } catch {
    return piperConfig;
  }
}

function formatDb(db) {
  return Number.isFinite(db) ? `${db.toFixed(1)} dB` : db > 0 ? 'inf dB (identical output)' : '-inf dB';
}

function formatSpectral(spectral) {
  if (spectral.skipped) return `skipped (${spectral.skipped})`;
  return `${spectral.mcdDb.toFixed(2)} dB vs original (maximum ${spectral.maxMcdDb} dB; per sentence ${spectral.perSentenceDb.map((d) => d.toFixed(2)).join(', ')})`;
}

function formatWer(wer) {
  if (wer.skipped) return `skipped (${wer.skipped})`;
  const one = (w) => `${w.percent.toFixed(1)} % (${w.errors}/${w.words})`;
  return `original ${one(wer.original)}, variant ${one(wer.variant)}`;
}

export function formatReport(report) {
  const { sizeBytes, speed } = report;
  const lines = [
    `${report.model} -> ${report.output} (${report.to})`,
    `  changes: ${JSON.stringify(report.changes)}`,
    `  size:    ${sizeBytes.original} -> ${sizeBytes.variant} bytes (${(sizeBytes.variant / sizeBytes.original * 100).toFixed(1)}%)`,
    `  SNR:     ${formatDb(report.snrDb)} (minimum ${report.minSnrDb} dB)${report.lengthMismatch ? '; output lengths differ, compared the common part' : ''}`,
    `  MCD:     ${formatSpectral(report.spectral)}`,
    `  WER:     ${formatWer(report.wer)}`,
    `  speed:   ${speed.speedup.toFixed(2)}x fp32 speed (median ${speed.originalMs.toFixed(2)} ms -> ${speed.variantMs.toFixed(2)} ms, WASM ${speed.threads} thread${speed.threads > 1 ? 's' : ''}, interleaved)`,
    `  ${report.written ? `written${report.configUpdated ? ` and listed in ${report.configPath}` : ''}${report.passedBy ? ` (passed by ${report.passedBy.toUpperCase()})` : ' (--force)'}` : 'NOT written'}`,
  ];
  return lines.join('\n');
}
