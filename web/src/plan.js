// tts.tune(): detect() → engine.tune() → a plan, applied to a live Voxlet
// (docs/tuning.md, "Applying the plan" and "Measured tuning").
//
//   await tts.loadVoice('voices/x/voice.json');
//   const plan = await tts.tune();                  // the decision tree's plan
//   const plan = await tts.tune({ measure: true }); // + calibration of ≤ 3 candidates
//
// What applies live: precision (the chosen variant is loaded), chunk sizes (defaults of later
// stream/synthesize/speak calls) and warm-up (one short synthesis). Backend and threads need a
// new ONNX Runtime instance (ORT reads numThreads once per instance): Voxlet.createTuned() plans
// before it starts ORT, and a Voxlet in a worker (the default on pages; worker: true in Node)
// starts a new worker. Only an in-process Voxlet whose ORT already runs lists them as `pending`.
//
// Measured tuning runs each candidate's model on a fixed phrase, rejects those whose audio's
// long-term log spectrum differs from the WASM fp32 reference by more than
// SPECTRAL_THRESHOLD_DB (a broken fp16/int8 kernel or variant), picks the fastest of the rest
// (the automatic plan unless another measured SWITCH_MARGIN faster)
// and caches the choice per device + voice (sha256 of its config, which lists every variant's
// sha256) + engine and ORT version. Candidates differ in precision (and backend where another
// one is runnable in this context); thread counts cannot be calibrated in-process (see above).
import { detect } from './detect.js';
import { isNode } from './capabilities.js';
import { VoxletError } from './errors.js';
import { loadVoiceSource, sha256Hex } from './voice-loader.js';
import { VoiceModel, checkModelInterface, createSession } from './inference.js';
import { fft } from './spectrum.js';
import { isVariantFault } from './fallback.js';
import { importNodeBuiltin } from './node-builtins.js';

/**
 * The phrase calibration synthesizes, as one model call: about 4 s of speech, the size of a
 * typical streamed chunk. A 1.2 s phrase ranked variants by their fixed per-call cost instead
 * of their speed on real chunks (on 2 threads it put int8 first by 28 %; the sweep over real
 * text has it 14 % behind int8-weights); still short enough for the 3 s target.
 */
export const CALIBRATION_PHRASE = 'Please call Stella. Ask her to bring these things with her from the store.';
/** Long-term log-spectrum distance (dB, RMS over bins) above which a candidate's audio counts as broken. */
export const SPECTRAL_THRESHOLD_DB = 3; // the default voice's real variants measure 0.2–0.45 dB
/** The automatic plan plus at most two alternatives: each costs a session and 4–9 model runs. */
export const MAX_CANDIDATES = 3;
/** Calibration's time target (reported, not enforced: timingsMs.calibration). */
export const CALIBRATION_TARGET_MS = 3000;
/**
 * The budget: candidates not started by then are skipped (the automatic plan and the reference
 * always run). Equal to the target, so a slow device trades the third candidate for time.
 */
export const CALIBRATION_BUDGET_MS = CALIBRATION_TARGET_MS;
/**
 * A candidate whose first (untimed) run takes longer than this many times the fastest first run
 * so far is clearly slower: its timed runs are skipped. A first run costs at most about 2× a
 * steady one (allocation, kernel selection), so 3× leaves no doubt.
 */
export const EARLY_STOP_RATIO = 3;
/** …and at least this long: below it a second run costs too little to be worth skipping. */
export const EARLY_STOP_MIN_MS = 100;
/** Timed runs per accepted candidate, round-robin; the fastest counts. At least… */
export const TIMED_ROUNDS = 3;
/**
 * …and more while the budget lasts, up to this many: in a fresh process (a page that just
 * loaded ONNX Runtime) V8 first runs WebAssembly unoptimized and compiles hot functions in
 * the background, so the first 3–4 rounds run up to 2× slower, and a candidate whose kernels
 * happen to be optimized first looks faster (Node, 2 threads: int8 first by 31 % after 3
 * rounds, 8–22 % behind after 8, 17–19 % behind in the sweep).
 */
export const MAX_TIMED_ROUNDS = 8;
/**
 * Another candidate replaces the automatic plan only when it measured at least this much
 * faster. The tree's choice rests on interleaved sweeps (docs/benchmarks.md); a few timed runs
 * cannot resolve smaller differences on a shared device, and a smaller gain is within the
 * 10 % the plan is meant to stay of the best anyway.
 */
export const SWITCH_MARGIN = 0.1;
const CACHE_VERSION = 1;
const WARMUP_TEXT = 'Hello.';
const QUIET = { noiseScale: 0, noiseW: 0 }; // deterministic model input for comparisons

/**
 * Computes and applies a plan on a Voxlet. `access` is the Voxlet's internal seam:
 * { engine, ort, backend, threads, voice: {config, loaded, source}, readBytes, onInference,
 *   reload(precision) -> VoiceInfo,
 *   setChunkDefaults({firstChunkIds, maxChunkIds}), warmup(text) }.
 * @param {{measure?: boolean, overrides?: object, cache?: boolean|{dir?: string}, detect?: object, budgetMs?: number}} options
 * @returns {Promise<object>} the plan (engine.tune's JSON) plus applied, pending, profile, timingsMs
 *   and, when measured, measured: { candidates, chosen, cached, ms }
 */
export async function tuneVoxlet(access, options = {}) {
  const started = now();
  const { measure = false, overrides = {} } = options;
  if (overrides === null || typeof overrides !== 'object') throw new VoxletError('INVALID_ARGUMENT', 'tune({ overrides }) must be an object');
  const voice = access.voice;
  const timings = {};
  const profile = options.profile ?? (await detect(options.detect ?? {}));
  timings.detect = round(now() - started);
  let plan = access.engine.tune(profile, voice.loaded.configText, overrides);
  let measured = null;
  if (measure) {
    const t = now();
    measured = await measuredChoice(access, profile, plan, overrides, options);
    timings.calibration = round(now() - t);
    if (measured.chosen && measured.chosen.precision !== plan.precision) {
      plan = access.engine.tune(profile, voice.loaded.configText, { ...overrides, precision: measured.chosen.precision });
    }
    if (measured.chosen) {
      const passed = measured.candidates.filter((c) => c.accepted).length;
      const choice = measured.chosen.automatic ? `the tree's choice, no other measured ${SWITCH_MARGIN * 100} % faster` : 'the fastest';
      plan.reasons.precision = `measured: ${choice} of ${passed} candidate(s) whose audio matches WASM fp32${measured.cached ? ' (cached)' : ''}`;
      plan.rules.precision = 'measured';
    }
  }
  // A worker about to be replaced (the plan's backend/threads differ) need not load or warm up
  // anything: its successor does (WorkerVoxlet.applyPlan).
  const replaced = options.deferIfRestart && (plan.backend !== access.backend || plan.threads !== access.threads);
  const applied = replaced ? deferred(plan) : await applyPlanTo(access, plan, timings);
  return { ...plan, applied: applied.applied, pending: applied.pending, measured, profile, timingsMs: { ...timings, total: round(now() - started) } };
}

/**
 * Applies what a live Voxlet can change: precision (the variant is loaded), chunk sizes, warm-up.
 * Backend and threads are applied by whoever owns the ONNX Runtime instance (Voxlet.createTuned,
 * WorkerVoxlet's new worker); here they are compared and, when they differ, listed as pending.
 */
export async function applyPlanTo(access, plan, timings = {}) {
  const current = access.voice.loaded.variant?.precision ?? 'fp32';
  const applied = { precision: false, chunks: true, warmup: false, backend: plan.backend === access.backend, threads: plan.threads === access.threads };
  if (plan.precision !== current) {
    if (!isReloadable(access.voice.source)) {
      applied.precision = `not applied: a voice loaded from memory has only the ${current} model`;
    } else {
      applied.precision = await reloadOrKeep(access, plan.precision, current);
    }
  } else {
    applied.precision = true;
  }
  access.setChunkDefaults({ firstChunkIds: plan.first_chunk_ids, maxChunkIds: plan.max_chunk_ids });
  if (plan.warmup) {
    const t = now();
    await access.warmup(WARMUP_TEXT);
    timings.warmup = round(now() - t);
    applied.warmup = true;
  }
  const pending = {};
  if (!applied.backend) pending.backend = plan.backend;
  if (!applied.threads) pending.threads = plan.threads;
  return { applied, pending: Object.keys(pending).length ? { ...pending, note: 'ONNX Runtime fixes both per instance: use Voxlet.createTuned(), or a Voxlet in a worker (worker: true), whose tune() starts a new instance' } : null };
}

// Loads the plan's variant; one that fails to load (a model fault) leaves the running variant
// in place and says so: the guide's "load failure -> another precision", without losing the voice.
async function reloadOrKeep(access, precision, current) {
  try {
    await access.reload(precision);
    return true;
  } catch (error) {
    if (!isVariantFault(error)) throw error;
    return `not applied: the ${precision} model failed to load (${error.code}: ${error.message}); ${current} stays`;
  }
}

function deferred(plan) {
  return { applied: { precision: false, chunks: false, warmup: false, backend: false, threads: false }, pending: { backend: plan.backend, threads: plan.threads, note: 'applied by a new worker' } };
}

function isReloadable(source) {
  return typeof source === 'string' || source instanceof URL;
}

// ---------------------------------------------------------------- measured tuning

/**
 * Which alternatives calibration tries, per backend, after the automatic plan: on WASM the
 * fp32 reference and the quantized variants (fp16 last: ORT's CPU kernels compute it through
 * casts); on WebGPU fp16 first (where the tree allows it: shader-f16).
 */
export const CANDIDATE_ORDER = { wasm: ['fp32', 'int8', 'int8-weights', 'fp16'], webgpu: ['fp16', 'fp32', 'int8-weights', 'int8'] };

/** The candidate plans: the automatic one, then alternatives in CANDIDATE_ORDER the voice lists (≤ MAX_CANDIDATES). */
export function candidatePlans(engine, profile, configText, plan, overrides = {}) {
  const config = JSON.parse(configText);
  const listed = (config.voxlet?.variants ?? []).filter((v) => (v.component ?? 'full') === 'full').map((v) => v.precision);
  const candidates = [plan];
  if (overrides.precision) return candidates; // a forced precision is not second-guessed
  for (const precision of CANDIDATE_ORDER[plan.backend] ?? CANDIDATE_ORDER.wasm) {
    if (candidates.length >= MAX_CANDIDATES) break;
    if (!listed.includes(precision) || precision === plan.precision) continue;
    try {
      candidates.push(engine.tune(profile, configText, { ...overrides, precision }));
    } catch {
      // the tuner refuses this precision here (e.g. fp16 on a WebGPU adapter without shader-f16)
    }
  }
  return candidates;
}

async function measuredChoice(access, profile, plan, overrides, options) {
  const cache = options.cache === false ? null : await openCache(options.cache);
  const key = await cacheKey(access, profile, overrides);
  const hit = await cache?.get(key);
  if (hit) return { ...hit, cached: true };
  const started = now();
  const candidates = candidatePlans(access.engine, profile, access.voice.loaded.configText, plan, overrides);
  const input = { ids: phraseIds(access), scales: [QUIET.noiseScale, access.voice.config.inference?.length_scale ?? 1, QUIET.noiseW] };
  const budgetMs = options.budgetMs ?? CALIBRATION_BUDGET_MS;
  const runBackend = (candidate) => (candidate.backend === access.backend ? access.backend : 'wasm'); // only the running ORT is at hand
  // The reference (WASM fp32) runs first: a candidate when the list has it, else on its own.
  const referenceCandidate = candidates.find((c) => c.precision === 'fp32' && runBackend(c) === 'wasm');
  const ordered = referenceCandidate ? [referenceCandidate, ...candidates.filter((c) => c !== referenceCandidate)] : candidates;
  const state = { reference: null, fastestMs: Infinity };
  if (!referenceCandidate) {
    const probe = await probeCandidate(access, { precision: 'fp32' }, 'wasm', input);
    state.reference = probe.audio ?? null;
    await probe.release?.();
  }
  // Probe: each candidate's untimed first run (its audio is judged; a clearly slower one stops).
  const results = [];
  const kept = []; // [entry, probe] of accepted candidates, timed below
  for (const candidate of ordered) {
    const backend = runBackend(candidate);
    const entry = { precision: candidate.precision, backend, threads: access.threads, automatic: candidate === plan, ms: null, distanceDb: null, accepted: false, reason: '' };
    results.push(entry);
    // An extra candidate costs a load and three runs: started only in the budget's first half.
    if (now() - started > budgetMs / 2 && candidate !== plan && candidate !== referenceCandidate) {
      entry.reason = `skipped: calibration passed half its ${budgetMs} ms budget`;
      continue;
    }
    const probe = await probeCandidate(access, candidate, backend, input);
    if (candidate === referenceCandidate) state.reference = probe.audio ?? null;
    const stopAfterMs = Math.max(state.fastestMs * EARLY_STOP_RATIO, EARLY_STOP_MIN_MS);
    judge(entry, probe, state.reference, stopAfterMs);
    if (entry.accepted) {
      kept.push([entry, probe]);
      state.fastestMs = Math.min(state.fastestMs, probe.firstMs);
    } else {
      await probe.release?.();
    }
  }
  await timeCandidates(kept, input, started + budgetMs);
  const chosen = chooseCandidate(results);
  const ms = round(now() - started);
  // Load-independent cost: the calibration in units of one timed fp32 run of the phrase (the
  // shared machine's load slows both alike).
  const referenceMs = results.find((r) => r.precision === 'fp32' && r.ms != null)?.ms;
  const result = { candidates: results, chosen, thresholdDb: SPECTRAL_THRESHOLD_DB, phrase: CALIBRATION_PHRASE, ms, inReferenceRuns: referenceMs ? round(ms / referenceMs, 1) : null, cached: false };
  if (result.chosen) await cache?.put(key, { ...result, key: key.parts }); // the parts: inspectable, never read back
  return result;
}

/**
 * The calibration's choice among timed entries ({ automatic, accepted, ms }): the fastest
 * accepted one, unless the automatic plan was accepted and nothing measured SWITCH_MARGIN
 * faster than it (then the automatic plan). Null when none was accepted.
 */
export function chooseCandidate(entries) {
  const accepted = entries.filter((e) => e.accepted && e.ms != null).sort((a, b) => a.ms - b.ms);
  const automatic = accepted.find((e) => e.automatic);
  if (automatic && accepted[0].ms > automatic.ms * (1 - SWITCH_MARGIN)) return automatic;
  return accepted[0] ?? null;
}

// Fills a candidate's entry from its probe: failed, judged against the reference, or stopped early.
function judge(entry, probe, reference, stopAfterMs) {
  if (probe.error) return Object.assign(entry, { reason: `failed: ${probe.error}` });
  entry.firstRunMs = probe.firstMs;
  if (!reference) {
    return Object.assign(entry, { accepted: entry.precision === 'fp32', reason: 'no WASM fp32 reference could be made; only fp32 is trusted' });
  }
  const distanceDb = round(spectralDistanceDb(reference, probe.audio), 2);
  entry.distanceDb = distanceDb;
  if (distanceDb > SPECTRAL_THRESHOLD_DB) return Object.assign(entry, { reason: `audio differs from WASM fp32: ${distanceDb} dB > ${SPECTRAL_THRESHOLD_DB}` });
  if (probe.firstMs > stopAfterMs) {
    return Object.assign(entry, { reason: `stopped early: its first run took ${probe.firstMs} ms, over ${EARLY_STOP_RATIO}× the fastest candidate's` });
  }
  return Object.assign(entry, { accepted: true, reason: `matches WASM fp32 (${distanceDb} dB ≤ ${SPECTRAL_THRESHOLD_DB})` });
}

// The accepted candidates' timed runs, round-robin (a burst of load elsewhere hits them alike),
// TIMED_ROUNDS each even past the budget (one run under a burst of load would decide, and be
// cached, wrongly), then more rounds while the next fits the budget, up to MAX_TIMED_ROUNDS.
// A candidate's time is its fastest run (load and unoptimized code only ever add time).
async function timeCandidates(kept, { ids, scales }, deadline) {
  try {
    let roundMs = 0;
    for (let round_ = 0; round_ < MAX_TIMED_ROUNDS; round_++) {
      if (round_ >= TIMED_ROUNDS && now() + roundMs > deadline) break;
      const roundStart = now();
      for (const [entry, probe] of kept) {
        const t = now();
        await probe.model.run(ids, { scales, sid: 0 });
        entry.ms = round(Math.min(entry.ms ?? Infinity, now() - t));
      }
      roundMs = now() - roundStart;
      for (const [entry] of kept) entry.rounds = round_ + 1;
    }
  } finally {
    for (const [, probe] of kept) await probe.release();
  }
}

// The calibration input: the longest chunk the voice's own front end (espeak voices) or the
// engine makes of the phrase with the voice's chunk budget, i.e. the largest call synthesis
// makes. One longer call would time an input synthesis never sends, and leave ONNX Runtime's
// memory (which follows a call's audio and never shrinks) above what synthesis needs.
function phraseIds(access) {
  access.engine.loadVoice(access.voice.loaded.configText);
  const chunks = access.voice.chunks ? access.voice.chunks(CALIBRATION_PHRASE, {}) : access.engine.chunks(CALIBRATION_PHRASE, {});
  let longest = [];
  for (const chunk of chunks) if (chunk.ids.length > longest.length) longest = chunk.ids;
  return longest;
}

// Opens a candidate (the session that already runs the voice when the candidate is what it
// runs: no second load of the same model) and runs it once untimed; its audio is compared.
async function probeCandidate(access, candidate, backend, { ids, scales }) {
  const live = access.voice.model && candidate.precision === (access.voice.loaded.variant?.precision ?? 'fp32') && backend === access.backend;
  let model = null;
  const release = async () => {
    if (!live) await model?.release();
  };
  try {
    model = live ? access.voice.model : await openModel(access, await loadCandidate(access, candidate), backend);
    const t = now();
    const { audio } = await model.run(ids, { scales, sid: 0 });
    return { model, audio, firstMs: round(now() - t), release };
  } catch (error) {
    await release();
    return { error: `${error.code ?? 'ERROR'}: ${error.message}` };
  }
}

// The candidate's variant (a voice loaded from memory has only the one model it was given).
function loadCandidate(access, candidate) {
  const reloadable = isReloadable(access.voice.source);
  const source = reloadable ? access.voice.source : { config: access.voice.loaded.configText, model: access.voice.loaded.model, name: access.voice.loaded.modelName };
  return loadVoiceSource(source, { precision: reloadable ? candidate.precision : 'auto', readBytes: access.readBytes });
}

// A session for a candidate, as Voxlet opens one (the onInference hook included).
async function openModel(access, loaded, backend) {
  access.engine.loadVoice(loaded.configText);
  const session = await createSession(access.ort, loaded.model, { backend, name: loaded.modelName });
  try {
    return new VoiceModel(access.ort, session, checkModelInterface(session, loaded.config, loaded.modelName), access.onInference);
  } catch (error) {
    await session.release();
    throw error;
  }
}

// ---------------------------------------------------------------- spectral distance

/**
 * Long-term average log spectrum (dB per bin) of a signal: Hann-windowed 512-sample frames, hop 256.
 * @returns {Float64Array} frameSize/2 + 1 bins
 */
export function longTermSpectrum(audio, frameSize = 512) {
  const bins = frameSize / 2 + 1;
  const power = new Float64Array(bins);
  const re = new Float64Array(frameSize);
  const im = new Float64Array(frameSize);
  const window = Float64Array.from({ length: frameSize }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / frameSize));
  let frames = 0;
  for (let start = 0; start + frameSize <= Math.max(audio.length, frameSize); start += frameSize / 2) {
    for (let i = 0; i < frameSize; i++) {
      const x = audio[start + i] ?? 0;
      re[i] = (Number.isFinite(x) ? x : 0) * window[i];
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 0; k < bins; k++) power[k] += re[k] * re[k] + im[k] * im[k];
    frames++;
  }
  return power.map((p) => 10 * Math.log10(p / Math.max(frames, 1) + 1e-12));
}

/**
 * RMS difference (dB) of two signals' long-term log spectra, over bins within 60 dB of the
 * louder spectrum's peak (each spectrum floored there, so silence-level bins do not dominate).
 * Level differences count: a variant twice as loud is about 6 dB off. NaN/Inf audio → Infinity.
 */
export function spectralDistanceDb(reference, candidate) {
  if (!candidate?.length || Array.prototype.some.call(candidate, (x) => !Number.isFinite(x))) return Infinity;
  const a = longTermSpectrum(reference);
  const b = longTermSpectrum(candidate);
  const floor = Math.max(...a, ...b) - 60;
  let sum = 0;
  let count = 0;
  for (let k = 0; k < a.length; k++) {
    if (a[k] < floor && b[k] < floor) continue;
    const d = Math.max(a[k], floor) - Math.max(b[k], floor);
    sum += d * d;
    count++;
  }
  return count ? Math.sqrt(sum / count) : 0;
}

// ---------------------------------------------------------------- cache

/** The cache key's parts: this device, the voice (config sha256), engine and ORT versions, the running backend/threads. */
export async function cacheKey(access, profile, overrides = {}) {
  const device = {
    cores: profile.logicalCores,
    memory: profile.deviceMemoryGb == null ? null : Math.round(profile.deviceMemoryGb),
    gpu: profile.webgpu ? [profile.webgpu.vendor, profile.webgpu.architecture, profile.webgpu.description].join('/') : null,
    node: Boolean(profile.isNode),
    platform: isNode() ? `${process.platform}-${process.arch}-${process.version}` : (globalThis.navigator?.userAgent ?? ''),
  };
  const voice = await sha256Hex(new TextEncoder().encode(access.voice.loaded.configText));
  const parts = { v: CACHE_VERSION, device, voice, engine: access.engine.version(), ort: access.ort?.env?.versions?.web ?? null, backend: access.backend, threads: access.threads, overrides };
  return { id: await sha256Hex(new TextEncoder().encode(JSON.stringify(parts))), parts };
}

/**
 * Where measured choices are kept: a JSON file in Node (options.dir, else $VOXLET_CACHE_DIR,
 * else ~/.cache/voxlet, else the temp folder), localStorage on a page, Cache Storage in a Worker.
 */
export async function openCache(options = {}) {
  const settings = options === true || options === undefined ? {} : options;
  if (isNode()) return nodeCache(settings.dir);
  if (globalThis.localStorage) {
    return {
      async get({ id }) {
        const text = globalThis.localStorage.getItem(`voxlet-tune:${id}`);
        return text ? JSON.parse(text) : null;
      },
      async put({ id }, value) {
        globalThis.localStorage.setItem(`voxlet-tune:${id}`, JSON.stringify(value));
      },
    };
  }
  if (globalThis.caches) {
    const url = (id) => `https://voxlet.invalid/tune/${id}`;
    return {
      async get({ id }) {
        const response = await (await globalThis.caches.open('voxlet-tune')).match(url(id));
        return response ? response.json() : null;
      },
      async put({ id }, value) {
        await (await globalThis.caches.open('voxlet-tune')).put(url(id), new Response(JSON.stringify(value), { headers: { 'content-type': 'application/json' } }));
      },
    };
  }
  return null;
}

async function nodeCache(dir) {
  const fs = await importNodeBuiltin('fs/promises');
  const path = await importNodeBuiltin('path');
  const os = await importNodeBuiltin('os');
  const dirs = dir ? [dir] : [process.env.VOXLET_CACHE_DIR, path.join(os.homedir(), '.cache', 'voxlet'), path.join(os.tmpdir(), 'voxlet')].filter(Boolean);
  const read = async (file) => JSON.parse(await fs.readFile(file, 'utf8').catch(() => '{}'));
  return {
    file: path.join(dirs[0], 'tune-cache.json'),
    async get({ id }) {
      for (const d of dirs) {
        const entry = (await read(path.join(d, 'tune-cache.json')).catch(() => ({})))[id];
        if (entry) return entry;
      }
      return null;
    },
    async put({ id }, value) {
      for (const d of dirs) {
        try {
          const file = path.join(d, 'tune-cache.json');
          await fs.mkdir(d, { recursive: true });
          const all = await read(file).catch(() => ({}));
          all[id] = { ...value, savedAt: new Date().toISOString() };
          await fs.writeFile(file, JSON.stringify(all, null, 1));
          return;
        } catch {
          // read-only home: try the next folder
        }
      }
    },
  };
}

function now() {
  return globalThis.performance?.now() ?? Date.now();
}

function round(value, digits = 1) {
  return value == null ? null : Number(value.toFixed(digits));
}
