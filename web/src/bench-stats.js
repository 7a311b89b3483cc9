// The numbers a benchmark reports, the same in `voxlet bench` (Node) and the demo's benchmark
// page: medians, baseline-vs-tuned improvement, and where the automatic plan ranks in a sweep.

/** Issue 7: the automatic plan's RTF within 10 % of the sweep's best. */
export const RTF_TARGET_PCT = 10;

/** Baseline vs tuned: speed-up (RTF ratio) and improvement in % (positive = tuned is better). */
export function improvement(baseline, tuned) {
  // null where a side has no figure (e.g. a voice that made no audio has no real-time factor).
  const pct = (before, after) => (before > 0 && after != null ? round((100 * (before - after)) / before) : null);
  return {
    speedup: tuned.rtf > 0 && baseline.rtf > 0 ? round(baseline.rtf / tuned.rtf, 2) : null,
    rtf_pct: pct(baseline.rtf, tuned.rtf),
    first_audio_pct: pct(baseline.first_audio_ms, tuned.first_audio_ms),
    cold_start_pct: pct(baseline.cold_start_ms?.total ?? baseline.cold_start_ms, tuned.cold_start_ms?.total ?? tuned.cold_start_ms),
  };
}

/** Sorts sweep runs by RTF and says where the automatic plan ranks. */
export function rankSweep(runs, automatic) {
  // A plan that made no audio (rtf null) has no speed to rank: it goes last, with no percentage.
  const measured = (run) => run.rtf != null && Number.isFinite(run.rtf);
  const fastest = Math.min(...runs.filter(measured).map((run) => run.rtf));
  const order = (a, b) => (measured(a) && measured(b) ? a.rtf - b.rtf : Number(measured(b)) - Number(measured(a)));
  const sorted = [...runs].sort(order).map((run, index) => ({ rank: index + 1, ...run, above_best_pct: measured(run) ? round((100 * (run.rtf - fastest)) / fastest) : null }));
  const auto = sorted.find((run) => run.precision === automatic.precision && run.threads === automatic.threads) ?? null;
  const best = sorted.find(measured) ?? null;
  const withinPct = auto && best && measured(auto) ? round((100 * (auto.rtf - best.rtf)) / best.rtf) : null;
  return {
    runs: sorted,
    automatic: auto ? { precision: auto.precision, threads: auto.threads, rank: auto.rank, of: sorted.length, rtf: auto.rtf } : null,
    best: best ? { precision: best.precision, threads: best.threads, rtf: best.rtf } : null,
    automatic_rtf_above_best_pct: withinPct,
    target: `automatic plan's RTF within ${RTF_TARGET_PCT} % of the best`,
    target_met: withinPct === null ? null : withinPct <= RTF_TARGET_PCT,
  };
}

/**
 * Real-time factor: seconds of work per second of audio made. null when no audio was made
 * (a voice that returns no samples): dividing by zero would report an absurd figure.
 */
export function realTimeFactor(workSeconds, audioSeconds) {
  return audioSeconds > 0 ? workSeconds / audioSeconds : null;
}

/** The median real-time factor of runs; null when any run made no audio. */
export function medianRtf(rtfs, digits = 4) {
  return rtfs.length === 0 || rtfs.some((rtf) => rtf == null || !Number.isFinite(rtf)) ? null : round(median(rtfs), digits);
}

/** A real-time factor for people: the number, or "no audio" where there was nothing to divide by. */
export function formatRtf(rtf, digits = 4) {
  return rtf == null || !Number.isFinite(rtf) ? 'no audio' : String(round(rtf, digits));
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function round(value, digits = 1) {
  return value == null || !Number.isFinite(value) ? value : Number(value.toFixed(digits));
}
