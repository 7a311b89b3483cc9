// Gapless playback of streamed chunks through an AudioWorklet (see
// player-worklet.js). One player per Voxlet: one AudioContext, reused across
// utterances. Samples must already be at `sampleRate` (the engine resamples).
//
//   const player = await AudioPlayer.create();
//   player.begin(({ played, underruns }) => ..., () => ...ended);
//   player.enqueue(chunk.audio);  ...  player.finish();
import { VoxletError } from '../errors.js';
import { ownBuffer } from '../transfer.js';

const WORKLET_URL = new URL('./player-worklet.js', import.meta.url);
const JITTER_MS = 40; // queued audio before playback starts: covers a late chunk, adds little latency

export class AudioPlayer {
  #context;
  #node;
  #onPosition = null;
  #onEnded = null;
  #serial = 0;

  constructor(context, node) {
    this.#context = context;
    this.#node = node;
    node.port.onmessage = (event) => this.#receive(event.data);
  }

  /**
   * Creates the AudioContext synchronously (so a call from a click handler
   * counts as a user gesture for autoplay), then loads the worklet.
   * @param {{ context?: AudioContext, jitterMs?: number }} [options]
   */
  static create({ context, jitterMs = JITTER_MS } = {}) {
    if (!context && typeof globalThis.AudioContext !== 'function') {
      throw new VoxletError(
        'UNSUPPORTED_ENVIRONMENT',
        'speak() plays through Web Audio, which this environment lacks; use synthesize() or stream() (and toWav()) instead',
      );
    }
    const audioContext = context ?? new AudioContext({ latencyHint: 'interactive' });
    const ready = audioContext.audioWorklet.addModule(WORKLET_URL.href).then(() => {
      const jitterSamples = Math.round((jitterMs / 1000) * audioContext.sampleRate);
      const node = new AudioWorkletNode(audioContext, 'voxlet-player', {
        numberOfInputs: 0,
        outputChannelCount: [1],
        processorOptions: { jitterSamples },
      });
      node.connect(audioContext.destination);
      return new AudioPlayer(audioContext, node);
    });
    return { sampleRate: audioContext.sampleRate, context: audioContext, ready };
  }

  get sampleRate() {
    return this.#context.sampleRate;
  }

  get context() {
    return this.#context;
  }

  /** Starts a new utterance; position reports and the end go to the callbacks. */
  async begin(onPosition, onEnded) {
    this.#onPosition = onPosition;
    this.#onEnded = onEnded;
    this.#node.port.postMessage({ type: 'begin', serial: ++this.#serial });
    if (this.#context.state !== 'running') await this.#context.resume();
  }

  /** Queues samples (the buffer is transferred: the caller must not use it afterwards). */
  enqueue(samples) {
    const own = ownBuffer(samples);
    this.#node.port.postMessage({ type: 'samples', samples: own }, [own.buffer]);
  }

  /** No more samples for this utterance: play out what is queued, then end. */
  finish() {
    this.#node.port.postMessage({ type: 'finish' });
  }

  pause() {
    this.#node.port.postMessage({ type: 'pause' });
  }

  resume() {
    this.#node.port.postMessage({ type: 'resume' });
  }

  /** Drops what is queued and goes silent at once; the utterance's end callback runs (stopped: true). */
  stop() {
    this.#node.port.postMessage({ type: 'stop' });
    const onEnded = this.#onEnded;
    this.#onPosition = null;
    this.#onEnded = null;
    onEnded?.({ played: 0, underruns: 0, stopped: true }); // whoever awaits the end must not wait forever
  }

  #receive(message) {
    if (message.serial !== this.#serial) return; // a report from a stopped utterance
    if (message.type === 'position') this.#onPosition?.(message);
    if (message.type === 'ended') {
      const onEnded = this.#onEnded;
      this.#onPosition?.(message);
      this.#onPosition = null;
      this.#onEnded = null;
      onEnded?.(message);
    }
  }

  async close() {
    this.#node.disconnect();
    await this.#context.close();
  }
}
