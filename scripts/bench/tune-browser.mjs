#!/usr/bin/env node
// Tuning benchmark in headless Chromium: runs the demo's benchmark page (web/demo/bench.html)
// and prints what `voxlet bench --sweep` prints in Node: detect() and calibration time,
// baseline (1 thread, fp32, no warm-up) vs tuned (Voxlet.createTuned, measured) — cold start,
// first audio, RTF, speed-up — and where the automatic plan ranks in the interleaved sweep.
//
//   node --no-experimental-fetch scripts/bench/tune-browser.mjs [--rounds 3] [--no-sweep] [--json]
import { parseArgs } from 'node:util';
import { launchChromium, startTestServer } from '../../tests/browser/support.mjs';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'no-sweep': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

const server = await startTestServer();
const browser = await launchChromium();
try {
  const page = await (await browser.newContext()).newPage();
  const query = new URLSearchParams({ rounds: args.rounds, sweep: args['no-sweep'] ? '0' : '1', auto: '1' });
  await page.goto(`${server.url.replace(/\/?$/, '')}/web/demo/bench.html?${query}`);
  await page.waitForFunction(() => ['done', 'failed'].includes(document.body.dataset.state), null, { timeout: 0 });
  const result = await page.evaluate(() => window.voxletBench.result);
  if (!result) throw new Error(await page.textContent('#error'));
  if (args.json) console.log(JSON.stringify(result, null, 2));
  else console.log(format(result));
} finally {
  await browser.close();
  await server.close();
}

function format(r) {
  const lines = [
    `Chromium ${r.isolated ? '(cross-origin isolated)' : '(not isolated)'}, ${r.cores} cores, ${r.words} words, medians of ${r.rounds} round(s)`,
    `detect(): ${r.detect_ms} ms; calibration: ${r.calibration_ms} ms (target ≤ 3000; = ${r.calibration_in_fp32_runs} fp32 runs of the phrase): ${r.calibration.map((c) => `${c.precision} ${c.ms ?? '—'} ms ${c.accepted ? 'ok' : 'rejected'}`).join(', ')}`,
    `plan: ${r.plan.backend}, ${r.plan.precision}, ${r.plan.threads} thread(s), pending ${JSON.stringify(r.plan.pending)}`,
    `memory: ${r.memory.mb ?? '—'} MB (${r.memory.method})`,
    `cold start: baseline ${r.baseline.cold_start_ms} ms, tuned ${r.tuned.cold_start_ms} ms (tuned includes detect, calibration and warm-up); warm start ${r.baseline.warm_start_ms} ms`,
    `first audio: baseline ${r.baseline.first_audio_ms} ms, tuned ${r.tuned.first_audio_ms} ms (${r.improvement.first_audio_pct} %)`,
    `RTF: baseline ${r.baseline.rtf}, tuned ${r.tuned.rtf}: ${r.improvement.speedup}× (${r.improvement.rtf_pct} %)`,
    `stages (ms) baseline / tuned: ${['normalize', 'phonemize', 'inference', 'post_processing'].map((s) => `${s} ${r.baseline.stages_ms[s]} / ${r.tuned.stages_ms[s]}`).join(', ')}`,
  ];
  if (r.sweep) {
    lines.push('sweep (median RTF of interleaved rounds):');
    for (const run of r.sweep.runs) lines.push(`  #${run.rank} ${run.precision}, ${run.threads} thread(s): ${run.rtf} (+${run.above_best_pct} %), first audio ${run.first_audio_ms} ms`);
    const a = r.sweep.automatic;
    lines.push(a ? `automatic plan (${a.precision}, ${a.threads} thread(s)) ranks ${a.rank} of ${a.of}: +${r.sweep.automatic_rtf_above_best_pct} % vs best; target (≤ 10 %) ${r.sweep.target_met ? 'met' : 'NOT met'}` : 'automatic plan not in the sweep');
  }
  return lines.join('\n');
}
