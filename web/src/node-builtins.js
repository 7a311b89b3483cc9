// Node's built-in modules, for the code paths that run only in Node (file reads, worker
// threads, the device profile). The specifier is made at run time and the import is marked
// ignored, so no bundler follows it into a browser bundle: webpack cannot resolve "node:"
// for the web at all, and Vite would replace it with a stub and a warning.
export function importNodeBuiltin(name) {
  return importIgnored(`node:${name}`);
}

/** An import that bundlers leave alone: for modules only Node loads. */
export function importIgnored(specifier) {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}

/**
 * The Node flags a worker thread may inherit: the parent's, less `--input-type`, which Node
 * applies to a worker's own file and then refuses to run it (ERR_INPUT_TYPE_NOT_ALLOWED) when
 * the parent is `node --input-type=module -e CODE`.
 */
export function workerExecArgv() {
  const flags = [];
  for (let i = 0; i < process.execArgv.length; i++) {
    const flag = process.execArgv[i];
    if (flag === '--input-type') i++; // its value is the next argument
    else if (!flag.startsWith('--input-type=')) flags.push(flag);
  }
  return flags;
}

/**
 * Makes worker threads that are started without `execArgv` get workerExecArgv(), for ONNX
 * Runtime's thread pool, which Voxlet does not start itself: it takes worker_threads.Worker
 * when its WASM instance starts, so call this before. Does nothing unless `--input-type` is set.
 */
export async function allowWorkersUnderInputType() {
  if (workerExecArgv().length === process.execArgv.length) return;
  const workerThreads = (await importNodeBuiltin('worker_threads')).default;
  if (workerThreads.Worker.withoutInputType) return;
  const Base = workerThreads.Worker;
  workerThreads.Worker = class Worker extends Base {
    static withoutInputType = true;
    constructor(url, options = {}) {
      super(url, { execArgv: workerExecArgv(), ...options });
    }
  };
}
