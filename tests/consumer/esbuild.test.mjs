// esbuild (no plugin): examples/esbuild bundles the app; voxlet's Worker and ONNX Runtime are
// served from node_modules/ next to the page (workerUrl, ortUrls), with and without COOP/COEP.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { BIN, assertFolderSpeaks, consumerSkip, exampleFiles, runIn, useConsumerProject } from './support.mjs';

describe('esbuild consumer (from the packed tarball)', { skip: consumerSkip, timeout: 300_000 }, () => {
  const bundle = (dir) => runIn(dir, path.join(BIN, 'esbuild'), ['main.js', '--bundle', '--format=esm', '--outdir=dist']);
  const started = useConsumerProject(exampleFiles('esbuild'), { build: bundle });

  for (const isolate of [true, false]) {
    test(`the esbuild bundle speaks ${isolate ? 'with' : 'without'} COOP/COEP`, () =>
      assertFolderSpeaks(assert, started.browser, started.project.dir, { isolate }));
  }
});
