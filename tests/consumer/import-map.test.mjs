// No bundler: a plain page with <script type="module"> and an import map pointing into the
// unpacked package and onnxruntime-web, served as installed (node_modules/ next to the page).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { APP_SOURCE, assertSpoke, consumerSkip, launchChromium, makeProject, packPackage, serveFolder, speakInChromium } from './support.mjs';

// The same import map as the README's "Plain page" example.
export const IMPORT_MAP_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>import map consumer</title><link rel="icon" href="data:,">
<script type="importmap">
{ "imports": {
    "voxlet": "./node_modules/voxlet/src/index.js",
    "onnxruntime-web/wasm": "./node_modules/onnxruntime-web/dist/ort.wasm.min.mjs",
    "onnxruntime-web/webgpu": "./node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs" } }
</script></head>
<body><script type="module" src="./main.js"></script></body></html>
`;

describe('plain page with an import map (from the packed tarball)', { skip: consumerSkip, timeout: 600_000 }, () => {
  let pack, project, browser;
  before(async () => {
    pack = await packPackage();
    project = await makeProject(pack.tarball, { 'index.html': IMPORT_MAP_PAGE, 'main.js': APP_SOURCE });
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
