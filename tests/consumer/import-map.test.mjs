// No bundler: a plain page with <script type="module"> and an import map pointing into the
// unpacked package and onnxruntime-web, served as installed (node_modules/ next to the page):
// examples/plain-page as a user copies it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertSpoke, exampleFiles, consumerSkip, launchChromium, makeProject, packPackage, serveFolder, speakInChromium } from './support.mjs';

describe('plain page with an import map (from the packed tarball)', { skip: consumerSkip, timeout: 600_000 }, () => {
  let pack, project, browser;
  before(async () => {
    pack = await packPackage();
    project = await makeProject(pack.tarball, exampleFiles('plain-page'));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    project?.cleanup();
    pack?.cleanup();
  });

  for (const isolate of [true, false]) {
    test(`speaks ${isolate ? 'with' : 'without'} COOP/COEP`, async () => {
      const server = await serveFolder(project.dir, { isolate });
      try {
        assertSpoke(assert, await speakInChromium(browser, server.url), { isolated: isolate });
      } finally {
        await server.close();
      }
    });
  }
});
