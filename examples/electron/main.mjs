// Electron's main process: serves this folder over app://voxlet/ with COOP/COEP, so the page is
// cross-origin isolated and WASM gets threads (a file:// page works too, on one thread).
// No preload script: the renderer is a plain page that imports voxlet through an import map.
import { app, BrowserWindow, protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { HOST, SCHEME, resolveAppRequest } from './app-scheme.mjs';

const ROOT = fileURLToPath(new URL('.', import.meta.url));

// Before the app is ready: a standard, secure scheme may use fetch(), Workers and Cache Storage.
protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true } }]);

app.whenReady().then(() => {
  protocol.handle(SCHEME, async (request) => {
    const { file, status, headers } = resolveAppRequest(request.url, ROOT);
    if (!file) return new Response('forbidden', { status });
    try {
      return new Response(await readFile(file), { status, headers });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  const window = new BrowserWindow({ width: 800, height: 600 });
  window.loadURL(`${SCHEME}://${HOST}/index.html`);
});

app.on('window-all-closed', () => app.quit());
