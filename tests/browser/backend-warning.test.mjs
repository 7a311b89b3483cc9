// WebGPU asked for on a software (fallback) adapter runs, but as CPU emulation far slower than
// WASM: Voxlet says so (tts.backendWarning, and console.warn once per context). Chromium's
// SwiftShader adapter (--enable-unsafe-webgpu) is such an adapter.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSkip, openHarness, useServerAndChromium } from './support.mjs';

describe('backend warning in Chromium', { skip: browserSkip, timeout: 300_000 }, () => {
  const started = useServerAndChromium();

  test('backend "webgpu" on SwiftShader: a warning on the Voxlet (page and Worker), console.warn once; none for wasm or auto', async () => {
    const page = await openHarness(started.browser, started.server);
    const warnings = [];
    page.on('console', (message) => message.type() === 'warning' && /software \(fallback\) adapter/.test(message.text()) && warnings.push(message.text()));
    const run = await page.evaluate(async () => {
      const { Voxlet } = window.voxlet;
      const adapter = await navigator.gpu?.requestAdapter();
      const fallback = Boolean(adapter?.info?.isFallbackAdapter ?? adapter?.isFallbackAdapter);
      const make = async (options) => {
        const tts = await Voxlet.create(options);
        const seen = { backend: tts.backend, warning: tts.backendWarning };
        await tts.dispose();
        return seen;
      };
      return {
        fallback,
        pageFirst: await make({ backend: 'webgpu', worker: false }),
        pageSecond: await make({ backend: 'webgpu', worker: false }),
        worker: await make({ backend: 'webgpu' }),
        wasm: await make({ backend: 'wasm', worker: false }),
        auto: await make({ backend: 'auto' }),
      };
    });
    assert.equal(run.fallback, true, 'Chromium here offers SwiftShader, a fallback adapter');
    for (const name of ['pageFirst', 'pageSecond', 'worker']) {
      assert.equal(run[name].backend, 'webgpu', name);
      assert.match(run[name].warning ?? '', /software \(fallback\) adapter.*CPU emulation.*real-time factor 13\.9.*"wasm"/, name);
    }
    assert.deepEqual(run.wasm, { backend: 'wasm', warning: null });
    assert.deepEqual(run.auto, { backend: 'wasm', warning: null }, 'auto passes the software adapter over, silently');
    // One warning from the page's context and one from the Worker's (each its own module instance).
    assert.equal(warnings.filter((text) => text.startsWith('Voxlet: ')).length, 2, warnings.join('\n'));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
