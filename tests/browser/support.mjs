// Shared setup for the browser suites: the repository's own static server
// (COOP/COEP, so pages are cross-origin isolated) and Debian's Chromium driven
// by playwright-core. The harness page imports the package and nothing else.
import { existsSync } from 'node:fs';
import { after, before } from 'node:test';
import { createRequire } from 'node:module';
import { startServer } from '../../scripts/serve.mjs';

// playwright-core is a dev dependency of the package in web/ (tests/ has no node_modules).
const { chromium } = createRequire(new URL('../../web/package.json', import.meta.url))('playwright-core');

export const CHROMIUM = process.env.VOXLET_CHROMIUM ?? '/usr/bin/chromium';
export const DEFAULT_VOICE = '/models/voxlet-en-us-slt/voice.json';
export const HARNESS = '/tests/browser/pages/harness.html';

/** A skip reason when Chromium or the built engine is missing, else false. */
export const browserSkip = !existsSync(CHROMIUM)
  ? `Chromium is not installed at ${CHROMIUM} (Debian package chromium; scripts/setup)`
  : !existsSync(new URL('../../web/dist/engine/voxlet-engine-simd.wasm', import.meta.url))
    ? 'the engine is not built (scripts/build)'
    : false;

// Flags from the platform notes: SwiftShader WebGPU adapter, no network chatter.
const ARGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** The repo server on a free port; `isolate: false` acts like a plain static host. */
export function startTestServer(options = {}) {
  return startServer({ port: 0, extraPrefixes: ['/tests/browser/pages/'], ...options });
}

/**
 * Opens the harness in a fresh context; page errors and console errors are
 * collected in `page.problems` so tests can assert there were none.
 */
export async function openHarness(browser, server) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console: ${message.text()}`);
  });
  await page.goto(server.url.replace(/\/?$/, '') + HARNESS);
  await page.waitForFunction(() => window.harnessReady === true);
  return page;
}

/**
 * Registers before/after hooks in the enclosing describe(): a test server and Chromium,
 * closed afterwards. The returned object's `server` and `browser` are set once `before` ran.
 */
export function useServerAndChromium() {
  const started = { server: null, browser: null };
  before(async () => {
    started.server = await startTestServer();
    started.browser = await launchChromium();
  });
  after(async () => {
    await started.browser?.close();
    await started.server?.close();
  });
  return started;
}

/** Signal-to-noise ratio of `other` against `reference`, in dB (missing samples count as 0). */
export function snrDb(reference, other) {
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < reference.length; i++) {
    signal += reference[i] ** 2;
    noise += (reference[i] - (other[i] ?? 0)) ** 2;
  }
  return 10 * Math.log10(signal / Math.max(noise, 1e-20));
}

/** Root-mean-square of samples. */
export function rms(samples) {
  let sum = 0;
  for (const value of samples) sum += value * value;
  return Math.sqrt(sum / Math.max(1, samples.length));
}
