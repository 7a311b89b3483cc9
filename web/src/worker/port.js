// The two ends of Voxlet's worker, the same in browsers and in Node: a module Worker on a page,
// a worker_threads Worker in Node (each has its own ONNX Runtime instance, which is what lets a
// plan's backend and thread count take effect: ORT fixes numThreads once per instance).
// Both ends speak the browser's shape: onmessage({ data }), postMessage(message, transfer).
import { isNode } from '../capabilities.js';
import { importNodeBuiltin, workerExecArgv } from '../node-builtins.js';

/**
 * Starts Voxlet's worker (voxlet-worker.js next to this file). On a page it is the literal
 * `new Worker(new URL(...), { type: 'module' })` that Vite and webpack recognise, so they build
 * the worker as its own chunk; Node gets a worker thread on the same file. `url`: where the
 * worker script is served instead, for bundlers that do not emit it (esbuild, Rollup).
 */
export async function startVoxletWorker(url) {
  if (!isNode() && url) return new Worker(url, { type: 'module', name: 'voxlet' });
  if (!isNode()) return new Worker(new URL('./voxlet-worker.js', import.meta.url), { type: 'module', name: 'voxlet' });
  const here = import.meta.url; // not the literal form above: bundlers must not emit this one
  return startNodeWorker(new URL('./voxlet-worker.js', here));
}

async function startNodeWorker(url) {
  const { Worker: NodeWorker } = await importNodeBuiltin('worker_threads');
  // The parent's flags (--no-experimental-fetch, which the engine's glue needs) go along by default.
  const worker = new NodeWorker(url, { name: 'voxlet', execArgv: workerExecArgv() });
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
  // A thread that ends (terminate(), process.exit, a fatal error) fails whatever waits on it.
  worker.on('exit', (code) => shaped.onerror?.({ message: `the worker thread exited (code ${code})` }));
  return shaped;
}

/** The worker's end: `self` in a browser Worker, parentPort in a Node worker thread. */
export async function workerScope() {
  if (!isNode()) return self;
  const { parentPort } = await importNodeBuiltin('worker_threads');
  const scope = { onmessage: null, postMessage: (message, transfer) => parentPort.postMessage(message, transfer) };
  parentPort.on('message', (data) => scope.onmessage?.({ data }));
  return scope;
}
