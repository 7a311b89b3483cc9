// examples/pwa: installable (manifest with name, start_url, display, icon) and offline: after a
// first visit, it speaks again with the server gone, everything answered by its service worker.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertSpoke, consumerSkip, exampleFiles, serveFolder, useConsumerProject } from './support.mjs';

async function resultOf(page) {
  await page.waitForFunction(() => window.voxletResult !== undefined, null, { timeout: 180_000 });
  return page.evaluate(() => window.voxletResult);
}

describe('examples/pwa (from the packed tarball)', { skip: consumerSkip, timeout: 300_000 }, () => {
  const started = useConsumerProject(exampleFiles('pwa'));

  test('speaks, then speaks offline after the server stops', async () => {
    const server = await serveFolder(started.project.dir, { isolate: true });
    const context = await started.browser.newContext();
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto(server.url);
      assertSpoke(assert, { result: await resultOf(page), problems }, { isolated: true });
      const manifest = await page.evaluate(async () => (await fetch(document.querySelector('link[rel=manifest]').href)).json());
      assert.equal(manifest.display, 'standalone');
      assert.ok(manifest.name && manifest.start_url && manifest.icons.length > 0, JSON.stringify(manifest));
      assert.equal(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true);
    } finally {
      await server.close();
    }
    const offline = await page.goto(page.url()).catch((error) => error);
    assert.ok(!(offline instanceof Error), `reload offline failed: ${offline?.message}`);
    assertSpoke(assert, { result: await resultOf(page), problems }, { isolated: true });
    await context.close();
  });
});
