// Consumer tests: the package as users get it. The tarball comes from `npm pack` of web/;
// each project is a fresh folder outside the repository that installs it with npm (from the
// npm cache that scripts/setup filled: no network where it can be avoided), bundles it with
// an unmodified bundler, and speaks in headless Chromium.
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB = path.join(ROOT, 'web');
/** Bundlers and TypeScript are the repository's dev dependencies, run on the consumer folder. */
export const BIN = path.join(WEB, 'node_modules/.bin');
const { chromium } = createRequire(path.join(WEB, 'package.json'))('playwright-core');
const CHROMIUM = process.env.VOXLET_CHROMIUM ?? '/usr/bin/chromium';

export const consumerSkip = !existsSync(CHROMIUM)
  ? `Chromium is not installed at ${CHROMIUM} (scripts/setup)`
  : !existsSync(path.join(WEB, 'dist/voices/voxlet-en-us-slt/voice.json'))
    ? 'the package is not built (scripts/build)'
    : false;

/** Packs web/ into a temporary folder; returns the tarball's path and npm's report. */
export async function packPackage() {
  const destination = mkdtempSync(path.join(tmpdir(), 'voxlet-pack-'));
  // VOXLET_PACK_DIR: pack another checkout's web/ (e.g. a git worktree of a commit).
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], { cwd: process.env.VOXLET_PACK_DIR ?? WEB, maxBuffer: 1 << 24 });
  const [report] = JSON.parse(stdout);
  return { tarball: path.join(destination, report.filename), report, cleanup: () => rmSync(destination, { recursive: true, force: true }) };
}

/**
 * A fresh project folder with the tarball installed and `files` ({ relative path: text }) written.
 * @returns {Promise<{ dir: string, cleanup(): void }>}
 */
export async function makeProject(tarball, files = {}, packageFields = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'voxlet-consumer-'));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', ...packageFields }, null, 2));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: dir, maxBuffer: 1 << 24 });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Registers before/after hooks in the enclosing describe(): pack the package, make a project
 * with `files` (then `build(dir)` if given) and launch Chromium (`browserArgs`; none when
 * `browser` is false); all removed afterwards. The returned object is filled once `before` ran.
 */
export function useConsumerProject(files, { build, browser = true, browserArgs = [] } = {}) {
  const started = { pack: null, project: null, browser: null };
  before(async () => {
    started.pack = await packPackage();
    started.project = await makeProject(started.pack.tarball, files);
    await build?.(started.project.dir);
    if (browser) started.browser = await launchChromium(browserArgs);
  });
  after(async () => {
    await started.browser?.close();
    started.project?.cleanup();
    started.pack?.cleanup();
  });
  return started;
}

/** Serves `folder` (cross-origin isolated or not) and asserts the app there speaks. */
export async function assertFolderSpeaks(assert, browser, folder, { isolate }) {
  const server = await serveFolder(folder, { isolate });
  try {
    assertSpoke(assert, await speakInChromium(browser, server.url), { isolated: isolate });
  } finally {
    await server.close();
  }
}

/** Runs a command in a project; rejects with its output when it fails. */
export async function runIn(dir, command, args, options = {}) {
  try {
    const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }; // plain output under CI=true too
    return await run(command, args, { cwd: dir, env, maxBuffer: 1 << 26, timeout: 300_000, ...options });
  } catch (error) {
    throw new Error(`${command} ${args.join(' ')} failed in ${dir}:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  }
}

/**
 * A long-running command (a dev or preview server) until `ready` matches its output, which is
 * read without colours (CI=true makes tools colour it, splitting "host:port" with escape codes).
 * Rejects when it exits first or is not ready within `timeoutMs`.
 */
export function startProcess(dir, command, args, ready, { timeoutMs = 120_000 } = {}) {
  const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  const child = spawn(command, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} was not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (data) => {
      output += String(data).replace(/\x1b\[[0-9;]*m/g, '');
      const match = output.match(ready);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}) before it was ready:\n${output}`));
    });
  });
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  };
  return { started, stop, output: () => output };
}

/** COOP/COEP: what makes a page cross-origin isolated (WASM threads). */
export const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css' };

/** A static server for a folder on 127.0.0.1 (a free port), optionally cross-origin isolated. */
export async function serveFolder(root, { isolate = false } = {}) {
  const server = createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    let file = path.join(root, urlPath);
    if (!file.startsWith(root)) return response.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) return response.writeHead(404).end();
    const headers = { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', ...(isolate ? ISOLATION_HEADERS : {}) };
    response.writeHead(200, headers).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A port that was free a moment ago, for servers that take a port number. */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'];

export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, ...extraArgs] });
}

/**
 * Opens `url` and waits for the app's `window.voxletResult` (see APP_SOURCE).
 * @returns {Promise<{ result: object, problems: string[] }>}
 */
export async function speakInChromium(browser, url, { timeout = 180_000 } = {}) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.voxletResult !== undefined, null, { timeout });
    return { result: await page.evaluate(() => window.voxletResult), problems, page };
  } catch (error) {
    throw new Error(`${url}: ${error.message}\n${problems.join('\n')}`);
  }
}

/** The app every consumer runs: examples/plain-page/main.js (one sentence, the built-in voice). */
export const APP_SOURCE = readFileSync(path.join(ROOT, 'examples/plain-page/main.js'), 'utf8');

/**
 * An example's files ({ relative path: text }), as a user copies them: examples/NAME/ without
 * its README and package.json (the test project has its own, with the packed tarball).
 */
export function exampleFiles(name) {
  const folder = path.join(ROOT, 'examples', name);
  const files = {};
  for (const entry of readdirSync(folder, { recursive: true })) {
    const file = path.join(folder, entry);
    if (statSync(file).isDirectory() || ['README.md', 'package.json'].includes(entry)) continue;
    files[entry] = readFileSync(file, 'utf8');
  }
  return files;
}

/** What every consumer must show: speech (length, energy), word boundaries, threads as isolation allows. */
export function assertSpoke(assert, { result, problems }, { isolated }) {
  assert.equal(result.error, undefined, `${result.error}\n${problems.join('\n')}`);
  assert.equal(result.sampleRate, 22050);
  assert.ok(result.samples / result.sampleRate > 0.8, `${result.samples} samples is too short for five words`);
  assert.ok(result.rms > 0.02, `rms ${result.rms}: silent`);
  assert.deepEqual(result.words.map((word) => word.text.toLowerCase()), ['hello', 'from', 'a', 'bundled', 'app']);
  for (const word of result.words) assert.ok(word.end > word.start, JSON.stringify(word));
  assert.equal(result.isolated, isolated);
  if (isolated) {
    assert.ok(result.threads >= 2, `isolated page ran ${result.threads} thread(s)`);
    assert.equal(result.engine, 'voxlet-engine-simd-threads');
    assert.equal(result.note, null);
  } else {
    assert.equal(result.threads, 1);
    assert.equal(result.engine, 'voxlet-engine-simd');
    assert.match(result.note, /not cross-origin isolated, so WASM runs on one thread/);
  }
}
