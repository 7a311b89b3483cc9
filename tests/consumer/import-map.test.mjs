// No bundler: a plain page with <script type="module"> and an import map pointing into the
// unpacked package and onnxruntime-web, served as installed (node_modules/ next to the page):
// examples/plain-page as a user copies it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertFolderSpeaks, consumerSkip, exampleFiles, useConsumerProject } from './support.mjs';

describe('plain page with an import map (from the packed tarball)', { skip: consumerSkip, timeout: 300_000 }, () => {
  const started = useConsumerProject(exampleFiles('plain-page'));

  for (const isolate of [true, false]) {
    test(`speaks ${isolate ? 'with' : 'without'} COOP/COEP`, () => assertFolderSpeaks(assert, started.browser, started.project.dir, { isolate }));
  }
});
