// examples/reader: `import 'voxlet/reader'` and one element, built by Vite with no config and
// played in Chromium: the built-in voice speaks and each boundary's range is the word spoken.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { BIN, consumerSkip, exampleFiles, runIn, serveFolder, useConsumerProject } from './support.mjs';

describe('<voxlet-reader> from the packed tarball, built by Vite', { skip: consumerSkip, timeout: 300_000 }, () => {
  const started = useConsumerProject(exampleFiles('reader'), { build: (dir) => runIn(dir, path.join(BIN, 'vite'), ['build']) });

  test('plays the article with the built-in voice, one boundary per word in order', async () => {
    const server = await serveFolder(path.join(started.project.dir, 'dist'), { isolate: true });
    const page = await started.browser.newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto(server.url);
      await page.waitForFunction(() => customElements.get('voxlet-reader') !== undefined);
      const spoken = await page.evaluate(
        () =>
          new Promise((resolve, reject) => {
            const reader = document.querySelector('voxlet-reader');
            const words = [];
            reader.addEventListener('boundary', (event) => words.push(event.detail.range.toString()));
            reader.addEventListener('end', () => resolve(words));
            reader.addEventListener('error', (event) => reject(new Error(String(event.detail?.error?.message ?? event.detail?.message))));
            reader.play();
          }),
      );
      assert.deepEqual(problems, []);
      assert.deepEqual(spoken, ['Voxlet', 'reads', 'this', 'page', 'aloud', 'and', 'marks', 'each', 'word', 'as', 'it', 'is', 'spoken']);
    } finally {
      await page.close();
      await server.close();
    }
  });
});
