// Vite, unmodified (no plugin, no copied files): a production build served by `vite preview`
// with and without COOP/COEP, and the dev server: examples/vite as a user copies it (its config
// only sets the COOP/COEP headers; VOXLET_ISOLATE=0 leaves them out).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import path from 'node:path';
import { BIN, assertSpoke, consumerSkip, exampleFiles, freePort, runIn, speakInChromium, startProcess, useConsumerProject } from './support.mjs';

describe('Vite consumer (from the packed tarball)', { skip: consumerSkip, timeout: 300_000 }, () => {
  const started = useConsumerProject(exampleFiles('vite'));

  async function speakFrom(command, { isolate }) {
    const port = await freePort();
    const server = startProcess(started.project.dir, path.join(BIN, 'vite'), [command, '--port', String(port), '--strictPort', '--host', '127.0.0.1'], /http:\/\/127\.0\.0\.1:\d+\//);
    try {
      await server.started;
      return await speakInChromium(started.browser, `http://127.0.0.1:${port}/`);
    } finally {
      server.stop();
    }
  }

  test('vite build emits the engine, lexicon, voice and ORT wasm, and no node: import', async () => {
    await runIn(started.project.dir, path.join(BIN, 'vite'), ['build']);
    const { stdout } = await runIn(started.project.dir, 'ls', ['-R', 'dist']);
    for (const name of [/voxlet-engine-simd-\w+\.wasm/, /voxlet-engine-simd-threads-\w+\.wasm/, /en_us-\w+\.voxlex/, /model-\w+\.onnx/, /model\.int8-weights-\w+\.onnx/, /ort-wasm-simd-threaded-\w+\.wasm/]) {
      assert.match(stdout, name);
    }
    const { stdout: nodeImports } = await runIn(started.project.dir, 'sh', ['-c', "grep -l 'from \"node:\\|import(\"node:\\|require(\"node:' -r dist || true"]);
    assert.equal(nodeImports.trim(), '', `node: imports in the browser bundle: ${nodeImports}`);
  });

  for (const isolate of [true, false]) {
    test(`vite preview ${isolate ? 'with' : 'without'} COOP/COEP speaks`, async () => {
      process.env.VOXLET_ISOLATE = isolate ? '1' : '0';
      assertSpoke(assert, await speakFrom('preview', { isolate }), { isolated: isolate });
    });
  }

  test('vite dev server speaks (isolated)', async () => {
    process.env.VOXLET_ISOLATE = '1';
    assertSpoke(assert, await speakFrom('serve', { isolate: true }), { isolated: true });
  });
});
