// `voxlet bench`: proves the tuner's plan with numbers (issue 7, item 5). Node-only.
//
//   voxlet bench [--voice V] [--json] [--sweep] [--measure] [--text T] [--rounds N]
//
// Every configuration runs in its own Node process (ONNX Runtime reads its thread count once
// per process, and a fresh process makes the cold start real): the baseline (1 thread, fp32,
// no warm-up, default chunks), the automatic plan (detect() → engine.tune(), applied through
// tts.tune() with the plan's fields), both again side by side in one process (each Voxlet in a
// worker thread, rounds alternating: the speed-up and first-audio gain come from these), and
// with --sweep every plan the device allows
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
import { builtinVoiceFiles } from './builtin-voice.js';
import { VoxletError } from './errors.js';
import { RTF_TARGET_PCT, formatRtf, improvement, median, medianRtf, rankSweep, realTimeFactor } from './bench-stats.js';
import { stageTimes } from './stage-times.js';

export { rankSweep };

const DEFAULT_VOICE = builtinVoiceFiles().config; // inside the package: dist/voices/
const DEFAULT_TEXT =
  'The tuner reads the device, then picks a precision, a thread count and chunk sizes for this voice. ' +
  'A benchmark proves each choice: start time, memory, first audio and the real-time factor. ' +
  'Change one parameter at a time, and keep the numbers.';

export const BENCH_USAGE = `usage: voxlet bench [--voice VOICE.json] [--json] [--sweep] [options]

options:
  --voice PATH     voice config; default: Voxlet's own voice, models/voxlet-en-us-slt
  --json           print the report as one JSON object
  --sweep          also run every plan the device allows (precisions × threads 1..N) and rank them
  --skip-measure   skip measured tuning (by default tts.tune({ measure: true }) calibrates, its
                   duration is reported, and the tuned run uses its choice)
  --text TEXT      the text to synthesize (default: a 50-word paragraph)
  --rounds N       synthesis rounds per configuration, medians reported (default 3)
  --repeats N      sweep: child processes per thread count, alternated (default 2)
  --max-threads N  the sweep's highest thread count (default min(cores, 4))
  -h, --help       show this help`;

// Bad usage is not a Voxlet error: it is reported with a pointer to --help and exit code 2.
class UsageError extends Error {}

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
      measure: { type: 'boolean', default: true },
      'skip-measure': { type: 'boolean', default: false },
      repeats: { type: 'string', default: '2' },
      text: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      'max-threads': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true };
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError(`--rounds needs a positive integer, got "${values.rounds}"`);
  const repeats = Number(values.repeats);
  if (!Number.isInteger(repeats) || repeats < 1) throw new UsageError(`--repeats needs a positive integer, got "${values.repeats}"`);
  const maxThreads = values['max-threads'] === undefined ? undefined : Number(values['max-threads']);
  if (maxThreads !== undefined && (!Number.isInteger(maxThreads) || maxThreads < 1)) throw new UsageError('--max-threads needs a positive integer');
  if (values.text !== undefined && values.text.trim() === '') throw new UsageError('--text is empty');
  return {
    voice: values.voice ? new URL(values.voice, pathToFileURL(`${process.cwd()}/`)).href : DEFAULT_VOICE.href,
    json: values.json,
    sweep: values.sweep,
    measure: values.measure && !values['skip-measure'],
    repeats,
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
    report.calibration = await runChild({ ...common, mode: 'calibrate', threads: plan.threads, precision: precisions.length ? plan.precision : 'auto' });
    tunedPrecision = report.calibration.chosen?.precision ?? plan.precision;
  }
  log('baseline: 1 thread, fp32, no warm-up ...');
  report.baseline = await runChild({ ...common, mode: 'run', precision: precisions.length ? 'fp32' : 'auto', threads: 1, warmup: false });
  log(`tuned: ${tunedPrecision}, ${plan.threads} thread(s), warm-up ${plan.warmup ? 'yes' : 'no'}, chunks ${plan.first_chunk_ids}/${plan.max_chunk_ids} ...`);
  report.tuned = await runChild({ ...common, mode: 'run', precision: tunedPrecision, threads: plan.threads, warmup: plan.warmup, ...chunks, viaTune: true });
  // RTF and first audio side by side: both configurations in one process (each Voxlet in its own
  // worker thread, so each has its own ORT instance and thread count), rounds alternating.
  log('baseline and tuned side by side, rounds alternating ...');
  report.side_by_side = await runChild({ ...common, mode: 'pair', baselinePrecision: report.baseline.precision, precision: tunedPrecision, threads: plan.threads, warmup: plan.warmup, ...chunks });
  const pair = report.side_by_side;
  report.improvement = improvement({ ...report.baseline, ...pair.baseline }, { ...report.tuned, ...pair.tuned });

  if (options.sweep) {
    const maxThreads = options.maxThreads ?? Math.max(1, Math.min(profile.logicalCores ?? 1, 4));
    const runs = await sweep({ ...common, ...chunks, warmup: plan.warmup }, precisions.length ? precisions : ['auto'], maxThreads, options.repeats, log);
    report.sweep = rankSweep(runs, { precision: tunedPrecision, threads: plan.threads });
  }
  return report;
}

// The sweep on a noisy shared machine: one child process per thread count (ORT fixes threads
// per process) holding every precision, the precisions' rounds interleaved inside it and the
// thread counts alternated across repeats, so a burst of load hits every configuration alike;
// the medians are ranked.
async function sweep(job, precisions, maxThreads, repeats, log) {
  const samples = new Map(); // "precision/threads" -> { precision, threads, rtf: [], first: [], rss: [] }
  const counts = Array.from({ length: maxThreads }, (_, i) => i + 1);
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const threads of repeat % 2 ? [...counts].reverse() : counts) {
      log(`sweep ${repeat + 1}/${repeats}: ${threads} thread(s), ${precisions.join(' / ')} interleaved ...`);
      const child = await runChild({ ...job, mode: 'sweep', threads, precisions });
      for (const [precision, result] of Object.entries(child.results)) {
        const key = `${precision}/${threads}`;
        if (!samples.has(key)) samples.set(key, { precision, threads, rtf: [], first: [], rss: [] });
        const entry = samples.get(key);
        entry.rtf.push(...result.rtf);
        entry.first.push(...result.first_audio_ms);
        entry.rss.push(child.peak_rss_mb);
      }
    }
  }
  return [...samples.values()].map((s) => ({
    precision: s.precision,
    threads: s.threads,
    rtf: medianRtf(s.rtf),
    rtf_range: s.rtf.every(Number.isFinite) ? [round(Math.min(...s.rtf), 4), round(Math.max(...s.rtf), 4)] : null,
    samples: s.rtf.length,
    first_audio_ms: round(median(s.first)),
    peak_rss_mb: Math.max(...s.rss),
  }));
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
  if (job.mode === 'sweep') return sweepChild(Voxlet, job);
  if (job.mode === 'pair') return pairChild(Voxlet, job);
  if (job.mode === 'calibrate') {
    const tts = await Voxlet.create({ backend: 'wasm', threads: job.threads, worker: false });
    await tts.loadVoice(job.voice, { precision: job.precision }); // the plan's: calibration reuses its session
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
  for (let r = 0; r < job.rounds; r++) rounds.push(await timeStream(tts, job.text, streamOptions));
  const rssAfterSynthesis = process.memoryUsage().rss;
  const { ortWasmBytes } = await tts.memoryUsage();
  const precision = tts.voice.precision;
  await tts.dispose();
  const stages = await stageTimes({ voice: job.voice, text: job.text, precision, firstChunkIds: job.firstChunkIds, maxChunkIds: job.maxChunkIds });
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
    ort_wasm_mib: ortWasmBytes === null ? null : round(ortWasmBytes / 2 ** 20, 1), // ORT's WebAssembly memory after the rounds: its peak
    audio_seconds: round(audioSeconds, 2),
    first_audio_ms: round(median(rounds.map((r) => r.first_audio_ms))),
    total_ms: round(median(rounds.map((r) => r.total_ms))),
    rtf: medianRtf(rounds.map((r) => realTimeFactor(r.total_ms / 1000, r.audio_s))), // null: the voice made no audio
    stages_ms: stages,
  };
}

// One streamed synthesis: first-audio latency and the real-time factor's parts.
async function timeStream(tts, text, streamOptions) {
  const start = performance.now();
  let first = null;
  let samples = 0;
  let rate = 1;
  for await (const chunk of tts.stream(text, streamOptions)) {
    first ??= performance.now() - start;
    samples += chunk.audio.length;
    rate = chunk.sampleRate;
  }
  return { first_audio_ms: first, total_ms: performance.now() - start, audio_s: samples / rate };
}

// Baseline and tuned alive together, each in a worker thread (its own ORT instance), their
// rounds alternating: the speed-up is a ratio of runs made under the same load.
async function pairChild(Voxlet, job) {
  const baseline = await Voxlet.create({ backend: 'wasm', threads: 1, worker: true });
  await baseline.loadVoice(job.voice, { precision: job.baselinePrecision });
  const tuned = await Voxlet.create({ backend: 'wasm', threads: job.threads, worker: true });
  await tuned.loadVoice(job.voice, { precision: job.precision });
  const overrides = { backend: 'wasm', precision: tuned.voice.precision, threads: job.threads, warmup: job.warmup, firstChunkIds: job.firstChunkIds, maxChunkIds: job.maxChunkIds };
  await tuned.tune({ overrides });
  const runs = { baseline: [], tuned: [] };
  for (let r = 0; r < job.rounds; r++) {
    for (const [name, tts] of r % 2 ? [['tuned', tuned], ['baseline', baseline]] : [['baseline', baseline], ['tuned', tuned]]) runs[name].push(await timeStream(tts, job.text, {}));
  }
  await baseline.dispose();
  await tuned.dispose();
  const summary = (list) => ({ first_audio_ms: round(median(list.map((r) => r.first_audio_ms))), rtf: medianRtf(list.map((r) => realTimeFactor(r.total_ms / 1000, r.audio_s))) });
  return { baseline: summary(runs.baseline), tuned: summary(runs.tuned), rounds: job.rounds };
}

// A sweep child: every precision loaded side by side on one thread count; round r runs them in
// an order rotated by r, so none always goes first (after a pause) or last.
async function sweepChild(Voxlet, job) {
  const loaded = [];
  for (const precision of job.precisions) {
    const tts = await Voxlet.create({ backend: 'wasm', threads: job.threads, worker: false });
    await tts.loadVoice(job.voice, { precision });
    if (job.warmup) await tts.synthesize('Hello.');
    loaded.push([tts.voice.precision, tts]);
  }
  const results = Object.fromEntries(loaded.map(([precision]) => [precision, { rtf: [], first_audio_ms: [] }]));
  const streamOptions = pick(job, ['firstChunkIds', 'maxChunkIds']);
  for (let r = 0; r < job.rounds; r++) {
    for (let i = 0; i < loaded.length; i++) {
      const [precision, tts] = loaded[(i + r) % loaded.length];
      const run = await timeStream(tts, job.text, streamOptions);
      results[precision].rtf.push(realTimeFactor(run.total_ms / 1000, run.audio_s));
      results[precision].first_audio_ms.push(run.first_audio_ms);
    }
  }
  for (const [, tts] of loaded) await tts.dispose();
  return { threads: job.threads, peak_rss_mb: round(process.resourceUsage().maxRSS / 1024), results };
}

// ---------------------------------------------------------------- text report

function formatReport(r) {
  const lines = [];
  const row = (cells) => lines.push(`| ${cells.join(' | ')} |`);
  lines.push(`voice ${r.voice}, ${r.text_words} words, medians of ${r.rounds} round(s); detect() ${r.detect_ms} ms; symptoms: ${r.device.symptoms.join(', ') || 'none'}`);
  lines.push(`plan: ${r.plan.backend}, ${r.plan.precision}, ${r.plan.threads} thread(s), chunks ${r.plan.first_chunk_ids}/${r.plan.max_chunk_ids}, warm-up ${r.plan.warmup ? 'yes' : 'no'}`);
  for (const [field, reason] of Object.entries(r.plan.reasons)) lines.push(`  ${field}: ${reason}`);
  if (r.calibration) {
    lines.push(`measured tuning (calibration): ${r.calibration.calibration_ms} ms (target ≤ 3000 ms${r.calibration.cached ? ', cached' : ''}; = ${r.calibration.inReferenceRuns} timed fp32 runs of the phrase), chose ${r.calibration.chosen?.precision ?? 'nothing'}`);
    for (const c of r.calibration.candidates) lines.push(`  ${c.precision}: ${c.ms ?? '—'} ms, ${c.accepted ? 'accepted' : 'not chosen'} (${c.reason})`);
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
  row(['ONNX Runtime WASM memory, peak (MiB)', b.ort_wasm_mib ?? 'unknown', t.ort_wasm_mib ?? 'unknown', '']);
  row(['first audio (ms), own process', b.first_audio_ms, t.first_audio_ms, '']);
  row(['real-time factor, own process', formatRtf(b.rtf), formatRtf(t.rtf), '']);
  const p = r.side_by_side;
  row(['first audio (ms), side by side', p.baseline.first_audio_ms, p.tuned.first_audio_ms, `${r.improvement.first_audio_pct} %`]);
  row(['real-time factor, side by side', formatRtf(p.baseline.rtf), formatRtf(p.tuned.rtf), r.improvement.speedup == null ? '' : `${r.improvement.rtf_pct} % (${r.improvement.speedup}×)`]);
  for (const stage of ['normalize', 'phonemize', 'inference', 'post_processing']) row([`stage: ${stage} (ms)`, b.stages_ms[stage], t.stages_ms[stage], '']);
  if (r.sweep) {
    lines.push('', `sweep (medians of interleaved runs, ${r.sweep.runs[0]?.samples ?? 0} per plan, by RTF):`);
    row(['rank', 'precision', 'threads', 'RTF (median)', 'RTF min–max', 'vs best', 'first audio ms', 'peak RSS MB']);
    row(['---', '---', '---', '---', '---', '---', '---', '---']);
    for (const s of r.sweep.runs) row([s.rank, s.precision, s.threads, formatRtf(s.rtf), s.rtf_range?.join('–') ?? '', s.above_best_pct == null ? '' : `+${s.above_best_pct} %`, s.first_audio_ms, s.peak_rss_mb]);
    const a = r.sweep.automatic;
    lines.push(a?.rtf == null ? `automatic plan: ${a ? 'no audio, nothing to rank' : 'not in the sweep'}` : `automatic plan (${a.precision}, ${a.threads} thread(s)) ranks ${a.rank} of ${a.of}: RTF ${a.rtf} vs best ${r.sweep.best.rtf} (${r.sweep.best.precision}, ${r.sweep.best.threads}): +${r.sweep.automatic_rtf_above_best_pct} %; target (≤ ${RTF_TARGET_PCT} %) ${r.sweep.target_met ? 'met' : 'NOT met'}`);
  }
  return `${lines.join('\n')}\n`;
}

function pick(object, keys) {
  return Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]]));
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
