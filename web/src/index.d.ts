// Type declarations for the Voxlet package (the parts that exist today: the
// engine front end). Synthesis types arrive with the runtime.

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
  lexiconUrl?: string;
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
  dispose(): void;
}

export function chooseEngineVariant(options?: { threads?: boolean }): Engine['variant'];
export function hasWasmSimd(): boolean;
export function hasWasmThreads(): boolean;
