// examples/electron's renderer page, as Electron would load it (its binary cannot be downloaded
// here): from file:// with the file access Electron grants (one thread, said in isolationNote),
// and from a server that answers exactly as its app:// scheme handler does (resolveAppRequest:
// COOP/COEP, so WASM threads). Speech comes out through speak(), with word boundaries.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import { consumerSkip, exampleFiles, useConsumerProject } from './support.mjs';

async function serveLikeAppScheme(root) {
  const { resolveAppRequest } = await import(pathToFileURL(path.join(root, 'app-scheme.mjs')).href);
  const server = createServer((request, response) => {
    const { file, status, headers } = resolveAppRequest(`http://127.0.0.1${request.url}`, root);
    try {
      response.writeHead(status, headers).end(file ? readFileSync(file) : undefined);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/index.html`, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function speakInRenderer(browser, url) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.voxletApp !== undefined, null, { timeout: 60_000 });
    await page.evaluate(() => window.voxletApp.ready);
    const status = await page.textContent('#status');
    return { ...(await page.evaluate(() => window.voxletApp.speak('Hello from Electron.'))), status, problems };
  } finally {
    await page.close();
  }
}

describe('examples/electron renderer (from the packed tarball)', { skip: consumerSkip, timeout: 300_000 }, () => {
  const started = useConsumerProject(exampleFiles('electron'), { browserArgs: ['--allow-file-access-from-files'] });

  test('from file:// it speaks on one thread and says why', async () => {
    const result = await speakInRenderer(started.browser, pathToFileURL(path.join(started.project.dir, 'index.html')).href);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.words, ['Hello', 'from', 'Electron']);
    assert.equal(result.threads, 1);
    assert.equal(result.isolated, false);
    assert.match(result.note, /file:\/\/ page is not cross-origin isolated, so WASM runs on one thread/);
    assert.equal(result.status, result.note, 'the page shows the note');
  });

  test('over the app scheme (COOP/COEP) it speaks with WASM threads', async () => {
    const server = await serveLikeAppScheme(started.project.dir);
    try {
      const result = await speakInRenderer(started.browser, server.url);
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.words, ['Hello', 'from', 'Electron']);
      assert.equal(result.isolated, true);
      assert.ok(result.threads >= 2, `${result.threads} thread(s)`);
      assert.equal(result.note, null);
    } finally {
      await server.close();
    }
  });
});
