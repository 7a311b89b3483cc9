// "Add a Piper voice" for the demo: a Piper voice (<name>.onnx + <name>.onnx.json)
// from URLs or from two picked/dropped files, kept in this browser's IndexedDB so
// it is listed again after a reload, offline too. The files are stored as they
// came (config text + model Blob) and loaded with tts.loadVoice({ config, model,
// name }): IndexedDB rather than the voice cache because dropped files have no
// URL, and one store for both kinds keeps one code path.
//
//   const voices = await restorePiperVoices();           // [{ id, name, open() }]
//   const pair = await downloadPiperPair(modelUrl);      // or readPiperFiles(fileList)
//   await savePiperVoice(entry.record);                  // after it loaded once

const DB_NAME = 'voxlet-demo';
const STORE = 'piper-voices';

/** A demo voice entry: picker id and label, and open() → a loadVoice() source. */
export function voiceEntry(record) {
  return {
    id: record.id,
    name: `${record.modelName.replace(/\.onnx$/i, '')} (Piper, added)`,
    added: true,
    record,
    open: async () => ({ config: record.configText, model: record.model, name: record.modelName }),
  };
}

/** The voices added earlier, oldest first ([] when IndexedDB is unavailable). */
export async function restorePiperVoices() {
  let records;
  try {
    records = await withStore('readonly', (store) => store.getAll());
  } catch (error) {
    console.warn('Voxlet demo: added voices cannot be read (IndexedDB unavailable)', error);
    return [];
  }
  return records.sort((a, b) => a.addedAt - b.addedAt).map(voiceEntry);
}

/** Keeps a voice (replacing one of the same id). */
export function savePiperVoice(record) {
  return withStore('readwrite', (store) => store.put(record));
}

/** Forgets a voice. */
export function deletePiperVoice(id) {
  return withStore('readwrite', (store) => store.delete(id));
}

/**
 * Downloads a Piper voice: the model, and its config at `configUrl` or else at
 * the model URL + ".json" (how Piper names them).
 * @returns {Promise<object>} a record for voiceEntry()/savePiperVoice()
 */
export async function downloadPiperPair(modelInput, configInput, base = location.href) {
  const modelUrl = parseUrl(modelInput, base, 'model');
  if (!/\.onnx$/i.test(modelUrl.pathname)) {
    throw demoError('INVALID_ARGUMENT', `${modelUrl.href} does not name a .onnx file. Give the URL of the voice model (<name>.onnx); its config is read from <name>.onnx.json next to it, or from the config URL you give.`);
  }
  const configUrl = configInput?.trim() ? parseUrl(configInput, base, 'config') : new URL(`${modelUrl.href}.json`);
  // The small config first: a wrong address is reported before megabytes of model download.
  const hint = configInput?.trim() ? '' : ' (looked for next to the model; give its URL if it lives elsewhere)';
  const configText = await (await download(configUrl, 'config', hint)).text();
  const model = await (await download(modelUrl, 'model', '')).blob();
  return makeRecord({ modelName: fileName(modelUrl), configText, model, origin: modelUrl.href });
}

/**
 * The two files a user picked or dropped: a .onnx model and its .json config.
 * @param {FileList|File[]} files
 */
export async function readPiperFiles(files) {
  const list = Array.from(files ?? []);
  const model = list.find((file) => /\.onnx$/i.test(file.name));
  const config = list.find((file) => /\.json$/i.test(file.name));
  if (list.length !== 2 || !model || !config) {
    const names = list.map((file) => file.name).join(', ') || 'none';
    throw demoError('INVALID_ARGUMENT', `Choose two files: the voice model (<name>.onnx) and its config (<name>.onnx.json). Got: ${names}.`);
  }
  return makeRecord({ modelName: model.name, configText: await config.text(), model, origin: 'files' });
}

// Checks what can be checked before ONNX Runtime sees the files: the config is a
// JSON object with a phoneme_id_map (everything else: tts.loadVoice() says).
function makeRecord({ modelName, configText, model, origin }) {
  let config;
  try {
    config = JSON.parse(configText);
  } catch (cause) {
    throw demoError('MALFORMED_JSON', `The config for ${modelName} is not JSON (${cause.message}). A Piper voice's config is its <name>.onnx.json file.`);
  }
  if (!config || typeof config !== 'object' || !config.phoneme_id_map) {
    throw demoError('INVALID_CONFIG', `The config for ${modelName} has no phoneme_id_map, so it is not a Piper voice config (<name>.onnx.json).`);
  }
  if (model.size === 0) throw demoError('MODEL_TRUNCATED', `${modelName} is empty.`);
  return { id: `piper:${modelName}`, modelName, configText, model, origin, addedAt: Date.now() };
}

function parseUrl(text, base, what) {
  try {
    const url = new URL(String(text ?? '').trim(), base);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below
  }
  throw demoError('INVALID_ARGUMENT', `"${text}" is not a usable ${what} URL; give an http(s) address (or a path on this site).`);
}

async function download(url, what, hint) {
  let response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw demoError('NETWORK_ERROR', `Cannot download the ${what} ${url.href}: ${cause.message}. Offline, or the server does not allow this site to read it (CORS).`);
  }
  if (!response.ok) {
    throw demoError(response.status === 404 ? 'VOICE_NOT_FOUND' : 'NETWORK_ERROR', `Cannot download the ${what} ${url.href}: HTTP ${response.status}${hint}.`);
  }
  return response;
}

function fileName(url) {
  return decodeURIComponent(url.pathname.split('/').pop());
}

function demoError(code, message) {
  return Object.assign(new Error(message), { code });
}

// One transaction per call: open the database (created on first use), run, close.
async function withStore(mode, operation) {
  const db = await request(
    Object.assign(indexedDB.open(DB_NAME, 1), {
      onupgradeneeded: (event) => event.target.result.createObjectStore(STORE, { keyPath: 'id' }),
    }),
  );
  try {
    const transaction = db.transaction(STORE, mode);
    const result = request(operation(transaction.objectStore(STORE)));
    // A write counts once committed: a reload right after adding must find the voice.
    await new Promise((resolve, reject) => {
      transaction.oncomplete = resolve;
      transaction.onerror = transaction.onabort = () => reject(transaction.error);
    });
    return await result;
  } finally {
    db.close();
  }
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
