// speak(): a Web-Speech-like utterance over a Voxlet's stream() and an audio
// player. Synthesis streams chunk by chunk into the player while earlier chunks
// play; word boundaries and marks fire when playback reaches them (the player
// reports samples played), not when they are synthesized.
//
//   const u = tts.speak('Hello <mark name="x"/> world', { rate: 1.1 });
//   u.addEventListener('boundary', (e) => highlight(e.detail.charStart, e.detail.charEnd));
//   u.pause(); u.resume(); u.cancel();
//   const { audio, sampleRate, words } = await u.done;
//
// Events: start, boundary (detail: a timed word), mark (detail: {name, time}),
// pause, resume, end (detail: {cancelled, underruns}), error (detail: {error}).
import { concatAudio } from './audio-assembly.js';
import { VoxletError } from './errors.js';

export class Utterance extends EventTarget {
  #tts;
  #text;
  #options;
  #player = null;
  #stream = null;
  #state = 'pending'; // pending | speaking | paused | ended
  #cancelled = false;
  #due = []; // boundary/mark events not yet fired, in time order
  #settle;
  #started = false;

  /** @internal use tts.speak() */
  constructor(tts, text, options) {
    super();
    this.#tts = tts;
    this.#text = text;
    this.#options = options;
    this.done = new Promise((resolve, reject) => (this.#settle = { resolve, reject }));
    this.done.catch(() => {}); // the error event reports it; an unawaited done must not be "unhandled"
  }

  get text() {
    return this.#text;
  }

  /** pending | speaking | paused | ended */
  get state() {
    return this.#state;
  }

  pause() {
    if (this.#state !== 'speaking') return;
    this.#state = 'paused';
    this.#player?.pause();
    this.#emit('pause');
  }

  resume() {
    if (this.#state !== 'paused') return;
    this.#state = 'speaking';
    this.#player?.resume();
    this.#emit('resume');
  }

  /** Stops playback and synthesis at once; `end` fires with cancelled: true. */
  cancel() {
    if (this.#state === 'ended' || this.#cancelled) return;
    this.#cancelled = true;
    this.#player?.stop();
    this.#stream?.return(); // stops the front end and inference after the chunk in flight
    this.#finish({ cancelled: true, underruns: 0 });
  }

  /**
   * @internal Runs the utterance on a player handle from AudioPlayer.create()
   * (or any object with the same members).
   */
  async run(playerHandle) {
    if (this.#cancelled) return;
    const parts = [];
    const words = [];
    const marks = [];
    try {
      this.#stream = this.#tts.stream(this.#text, { ...this.#options, sampleRate: playerHandle.sampleRate });
      const player = await playerHandle.ready;
      if (this.#cancelled) return;
      this.#player = player;
      const ended = new Promise((resolve) => player.begin((position) => this.#onPosition(position), resolve));
      this.#state = this.#state === 'pending' ? 'speaking' : this.#state;
      for await (const chunk of this.#stream) {
        if (this.#cancelled) return;
        parts.push(chunk.audio.slice());
        words.push(...chunk.words);
        marks.push(...chunk.marks);
        this.#schedule(chunk);
        player.enqueue(chunk.audio);
      }
      if (this.#cancelled) return;
      player.finish();
      const { underruns } = await ended;
      if (this.#cancelled) return;
      this.#fireDue(Infinity);
      this.#finish({ cancelled: false, underruns }, { audio: concatAudio(parts), sampleRate: playerHandle.sampleRate, words, marks });
    } catch (cause) {
      this.#fail(cause);
    }
  }

  #schedule(chunk) {
    // Marks first: a mark written before a word fires before it when their times tie (stable sort).
    for (const mark of chunk.marks) this.#due.push({ time: mark.time, type: 'mark', detail: mark });
    for (const word of chunk.words) this.#due.push({ time: word.start, type: 'boundary', detail: word });
    this.#due.sort((a, b) => a.time - b.time);
  }

  #onPosition({ played }) {
    if (this.#state === 'ended') return;
    if (played > 0 && !this.#started) {
      this.#started = true;
      this.#emit('start');
    }
    this.#fireDue(played / this.#player.sampleRate);
  }

  #fireDue(seconds) {
    while (this.#due.length && this.#due[0].time <= seconds) {
      const { type, detail } = this.#due.shift();
      this.#emit(type, detail);
    }
  }

  #finish(detail, result = { audio: new Float32Array(0), sampleRate: 0, words: [], marks: [] }) {
    if (this.#state === 'ended') return;
    if (!this.#started && !detail.cancelled) {
      this.#started = true;
      this.#emit('start'); // an utterance with no audio (only a pause) still starts and ends
    }
    this.#state = 'ended';
    this.#emit('end', detail);
    this.#settle.resolve({ ...result, cancelled: detail.cancelled });
  }

  #fail(cause) {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    this.#player?.stop();
    const error = cause instanceof VoxletError ? cause : new VoxletError('SPEAK_FAILED', `speak() failed: ${cause?.message ?? cause}`, { cause });
    this.#emit('error', { error });
    this.#settle.reject(error);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/**
 * Queues an utterance on a tts object (Voxlet or its Worker proxy): utterances
 * play one after another, as in the Web Speech API.
 * @param {{ stream: Function }} tts
 * @param {{ queue: Promise<void>, playerHandle?: object }} speech  per-tts state, updated here
 * @param {object} options  synthesis options, plus `player`: a handle {sampleRate, ready: Promise<player>}
 *   to play somewhere else than the default AudioContext
 */
export function speakOn(tts, speech, text, options = {}) {
  const { player: customPlayer, ...synthesisOptions } = options;
  const playerHandle = customPlayer ?? (speech.playerHandle ??= createPlayerHandle());
  const utterance = new Utterance(tts, text, synthesisOptions);
  speech.queue = speech.queue.then(() => utterance.run(playerHandle)).catch(() => {});
  return utterance;
}

// The AudioContext is made synchronously, inside the caller's user gesture
// (autoplay policy); the worklet loads while synthesis already runs.
function createPlayerHandle() {
  if (typeof globalThis.AudioContext !== 'function') {
    throw new VoxletError(
      'UNSUPPORTED_ENVIRONMENT',
      'speak() plays through Web Audio, which this environment lacks; use synthesize() or stream() (and toWav()) instead',
    );
  }
  const context = new AudioContext({ latencyHint: 'interactive' });
  const ready = import('./audio/player.js').then(({ AudioPlayer }) => AudioPlayer.create({ context }).ready);
  return { sampleRate: context.sampleRate, context, ready };
}
