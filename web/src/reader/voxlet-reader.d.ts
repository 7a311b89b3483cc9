// Types for <voxlet-reader> (voxlet/reader): importing the module registers the element.
import type { TimedWord, TimedMark, Voxlet } from '../index.js';

export type VoxletReaderState = 'idle' | 'loading' | 'speaking' | 'paused';

export interface VoxletReaderEventMap {
  start: CustomEvent<undefined>;
  /** The word being spoken: offsets into the text read from the target, and its DOM Range (null when it left the DOM). */
  boundary: CustomEvent<TimedWord & { range: Range | null }>;
  mark: CustomEvent<TimedMark>;
  pause: CustomEvent<undefined>;
  resume: CustomEvent<undefined>;
  end: CustomEvent<{ cancelled: boolean; underruns?: number }>;
  error: CustomEvent<{ error: unknown }>;
  statechange: CustomEvent<{ state: VoxletReaderState }>;
}

export class VoxletReader extends HTMLElement {
  static readonly observedAttributes: string[];
  /** idle | loading | speaking | paused */
  readonly state: VoxletReaderState;
  /** The element whose text is read (attribute `for`: its id), or null. */
  readonly target: Element | null;
  /** Speaking rate, 0.5–2 (attribute `rate`). */
  rate: number;
  /** A Voxlet of the page's own (e.g. from Voxlet.createTuned); null: one shared per voice. */
  voxlet: Voxlet | null;
  /** Reads the target from the start, or resumes when paused. Call from a user gesture. */
  play(): Promise<void>;
  pause(): void;
  resume(): void;
  /** Stops speech and clears the highlight; `silent` keeps the status text. */
  stop(options?: { silent?: boolean }): void;
  /** Pause when speaking, else play. */
  toggle(): void;
  addEventListener<K extends keyof VoxletReaderEventMap>(type: K, listener: (this: VoxletReader, event: VoxletReaderEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'voxlet-reader': VoxletReader;
  }
}
