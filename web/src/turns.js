// One synthesis at a time per Voxlet (the engine holds one front-end state and one audio
// pipeline), without ever waiting on a consumer that went away.
//
// The rule (documented on Voxlet.stream, in index.d.ts and the README):
// - Calls take turns in order. A turn is held while its call works: front end, inference,
//   post-processing, or a voice switch.
// - A stream() also holds its turn between chunks, while its consumer has a chunk and has
//   not asked for the next one (the stream is *suspended*). If another call is waiting and
//   the stream is still suspended once the event loop has turned (a macrotask: a consumer
//   that asks for the next chunk without waiting on timers, I/O or other calls keeps its
//   turn), that call pre-empts the stream: the stream is cancelled, and its next next()
//   rejects with VoxletError PREEMPTED naming the call. A stream that is dropped unfinished
//   therefore never blocks the Voxlet.
// - synthesize() and speak() consume their own chunks at once, so they are never suspended:
//   calls made meanwhile wait for them.
// - An AbortSignal ends a waiting call at once (ABORTED) and a running one at its next
//   chunk boundary; dispose() fails waiting calls with DISPOSED and ends the running one at
//   its next chunk boundary.
import { VoxletError } from './errors.js';

export class Turns {
  #holder = null;
  #waiting = [];
  #closed = null; // () => the error later calls get
  #idle = null; // resolves when the holder releases (dispose waits for it)

  /**
   * Resolves with this call's turn once every earlier call is done (or pre-empted).
   * @param {string} name  the call, e.g. 'synthesize()': named in a pre-empted stream's error
   * @param {{signal?: AbortSignal, preemptible?: boolean, onPreempt?: () => void}} [options]
   *   onPreempt: called when the call is pre-empted or ended by close() while suspended (to
   *   cancel work it started elsewhere, e.g. in a Worker)
   * @returns {Promise<Turn>}
   */
  acquire(name, { signal, preemptible = false, onPreempt } = {}) {
    if (this.#closed) return Promise.reject(this.#closed());
    if (signal?.aborted) return Promise.reject(abortError(signal, name));
    return new Promise((resolve, reject) => {
      const waiter = { name, preemptible, onPreempt, resolve, reject };
      if (signal) {
        waiter.onAbort = () => {
          this.#waiting = this.#waiting.filter((w) => w !== waiter);
          reject(abortError(signal, name));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
        waiter.signal = signal;
      }
      this.#waiting.push(waiter);
      this.#schedule();
    });
  }

  /**
   * No further turns: waiting calls fail with `error`, a suspended stream is pre-empted at
   * once, and the promise resolves when the running call (if any) has released its turn.
   */
  close(error) {
    this.#closed ??= () => error;
    for (const waiter of this.#waiting.splice(0)) {
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(error);
    }
    if (!this.#holder) return Promise.resolve();
    if (this.#holder.suspended) this.#holder.preempt(null);
    return this.#idle ?? Promise.resolve();
  }

  #schedule() {
    if (!this.#holder) return this.#grantNext();
    const holder = this.#holder;
    if (!holder.suspended || !holder.preemptible || !this.#waiting.length) return;
    const epoch = holder.epoch;
    // One macrotask of grace: a consumer that is still pulling asks for its next chunk first.
    setTimeout(() => {
      if (this.#holder === holder && holder.suspended && holder.epoch === epoch && this.#waiting.length) holder.preempt(this.#waiting[0].name);
    }, 0);
  }

  #grantNext() {
    const waiter = this.#waiting.shift();
    if (!waiter) return;
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    this.#holder = this.#makeTurn(waiter);
    let idle;
    this.#idle = new Promise((resolve) => (idle = resolve));
    this.#holder.onRelease = idle;
    waiter.resolve(this.#holder);
  }

  #makeTurn({ name, preemptible, signal, onPreempt }) {
    const turns = this;
    const turn = {
      name,
      preemptible,
      suspended: false,
      epoch: 0,
      released: false,
      preemptedBy: undefined, // a call's name, or null when dispose() ended it
      // The consumer has the chunk; others may pre-empt once the event loop turns.
      suspend() {
        turn.suspended = true;
        turn.epoch++;
        turns.#schedule();
      },
      // Between steps of the call: throws when it was pre-empted, aborted or disposed.
      check() {
        if (turn.preemptedBy !== undefined) throw preemptedError(name, turn.preemptedBy);
        if (signal?.aborted) throw abortError(signal, name);
        if (turns.#closed) throw turns.#closed();
        turn.suspended = false;
      },
      preempt(by) {
        turn.preemptedBy = by;
        onPreempt?.();
        turn.release();
      },
      release() {
        if (turn.released) return;
        turn.released = true;
        turns.#holder = null;
        turn.onRelease?.();
        turns.#schedule();
      },
    };
    return turn;
  }
}

function preemptedError(name, by) {
  if (by === null) return new VoxletError('DISPOSED', `This ${name} was ended by dispose(); create another Voxlet to synthesize again`);
  return new VoxletError(
    'PREEMPTED',
    `This ${name} was pre-empted by a later ${by} on the same Voxlet while it waited for its consumer to ask for the next chunk. ` +
      'A Voxlet runs one synthesis at a time: finish (or break out of) a stream before starting another call, or use a second Voxlet',
  );
}

/** The error for a call ended by its AbortSignal: code ABORTED, the signal's reason as cause. */
export function abortError(signal, name) {
  const reason = signal.reason;
  const why = reason instanceof Error ? reason.message : reason === undefined ? 'no reason given' : String(reason);
  return new VoxletError('ABORTED', `${name} was aborted by its signal (${why})`, { cause: reason });
}
