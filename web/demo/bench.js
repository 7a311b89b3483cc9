// The demo's benchmark page (issue 7, item 5): on this device, in this browser, it measures the
// naive baseline (1 thread, fp32, no warm-up) against the tuned plan (Voxlet.createTuned with
// measured calibration), then optionally every plan the device allows, and draws the results.
// Baseline and tuned are alive side by side and their rounds alternate, and the sweep's plans
// take turns round by round, so a burst of load elsewhere hits every configuration alike.
//
//   bench.html?rounds=3&sweep=1&auto=1&text=…&voice=…   (auto: run on load; tests and scripts)
import { Voxlet, detect } from '../src/index.js';
import { formatRtf, improvement, median, medianRtf, rankSweep, realTimeFactor, round } from '../src/bench-stats.js';
import { stageTimes } from '../src/stage-times.js';

const DEFAULT_VOICE = '../../models/voxlet-en-us-slt/voice.json';
const DEFAULT_TEXT =
  'The tuner reads the device, then picks a precision, a thread count and chunk sizes for this voice. ' +
  'A benchmark proves each choice: start time, memory, first audio and the real-time factor.';
const MEMORY_TIMEOUT_MS = 8000; // measureUserAgentSpecificMemory waits for a garbage collection
const SVG = 'http://www.w3.org/2000/svg';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

/** Everything the page measures; also window.voxletBench.result for scripts and tests. */
export async function runBenchmark({ voice, text, rounds, sweep }, status = () => {}) {
  const result = { voice, words: text.split(/\s+/).length, rounds, isolated: globalThis.crossOriginIsolated === true, cores: navigator.hardwareConcurrency };
  status('detect() …');
  let t = performance.now();
  result.profile = await detect();
  result.detect_ms = round(performance.now() - t);

  status('baseline: 1 thread, fp32, no warm-up …');
  const baseline = await coldStart(() => Voxlet.create({ backend: 'wasm', threads: 1 }), (tts) => tts.loadVoice(voice, { precision: 'fp32' }));
  status('tuned: detect() → plan → measured calibration → warm-up …');
  const tuned = await coldStart(() => Voxlet.createTuned({ voice, measure: true, cache: false }));
  const plan = tuned.tts.plan;
  result.plan = { backend: plan.backend, precision: plan.precision, threads: plan.threads, first_chunk_ids: plan.first_chunk_ids, max_chunk_ids: plan.max_chunk_ids, warmup: plan.warmup, reasons: plan.reasons, pending: plan.pending };
  result.calibration_ms = plan.timingsMs.calibration ?? null;
  result.calibration_in_fp32_runs = plan.measured?.inReferenceRuns ?? null; // load-independent cost
  result.calibration = plan.measured?.candidates?.map(({ precision, ms, distanceDb, accepted, reason }) => ({ precision, ms, distanceDb, accepted, reason })) ?? [];
  const memory = measureMemory(); // resolves at a garbage collection: the rounds below bring one on

  const runs = { baseline: [], tuned: [] };
  for (let r = 0; r < rounds; r++) {
    status(`round ${r + 1}/${rounds}: baseline and tuned, alternating …`);
    for (const [name, entry] of r % 2 ? [['tuned', tuned], ['baseline', baseline]] : [['baseline', baseline], ['tuned', tuned]]) runs[name].push(await timeStream(entry.tts, text));
  }
  result.memory = await memory; // both Voxlets (baseline, tuned) and their workers alive
  // ONNX Runtime's WebAssembly memory in each Worker after the rounds: its peak (it never shrinks).
  const ortMiB = async (tts) => {
    const { ortWasmBytes } = await tts.memoryUsage();
    return ortWasmBytes === null ? null : round(ortWasmBytes / 2 ** 20, 1);
  };
  result.ort_wasm_mib = { baseline: await ortMiB(baseline.tts), tuned: await ortMiB(tuned.tts) };
  await baseline.tts.dispose();
  await tuned.tts.dispose();

  status('warm start (the files are cached now) …');
  const warm = await coldStart(() => Voxlet.create({ backend: 'wasm', threads: 1 }), (tts) => tts.loadVoice(voice, { precision: 'fp32' }));
  await warm.tts.dispose();

  status('time per stage …');
  result.baseline = { ...summary(runs.baseline, baseline), warm_start_ms: warm.ms, stages_ms: await stageTimes({ voice, text, precision: 'fp32' }) };
  result.tuned = { ...summary(runs.tuned, tuned), precision: plan.precision, threads: plan.threads, stages_ms: await stageTimes({ voice, text, precision: plan.precision, firstChunkIds: plan.first_chunk_ids, maxChunkIds: plan.max_chunk_ids }) };
  result.improvement = improvement(result.baseline, result.tuned);
  if (sweep) result.sweep = await runSweep({ voice, text, rounds, plan }, status);
  status('done');
  return result;
}

// Creates (and loads), timing it: the cold start of a configuration.
async function coldStart(create, load = async () => {}) {
  const t = performance.now();
  const tts = await create();
  await load(tts);
  return { tts, ms: round(performance.now() - t) };
}

async function timeStream(tts, text) {
  const start = performance.now();
  let first = null;
  let samples = 0;
  let rate = 1;
  for await (const chunk of tts.stream(text)) {
    first ??= performance.now() - start;
    samples += chunk.audio.length;
    rate = chunk.sampleRate;
  }
  const total = performance.now() - start;
  return { first_audio_ms: first, rtf: realTimeFactor(total / 1000, samples / rate) }; // null: no audio
}

function summary(runs, { ms }) {
  return { cold_start_ms: ms, first_audio_ms: round(median(runs.map((r) => r.first_audio_ms))), rtf: medianRtf(runs.map((r) => r.rtf)) };
}

/**
 * The page's memory: measureUserAgentSpecificMemory (workers included) where the page is
 * cross-origin isolated and the browser has it; else Chromium's performance.memory (this
 * thread's JS heap only); else unavailable.
 */
async function measureMemory() {
  if (globalThis.crossOriginIsolated && typeof performance.measureUserAgentSpecificMemory === 'function') {
    const timeout = new Promise((resolve) => setTimeout(() => resolve(null), MEMORY_TIMEOUT_MS));
    const measured = await Promise.race([performance.measureUserAgentSpecificMemory().catch(() => null), timeout]);
    if (measured) return { mb: round(measured.bytes / 2 ** 20), method: 'performance.measureUserAgentSpecificMemory (page + workers)' };
  }
  if (performance.memory) return { mb: round(performance.memory.usedJSHeapSize / 2 ** 20), method: 'performance.memory (this thread’s JS heap)' };
  return { mb: null, method: 'unavailable in this browser' };
}

/** Every plan the device allows: the voice's precisions × threads 1..min(cores, 4) (1 without isolation). */
async function runSweep({ voice, text, rounds, plan }, status) {
  const config = await (await fetch(voice)).json();
  const precisions = [...new Set((config.voxlet?.variants ?? []).filter((v) => (v.component ?? 'full') === 'full').map((v) => v.precision))];
  const maxThreads = globalThis.crossOriginIsolated ? Math.max(1, Math.min(navigator.hardwareConcurrency ?? 1, 4)) : 1;
  const plans = [];
  for (const precision of precisions.length ? precisions : ['fp32']) {
    for (let threads = 1; threads <= maxThreads; threads++) {
      status(`sweep: loading ${precision}, ${threads} thread(s) …`);
      const tts = await Voxlet.create({ backend: 'wasm', threads });
      await tts.loadVoice(voice, { precision });
      if (plan.warmup) await tts.synthesize('Hello.');
      plans.push({ precision, threads, tts, rtf: [], first: [] });
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < plans.length; i++) {
      const entry = plans[(i + r) % plans.length]; // rotated: none always first or last
      status(`sweep round ${r + 1}/${rounds}: ${entry.precision}, ${entry.threads} thread(s) …`);
      const run = await timeStream(entry.tts, text);
      entry.rtf.push(run.rtf);
      entry.first.push(run.first_audio_ms);
    }
  }
  for (const entry of plans) await entry.tts.dispose();
  const runs = plans.map((p) => ({ precision: p.precision, threads: p.threads, rtf: medianRtf(p.rtf), first_audio_ms: round(median(p.first)), samples: p.rtf.length }));
  return rankSweep(runs, { precision: plan.precision, threads: plan.threads });
}

// ---------------------------------------------------------------- drawing

/** The figures as a table: one row per figure, baseline and tuned side by side. */
function showFigures(r) {
  const rows = [
    ['detect()', `${r.detect_ms} ms`, ''],
    ['calibration (measured tuning)', `${r.calibration_ms} ms (= ${r.calibration_in_fp32_runs} fp32 runs of its phrase)`, r.calibration.map((c) => `${c.precision}: ${c.ms ?? '—'} ms${c.accepted ? '' : ' (rejected)'}`).join(', ')],
    ['plan', `${r.plan.backend}, ${r.plan.precision}, ${r.plan.threads} thread(s)`, Object.values(r.plan.reasons ?? {}).slice(1, 3).join('; ')],
    ['memory', r.memory.mb == null ? 'unavailable' : `${r.memory.mb} MB`, r.memory.method],
    ['', 'baseline', 'tuned'],
    ['cold start (ms)', r.baseline.cold_start_ms, `${r.tuned.cold_start_ms} (with detect, calibration, warm-up)`],
    ['ONNX Runtime WASM memory, peak (MiB)', r.ort_wasm_mib.baseline ?? 'unknown', r.ort_wasm_mib.tuned ?? 'unknown'],
    ['warm start (ms)', r.baseline.warm_start_ms, ''],
    ['first audio (ms)', r.baseline.first_audio_ms, `${r.tuned.first_audio_ms} (${r.improvement.first_audio_pct} % better)`],
    ['real-time factor', formatRtf(r.baseline.rtf), `${formatRtf(r.tuned.rtf)}${r.improvement.speedup == null ? '' : ` (${r.improvement.speedup}× faster, ${r.improvement.rtf_pct} %)`}`],
    ...['normalize', 'phonemize', 'inference', 'post_processing'].map((stage) => [`stage: ${stage} (ms)`, r.baseline.stages_ms[stage], r.tuned.stages_ms[stage]]),
  ];
  if (r.sweep?.automatic) {
    const a = r.sweep.automatic;
    const best = r.sweep.best;
    const versus = r.sweep.automatic_rtf_above_best_pct == null || !best ? 'no audio: nothing to compare' : `+${r.sweep.automatic_rtf_above_best_pct} % RTF vs best (${best.precision}, ${best.threads} thread(s)); target ≤ 10 % ${r.sweep.target_met ? 'met' : 'not met'}`;
    rows.push(['sweep', `automatic plan ranks ${a.rank} of ${a.of}`, versus]);
  }
  const table = $('figures');
  // Row names are row headers; the ['', 'baseline', 'tuned'] row heads the columns below it.
  table.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement('tr');
    const columnHeads = cells[0] === '';
    cells.forEach((cell, i) => {
      const head = columnHeads || i === 0;
      const element = document.createElement(head ? 'th' : 'td');
      if (head) element.scope = columnHeads ? 'col' : 'row';
      element.textContent = String(cell);
      tr.append(element);
    });
    return tr;
  }));
}

/**
 * Horizontal bars in an SVG. Rows with the same `scale` share a maximum (a chart can mix ms and
 * RTF); `highlight` marks a bar (the automatic plan).
 */
function barChart(svg, rows) {
  const rowHeight = 22;
  const [labelWidth, barWidth, width] = [230, 300, 640];
  const maxOf = {};
  for (const row of rows) maxOf[row.scale] = Math.max(maxOf[row.scale] ?? 0, row.value);
  svg.setAttribute('viewBox', `0 0 ${width} ${rows.length * rowHeight + 4}`);
  svg.setAttribute('width', '100%');
  svg.replaceChildren();
  rows.forEach((row, i) => {
    const y = i * rowHeight + 2;
    const length = maxOf[row.scale] > 0 ? ((row.value ?? 0) / maxOf[row.scale]) * barWidth : 0;
    svg.append(
      svgElement('text', { x: labelWidth - 6, y: y + 15, 'text-anchor': 'end', 'font-size': 12, fill: 'currentColor' }, row.label),
      svgElement('rect', { x: labelWidth, y, width: Math.max(1, length), height: rowHeight - 6, fill: row.highlight ? 'var(--cursor)' : row.muted ? 'var(--muted)' : 'var(--accent)', 'data-value': row.value ?? 0 }),
      svgElement('text', { x: labelWidth + length + 6, y: y + 15, 'font-size': 12, fill: 'currentColor' }, row.text ?? String(row.value)),
    );
  });
}

function svgElement(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function drawCharts(r) {
  const pair = (label, scale, b, t, unit = '', format = (value) => `${value}${unit}`) => [
    { label: `${label}: baseline`, scale, value: b, text: format(b), muted: true },
    { label: `${label}: tuned`, scale, value: t, text: format(t) },
  ];
  barChart($('chart-compare'), [
    ...pair('cold start', 'cold', r.baseline.cold_start_ms, r.tuned.cold_start_ms, ' ms'),
    ...pair('first audio', 'first', r.baseline.first_audio_ms, r.tuned.first_audio_ms, ' ms'),
    ...pair('real-time factor', 'rtf', r.baseline.rtf, r.tuned.rtf, '', formatRtf),
  ]);
  barChart($('chart-stages'), ['normalize', 'phonemize', 'inference', 'post_processing'].flatMap((stage) => pair(stage, 'ms', r.baseline.stages_ms[stage], r.tuned.stages_ms[stage], ' ms')));
  if (r.sweep) {
    const auto = r.sweep.automatic;
    barChart($('chart-sweep'), r.sweep.runs.map((run) => ({
      label: `#${run.rank} ${run.precision}, ${run.threads} thread(s)${auto && run.rank === auto.rank ? ' (automatic)' : ''}`,
      scale: 'rtf',
      value: run.rtf,
      text: run.above_best_pct == null ? formatRtf(run.rtf) : `${run.rtf} (+${run.above_best_pct} %)`,
      highlight: auto && run.rank === auto.rank,
    })));
  }
}

// ---------------------------------------------------------------- page

async function start() {
  const status = (text) => ($('status').textContent = text);
  const button = $('run');
  if (params.has('rounds')) $('rounds').value = params.get('rounds');
  if (params.has('sweep')) $('sweep').checked = params.get('sweep') !== '0';
  const run = async () => {
    button.disabled = true;
    $('error').hidden = true;
    document.body.dataset.state = 'running';
    try {
      const options = {
        voice: new URL(params.get('voice') ?? DEFAULT_VOICE, location.href).href,
        text: params.get('text') ?? DEFAULT_TEXT,
        rounds: Math.max(1, Number($('rounds').value) || 1),
        sweep: $('sweep').checked,
      };
      const result = await runBenchmark(options, status);
      window.voxletBench.result = result;
      showFigures(result);
      drawCharts(result);
      document.body.dataset.state = 'done';
    } catch (error) {
      $('error').hidden = false;
      $('error').textContent = `The benchmark failed: ${error.code ? `[${error.code}] ` : ''}${error.message}`;
      document.body.dataset.state = 'failed';
      status('failed');
    } finally {
      button.disabled = false;
    }
  };
  window.voxletBench = { run, result: null };
  button.addEventListener('click', run);
  button.disabled = false;
  status(globalThis.crossOriginIsolated ? 'Ready (cross-origin isolated: threads available).' : 'Ready (not cross-origin isolated: 1 thread only).');
  if (params.get('auto') === '1') run();
}

start();
