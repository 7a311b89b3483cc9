// esbuild (no plugin): examples/esbuild bundles the app; voxlet's Worker and ONNX Runtime are
// served from node_modules/ next to the page (workerUrl, ortUrls), with and without COOP/COEP.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BIN, assertSpoke, consumerSkip, exampleFiles, launchChromium, makeProject, packPackage, runIn, serveFolder, speakInChromium } from './support.mjs';

describe('esbuild consumer (from the packed tarball)', { skip: consumerSkip, timeout: 600_000 }, () => {
  let pack, project, browser;
  before(async () => {
    pack = await packPackage();
    project = await makeProject(pack.tarball, exampleFiles('esbuild'));
    await runIn(project.dir, path.join(BIN, 'esbuild'), ['main.js', '--bundle', '--format=esm', '--outdir=dist']);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    project?.cleanup();
    pack?.cleanup();
  });

  for (const isolate of [true, false]) {
    test(`the esbuild bundle speaks ${isolate ? 'with' : 'without'} COOP/COEP`, async () => {
      const server = await serveFolder(project.dir, { isolate });
      try {
        assertSpoke(assert, await speakInChromium(browser, server.url), { isolated: isolate });
      } finally {
        await server.close();
      }
    });
  }
});
