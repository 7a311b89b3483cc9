// The two ends of Voxlet's worker, the same in browsers and in Node: a module Worker on a page,
// a worker_threads Worker in Node (each has its own ONNX Runtime instance, which is what lets a
// plan's backend and thread count take effect: ORT fixes numThreads once per instance).
// Both ends speak the browser's shape: onmessage({ data }), postMessage(message, transfer).
import { isNode } from '../capabilities.js';

/** Starts the worker script at `url`. */
export async function startWorker(url, name) {
  if (!isNode()) return new Worker(url, { type: 'module', name });
  const { Worker: NodeWorker } = await import('node:worker_threads');
  // The parent's flags (--no-experimental-fetch, which the engine's glue needs) go along by default.
  const worker = new NodeWorker(url, { name });
  const shaped = {
    onmessage: null,
    onerror: null,
    onmessageerror: null,
    postMessage: (message, transfer) => worker.postMessage(message, transfer),
    terminate: () => worker.terminate(),
  };
  worker.on('message', (data) => shaped.onmessage?.({ data }));
  worker.on('error', (error) => shaped.onerror?.({ message: error.message }));
  worker.on('messageerror', () => shaped.onmessageerror?.());
  return shaped;
}

/** The worker's end: `self` in a browser Worker, parentPort in a Node worker thread. */
export async function workerScope() {
  if (!isNode()) return self;
  const { parentPort } = await import('node:worker_threads');
  const scope = { onmessage: null, postMessage: (message, transfer) => parentPort.postMessage(message, transfer) };
  parentPort.on('message', (data) => scope.onmessage?.({ data }));
  return scope;
}
