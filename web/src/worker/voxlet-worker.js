// The Worker that runs Voxlet off the page thread: the engine WASM and the ONNX
// Runtime session live here; the page's WorkerVoxlet only posts messages (see
// protocol.js). Streams run ahead of the reader by a few chunks (credit), so
// inference of the next chunk overlaps playback of this one.
import { HELD_STREAM, Voxlet } from '../voxlet.js';
import { ownBuffer } from '../transfer.js';
import { errorToMessage } from './protocol.js';
import { workerScope } from './port.js';

let tts = null;
const streams = new Map(); // id -> { credit, wake, cancelled }

let scope = null;

// No top-level await: bundlers build workers as classic scripts by default (Vite: iife), which
// cannot have one. Messages wait for the handler: a page's are delivered as tasks, after this
// promise settles; a Node worker's port queues them until a listener is attached.
// A bundler that builds this worker as one classic script (Vite's default) inlines ONNX Runtime
// into it, so ORT's thread pool starts copies of this very script, named "em-pthread": those
// become ORT threads (of its WASM build, which owns the pool) and run nothing of Voxlet's.
const isOrtThread = globalThis.self?.name?.startsWith('em-pthread');
if (isOrtThread) import('onnxruntime-web/wasm');
else workerScope().then((ready) => {
  scope = ready;
  scope.onmessage = (event) => {
    const message = event.data;
    const handler = HANDLERS[message.type];
    if (!handler) return reply(message.id, 'error', { error: { code: 'INTERNAL', message: `Unknown message "${message.type}"` } });
    Promise.resolve()
      .then(() => handler(message))
      .catch((error) => reply(message.id, 'error', { error: errorToMessage(error) }));
  };
});

const HANDLERS = {
  async create({ id, options: { lifeLock, ...options } }) {
    tts = await Voxlet.create({ ...options, worker: false });
    await holdUntilExit(lifeLock);
    reply(id, 'result', { value: { backend: tts.backend, threads: tts.threads, engineVariant: tts.engineVariant, backendWarning: tts.backendWarning, isolationNote: tts.isolationNote } });
  },
  async applyPlan({ id, plan }) {
    const applied = await requireTts().applyPlan(plan);
    reply(id, 'result', { value: { plan: applied, voice: tts.voice } });
  },
  async loadVoice({ id, source, options }) {
    const onProgress = options.progress ? (progress) => reply(id, 'progress', { progress }) : undefined;
    const info = await requireTts().loadVoice(source, { ...options, onProgress });
    reply(id, 'result', { value: info });
  },
  // Held (not pre-empted here) while it waits for credit: the page applies the turn rule to
  // its reader and sends `cancel` when the stream is pre-empted or dropped (worker-client.js).
  async stream({ id, text, options, ahead }) {
    const state = { credit: ahead, wake: null, cancelled: false };
    streams.set(id, state);
    try {
      for await (const chunk of requireTts().stream(text, { ...options, [HELD_STREAM]: true })) {
        const audio = ownBuffer(chunk.audio);
        // backend/fallbacks: a run fault may have moved the voice to WASM (fallback.js); the page mirrors it.
        reply(id, 'chunk', { chunk: { ...chunk, audio }, backend: tts.backend, fallbacks: tts.fallbacks }, [audio.buffer]);
        state.credit--;
        while (state.credit <= 0 && !state.cancelled) await new Promise((resolve) => (state.wake = resolve));
        if (state.cancelled) return; // leaving the loop stops the front end and inference
      }
      reply(id, 'end', {});
    } finally {
      streams.delete(id);
    }
  },
  credit({ id }) {
    const state = streams.get(id);
    if (!state) return;
    state.credit++;
    state.wake?.();
  },
  cancel({ id }) {
    const state = streams.get(id);
    if (!state) return;
    state.cancelled = true;
    state.wake?.();
  },
  async toWav({ id, audio, sampleRate }) {
    const bytes = ownBuffer(await requireTts().toWav(audio, sampleRate));
    reply(id, 'result', { value: bytes }, [bytes.buffer]);
  },
  async memoryUsage({ id }) {
    reply(id, 'result', { value: await requireTts().memoryUsage() });
  },
  async planFor({ id, source, options }) {
    reply(id, 'result', { value: await requireTts().planFor(source, options) });
  },
  async tune({ id, options }) {
    const plan = await requireTts().tune(options);
    reply(id, 'result', { value: { plan, voice: tts.voice } });
  },
  async dispose({ id }) {
    await tts?.dispose();
    tts = null;
    reply(id, 'result', { value: null });
  },
};

// A Web Lock held as long as this worker lives: the page asks for the same lock and is granted it
// when the worker ends — terminated, crashed, or killed for memory — which browsers otherwise
// do not report (a Node worker thread has its exit event instead).
function holdUntilExit(name) {
  if (!name || !globalThis.navigator?.locks) return undefined;
  return new Promise((held) => globalThis.navigator.locks.request(name, () => (held(), new Promise(() => {}))));
}

function requireTts() {
  if (!tts) throw Object.assign(new Error('The worker has no Voxlet yet'), { code: 'FAILED_PRECONDITION' });
  return tts;
}

function reply(id, type, fields, transfer = []) {
  scope.postMessage({ type, id, ...fields }, transfer);
}
