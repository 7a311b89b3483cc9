// Node's built-in modules, for the code paths that run only in Node (file reads, worker
// threads, the device profile). The specifier is made at run time and the import is marked
// ignored, so no bundler follows it into a browser bundle: webpack cannot resolve "node:"
// for the web at all, and Vite would replace it with a stub and a warning.
export function importNodeBuiltin(name) {
  const specifier = `node:${name}`;
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}
