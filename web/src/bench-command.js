// `voxlet bench`: proves the tuner's plan with numbers (issue 7, item 5). Node-only.
//
//   voxlet bench [--voice V] [--json] [--sweep] [--measure] [--text T] [--rounds N]
//
// Every configuration runs in its own Node process (ONNX Runtime reads its thread count once
// per process, and a fresh process makes the cold start real): the baseline (1 thread, fp32,
// no warm-up, default chunks), the automatic plan (detect() → engine.tune(), applied through
// tts.tune() with the plan's fields), and with --sweep every plan the device allows
// (the voice's precisions × threads 1..min(cores, 4), each with the plan's chunk sizes and
// warm-up). Each run reports cold start (engine, model), warm start (a second create + load in
// the same process), RSS, first-audio latency, real-time factor and time per stage
// (normalize, phonemize, inference, post-processing: a separate pass that times the engine's
// front end, the model runs and the engine's audio pipeline one by one).
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { VoxletError } from './errors.js';

const DEFAULT_VOICE = new URL('../../models/voxlet-en-us-slt/voice.json', import.meta.url);
const DEFAULT_TEXT =
  'The tuner reads the device, then picks a precision, a thread count and chunk sizes for this voice. ' +
  'A benchmark proves each choice: start time, memory, first audio and the real-time factor. ' +
  'Change one parameter at a time, and keep the numbers.';
const RTF_TARGET_PCT = 10; // issue 7: the automatic plan's RTF within 10 % of the sweep's best

export const BENCH_USAGE = `usage: voxlet bench [--voice VOICE.json] [--json] [--sweep] [options]

options:
  --voice PATH     voice config; default: Voxlet's own voice, models/voxlet-en-us-slt
  --json           print the report as one JSON object
  --sweep          also run every plan the device allows (precisions × threads 1..N) and rank them
  --measure        also run measured tuning (tts.tune({ measure: true })) and bench its choice
  --text TEXT      the text to synthesize (default: a 50-word paragraph)
  --rounds N       synthesis rounds per configuration, medians reported (default 3)
  --max-threads N  the sweep's highest thread count (default min(cores, 4))
  -h, --help       show this help`;

class UsageError extends VoxletError {
  constructor(message) {
    super('USAGE', message);
  }
}

/**
 * Runs `voxlet bench` with the arguments after "bench".
 * @returns {Promise<number>} exit code: 0 done, 1 failed, 2 bad usage
 */
export async function runBenchCommand(argv, io = {}) {
  const { stdout = process.stdout, stderr = process.stderr } = io;
  try {
    const options = parseBenchArgs(argv);
    if (options.help) {
      stdout.write(`${BENCH_USAGE}\n`);
      return 0;
    }
    const report = await bench(options, (line) => !options.json && stderr.write(`${line}\n`));
    stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError || /^ERR_PARSE_ARGS/.test(error.code ?? '');
    stderr.write(`voxlet bench: error${error instanceof VoxletError && !usage ? ` [${error.code}]` : ''}: ${error.message}${usage ? ' (see voxlet bench --help)' : ''}\n`);
    return usage ? 2 : 1;
  }
}

function parseBenchArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      voice: { type: 'string' },
      json: { type: 'boolean', default: false },
      sweep: { type: 'boolean', default: false },
      measure: { type: 'boolean', default: false },
      text: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      'max-threads': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true };
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError(`--rounds needs a positive integer, got "${values.rounds}"`);
  const maxThreads = values['max-threads'] === undefined ? undefined : Number(values['max-threads']);
  if (maxThreads !== undefined && (!Number.isInteger(maxThreads) || maxThreads < 1)) throw new UsageError('--max-threads needs a positive integer');
  if (values.text !== undefined && values.text.trim() === '') throw new UsageError('--text is empty');
  return {
    voice: values.voice ? new URL(values.voice, pathToFileURL(`${process.cwd()}/`)).href : DEFAULT_VOICE.href,
    json: values.json,
    sweep: values.sweep,
    measure: values.measure,
    text: values.text ?? DEFAULT_TEXT,
    rounds,
    maxThreads,
  };
}

/** The whole benchmark; `log` gets progress lines. */
export async function bench(options, log = () => {}) {
  const { detect } = await import('./detect.js');
  const { Engine } = await import('./engine.js');
  const detectStart = performance.now();
  const profile = await detect();
  const detectMs = round(performance.now() - detectStart);
  const configText = await readFile(new URL(options.voice), 'utf8').catch((cause) => {
    throw new VoxletError('VOICE_NOT_FOUND', `cannot read voice config ${fileURLToPath(options.voice)}: ${cause.code ?? cause.message}`);
  });
  const engine = await Engine.load({ lexicon: false });
  let plan;
  try {
    plan = engine.tune(profile, configText);
  } finally {
    engine.dispose();
  }
  const config = JSON.parse(configText);
  const precisions = (config.voxlet?.variants ?? []).filter((v) => (v.component ?? 'full') === 'full').map((v) => v.precision);
  const report = {
    voice: fileURLToPath(options.voice),
    text_words: options.text.trim().split(/\s+/).length,
    rounds: options.rounds,
    device: { logical_cores: profile.logicalCores, symptoms: profile.symptoms, gflops: profile.gflops, threads_allowed: profile.threads },
    detect_ms: detectMs,
    plan: pick(plan, ['backend', 'precision', 'threads', 'batch_size', 'first_chunk_ids', 'max_chunk_ids', 'warmup', 'reasons', 'rules']),
  };
  const chunks = { firstChunkIds: plan.first_chunk_ids, maxChunkIds: plan.max_chunk_ids };
  const common = { voice: options.voice, text: options.text, rounds: options.rounds };

  let tunedPrecision = plan.precision;
  if (options.measure) {
    log('measured tuning ...');
    report.calibration = await runChild({ ...common, mode: 'calibrate', threads: plan.threads });
    tunedPrecision = report.calibration.chosen?.precision ?? plan.precision;
  }
  log('baseline: 1 thread, fp32, no warm-up ...');
  report.baseline = await runChild({ ...common, mode: 'run', precision: precisions.length ? 'fp32' : 'auto', threads: 1, warmup: false });
  log(`tuned: ${tunedPrecision}, ${plan.threads} thread(s), warm-up ${plan.warmup ? 'yes' : 'no'}, chunks ${plan.first_chunk_ids}/${plan.max_chunk_ids} ...`);
  report.tuned = await runChild({ ...common, mode: 'run', precision: tunedPrecision, threads: plan.threads, warmup: plan.warmup, ...chunks, viaTune: true });
  report.improvement = improvement(report.baseline, report.tuned);

  if (options.sweep) {
    const maxThreads = options.maxThreads ?? Math.max(1, Math.min(profile.logicalCores ?? 1, 4));
    const runs = [];
    for (const precision of precisions.length ? precisions : ['fp32']) {
      for (let threads = 1; threads <= maxThreads; threads++) {
        log(`sweep: ${precision}, ${threads} thread(s) ...`);
        const run = await runChild({ ...common, mode: 'run', precision: precisions.length ? precision : 'auto', threads, warmup: plan.warmup, ...chunks });
        runs.push({ precision, threads, rtf: run.rtf, first_audio_ms: run.first_audio_ms, cold_start_ms: run.cold_start_ms.total, peak_rss_mb: run.rss_mb.peak });
      }
    }
    report.sweep = rankSweep(runs, { precision: tunedPrecision, threads: plan.threads });
  }
  return report;
}

function improvement(baseline, tuned) {
  const pct = (before, after) => (before > 0 ? round((100 * (before - after)) / before) : null);
  return {
    speedup: tuned.rtf > 0 ? round(baseline.rtf / tuned.rtf, 2) : null,
    rtf_pct: pct(baseline.rtf, tuned.rtf),
    first_audio_pct: pct(baseline.first_audio_ms, tuned.first_audio_ms),
    cold_start_pct: pct(baseline.cold_start_ms.total, tuned.cold_start_ms.total),
  };
}

/** Sorts sweep runs by RTF and says where the automatic plan ranks. */
export function rankSweep(runs, automatic) {
  const sorted = [...runs].sort((a, b) => a.rtf - b.rtf).map((run, index) => ({ rank: index + 1, ...run }));
  const auto = sorted.find((run) => run.precision === automatic.precision && run.threads === automatic.threads) ?? null;
  const best = sorted[0] ?? null;
  const withinPct = auto && best ? round((100 * (auto.rtf - best.rtf)) / best.rtf) : null;
  return {
    runs: sorted,
    automatic: auto ? { precision: auto.precision, threads: auto.threads, rank: auto.rank, of: sorted.length, rtf: auto.rtf } : null,
    best: best ? { precision: best.precision, threads: best.threads, rtf: best.rtf } : null,
    automatic_rtf_above_best_pct: withinPct,
    target: `automatic plan's RTF within ${RTF_TARGET_PCT} % of the best`,
    target_met: withinPct === null ? null : withinPct <= RTF_TARGET_PCT,
  };
}

// ---------------------------------------------------------------- child processes

function runChild(job) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-experimental-fetch', fileURLToPath(import.meta.url), '--bench-child', JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (data) => (out += data));
    child.stderr.on('data', (data) => (err += data));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) return resolve(JSON.parse(last));
      reject(new VoxletError('BENCH_FAILED', `the ${job.mode} run (${job.precision ?? ''} ${job.threads ?? ''} thread(s)) failed: ${(err || out).trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

const mb = (bytes) => round(bytes / 2 ** 20);

async function childMain(job) {
  const { Voxlet } = await import('./voxlet.js');
  if (job.mode === 'calibrate') {
    const tts = await Voxlet.create({ backend: 'wasm', threads: job.threads, worker: false });
    await tts.loadVoice(job.voice);
    const plan = await tts.tune({ measure: true, cache: false });
    await tts.dispose();
    return { ...plan.measured, detect_ms: plan.timingsMs.detect, calibration_ms: plan.timingsMs.calibration };
  }
  const t0 = performance.now();
  const tts = await Voxlet.create({ backend: 'wasm', threads: job.threads, worker: false });
  const tEngine = performance.now();
  await tts.loadVoice(job.voice, { precision: job.precision });
  const tLoaded = performance.now();
  const rssAfterLoad = process.memoryUsage().rss;
  let warmupMs = null;
  if (job.viaTune) {
    // The runtime path: tts.tune() applies the plan (precision loaded, chunks, warm-up).
    const plan = await tts.tune({ overrides: { backend: 'wasm', precision: tts.voice.precision, threads: job.threads, warmup: job.warmup, firstChunkIds: job.firstChunkIds, maxChunkIds: job.maxChunkIds } });
    warmupMs = plan.timingsMs.warmup ?? null;
  } else if (job.warmup) {
    const t = performance.now();
    await tts.synthesize('Hello.');
    warmupMs = performance.now() - t;
  }
  const streamOptions = job.viaTune ? {} : pick(job, ['firstChunkIds', 'maxChunkIds']); // via tune: the plan's defaults
  const rounds = [];
  for (let r = 0; r < job.rounds; r++) {
    const start = performance.now();
    let first = null;
    let samples = 0;
    let rate = 1;
    for await (const chunk of tts.stream(job.text, streamOptions)) {
      first ??= performance.now() - start;
      samples += chunk.audio.length;
      rate = chunk.sampleRate;
    }
    const total = performance.now() - start;
    rounds.push({ first_audio_ms: first, total_ms: total, audio_s: samples / rate });
  }
  const rssAfterSynthesis = process.memoryUsage().rss;
  const precision = tts.voice.precision;
  await tts.dispose();
  const stages = await stageTimes(job, precision);
  const tWarm = performance.now();
  const again = await Voxlet.create({ backend: 'wasm', threads: job.threads, worker: false });
  await again.loadVoice(job.voice, { precision: job.precision });
  const warmStartMs = performance.now() - tWarm;
  await again.dispose();
  const audioSeconds = rounds[0].audio_s;
  return {
    precision,
    threads: job.threads,
    warmup: Boolean(job.warmup),
    chunks: job.firstChunkIds ? { first_chunk_ids: job.firstChunkIds, max_chunk_ids: job.maxChunkIds } : 'engine defaults',
    cold_start_ms: { engine: round(tEngine - t0), model: round(tLoaded - tEngine), total: round(tLoaded - t0), note: 'engine: Voxlet.create (engine WASM + ORT module); model: loadVoice (read, verify, ORT WASM start, session)' },
    warmup_ms: warmupMs === null ? null : round(warmupMs),
    warm_start_ms: round(warmStartMs),
    rss_mb: { after_load: mb(rssAfterLoad), after_synthesis: mb(rssAfterSynthesis), peak: round(process.resourceUsage().maxRSS / 1024) },
    audio_seconds: round(audioSeconds, 2),
    first_audio_ms: round(median(rounds.map((r) => r.first_audio_ms))),
    total_ms: round(median(rounds.map((r) => r.total_ms))),
    rtf: round(median(rounds.map((r) => r.total_ms / 1000 / r.audio_s)), 4),
    stages_ms: stages,
  };
}

// Time per stage, one pass: the engine's front end (normalize, then the rest of the front end:
// phonemize and chunking), the model runs, the engine's post-processing (audio pipeline).
async function stageTimes(job, precision) {
  const { Engine } = await import('./engine.js');
  const { loadVoiceSource } = await import('./voice-loader.js');
  const { VoiceModel, checkModelInterface, createSession, importOrt, makeScales } = await import('./inference.js');
  const { createAssembler } = await import('./audio-assembly.js');
  const ort = await importOrt('wasm'); // the same ORT instance, already set to job.threads
  const engine = await Engine.load();
  const loaded = await loadVoiceSource(job.voice, { precision });
  engine.loadVoice(loaded.configText);
  const session = await createSession(ort, loaded.model, { backend: 'wasm', name: loaded.modelName });
  const model = new VoiceModel(ort, session, checkModelInterface(session, loaded.config, loaded.modelName));
  const frontEnd = {};
  if (job.firstChunkIds) Object.assign(frontEnd, { first_chunk_ids: job.firstChunkIds, max_chunk_ids: job.maxChunkIds });
  try {
    engine.normalize(job.text); // once untimed: the first call pays for the engine's own warm-up
    let t = performance.now();
    engine.normalize(job.text);
    const normalize = performance.now() - t;
    const rate = loaded.config.audio.sample_rate;
    const assembler = createAssembler(engine, { voiceRate: rate, outputRate: rate, normalize: true, gain: 1 });
    const scales = makeScales(loaded.config, {});
    let front = 0;
    let inference = 0;
    let post = 0;
    const chunks = engine.chunks(job.text, frontEnd);
    for (;;) {
      t = performance.now();
      const { value: chunk, done } = chunks.next();
      front += performance.now() - t;
      if (done) break;
      t = performance.now();
      const { audio } = chunk.ids.length ? await model.run(chunk.ids, { scales, sid: 0 }) : { audio: new Float32Array(0) };
      inference += performance.now() - t;
      t = performance.now();
      assembler.push(audio, { pauseAfterMs: chunk.break_after_ms, isLast: chunk.is_last });
      post += performance.now() - t;
    }
    return { normalize: round(normalize, 2), phonemize: round(Math.max(0, front - normalize), 2), inference: round(inference), post_processing: round(post, 2), note: 'phonemize = the front end (normalize + phonemize + chunking, run lazily per chunk) minus a separate normalize() of the text' };
  } finally {
    await model.release();
    engine.dispose();
  }
}

// ---------------------------------------------------------------- text report

function formatReport(r) {
  const lines = [];
  const row = (cells) => lines.push(`| ${cells.join(' | ')} |`);
  lines.push(`voice ${r.voice}, ${r.text_words} words, medians of ${r.rounds} round(s); detect() ${r.detect_ms} ms; symptoms: ${r.device.symptoms.join(', ') || 'none'}`);
  lines.push(`plan: ${r.plan.backend}, ${r.plan.precision}, ${r.plan.threads} thread(s), chunks ${r.plan.first_chunk_ids}/${r.plan.max_chunk_ids}, warm-up ${r.plan.warmup ? 'yes' : 'no'}`);
  for (const [field, reason] of Object.entries(r.plan.reasons)) lines.push(`  ${field}: ${reason}`);
  if (r.calibration) {
    lines.push(`measured tuning: ${r.calibration.calibration_ms} ms, chose ${r.calibration.chosen?.precision ?? 'nothing'}`);
    for (const c of r.calibration.candidates) lines.push(`  ${c.precision}: ${c.ms} ms, ${c.accepted ? 'accepted' : 'rejected'} (${c.reason})`);
  }
  lines.push('');
  row(['figure', 'baseline (1 thread, fp32, no warm-up)', `tuned (${r.tuned.precision}, ${r.tuned.threads} thread(s))`, 'improvement']);
  row(['---', '---', '---', '---']);
  const b = r.baseline;
  const t = r.tuned;
  row(['cold start: engine + model (ms)', `${b.cold_start_ms.engine} + ${b.cold_start_ms.model} = ${b.cold_start_ms.total}`, `${t.cold_start_ms.engine} + ${t.cold_start_ms.model} = ${t.cold_start_ms.total}`, `${r.improvement.cold_start_pct} %`]);
  row(['warm-up (ms)', b.warmup_ms ?? '—', t.warmup_ms ?? '—', '']);
  row(['warm start (ms)', b.warm_start_ms, t.warm_start_ms, '']);
  row(['RSS after load / after synthesis / peak (MB)', `${b.rss_mb.after_load} / ${b.rss_mb.after_synthesis} / ${b.rss_mb.peak}`, `${t.rss_mb.after_load} / ${t.rss_mb.after_synthesis} / ${t.rss_mb.peak}`, '']);
  row(['first audio (ms)', b.first_audio_ms, t.first_audio_ms, `${r.improvement.first_audio_pct} %`]);
  row(['real-time factor', b.rtf, t.rtf, `${r.improvement.rtf_pct} % (${r.improvement.speedup}×)`]);
  for (const stage of ['normalize', 'phonemize', 'inference', 'post_processing']) row([`stage: ${stage} (ms)`, b.stages_ms[stage], t.stages_ms[stage], '']);
  if (r.sweep) {
    lines.push('', 'sweep (by RTF):');
    row(['rank', 'precision', 'threads', 'RTF', 'first audio ms', 'cold start ms', 'peak RSS MB']);
    row(['---', '---', '---', '---', '---', '---', '---']);
    for (const s of r.sweep.runs) row([s.rank, s.precision, s.threads, s.rtf, s.first_audio_ms, s.cold_start_ms, s.peak_rss_mb]);
    const a = r.sweep.automatic;
    lines.push(a ? `automatic plan (${a.precision}, ${a.threads} thread(s)) ranks ${a.rank} of ${a.of}: RTF ${a.rtf} vs best ${r.sweep.best.rtf} (${r.sweep.best.precision}, ${r.sweep.best.threads}): +${r.sweep.automatic_rtf_above_best_pct} %; target (≤ ${RTF_TARGET_PCT} %) ${r.sweep.target_met ? 'met' : 'NOT met'}` : 'automatic plan not in the sweep');
  }
  return `${lines.join('\n')}\n`;
}

function pick(object, keys) {
  return Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]]));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(value, digits = 1) {
  return value == null || !Number.isFinite(value) ? value : Number(value.toFixed(digits));
}

// A child process of the bench: one configuration, one JSON line on stdout.
if (process.argv[2] === '--bench-child' && import.meta.url === pathToFileURL(process.argv[1]).href) {
  childMain(JSON.parse(process.argv[3])).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error) => {
      process.stderr.write(`${error.code ?? ''} ${error.stack}\n`);
      process.exitCode = 1;
    },
  );
}
