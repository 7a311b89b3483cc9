// The numbers a benchmark reports, the same in `voxlet bench` (Node) and the demo's benchmark
// page: medians, baseline-vs-tuned improvement, and where the automatic plan ranks in a sweep.

/** Issue 7: the automatic plan's RTF within 10 % of the sweep's best. */
export const RTF_TARGET_PCT = 10;

/** Baseline vs tuned: speed-up (RTF ratio) and improvement in % (positive = tuned is better). */
export function improvement(baseline, tuned) {
  const pct = (before, after) => (before > 0 ? round((100 * (before - after)) / before) : null);
  return {
    speedup: tuned.rtf > 0 ? round(baseline.rtf / tuned.rtf, 2) : null,
    rtf_pct: pct(baseline.rtf, tuned.rtf),
    first_audio_pct: pct(baseline.first_audio_ms, tuned.first_audio_ms),
    cold_start_pct: pct(baseline.cold_start_ms?.total ?? baseline.cold_start_ms, tuned.cold_start_ms?.total ?? tuned.cold_start_ms),
  };
}

/** Sorts sweep runs by RTF and says where the automatic plan ranks. */
export function rankSweep(runs, automatic) {
  const fastest = Math.min(...runs.map((run) => run.rtf));
  const sorted = [...runs].sort((a, b) => a.rtf - b.rtf).map((run, index) => ({ rank: index + 1, ...run, above_best_pct: round((100 * (run.rtf - fastest)) / fastest) }));
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

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function round(value, digits = 1) {
  return value == null || !Number.isFinite(value) ? value : Number(value.toFixed(digits));
}
