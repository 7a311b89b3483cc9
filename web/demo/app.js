// The Voxlet demo page: load the engine and a voice, speak with word
// highlighting, show what the device offers and what Voxlet chose, draw the
// result, download it as WAV. Static: no build step; the package is imported
// from ../src/ and ONNX Runtime Web through the page's import map.
//
// Tests drive it through stable ids (#text, #speak, #pause, #resume, #stop,
// #download, #voice, #backend, #status, #hardware, #plan, the <mark> in
// #highlight) and window.voxletDemo = { ready, tts, lastResult, lastError }.
import * as voxlet from '../src/index.js';
import { deletePiperVoice, downloadPiperPair, readPiperFiles, restorePiperVoices, savePiperVoice, voiceEntry } from './piper-voices.js';
import { drawSpectrogram, drawWaveform } from './visualize.js';
import { formatRtf, realTimeFactor } from '../src/bench-stats.js';

const { Voxlet } = voxlet;

/**
 * Voices offered in the picker; the first is the default. `url`: its voice.json, relative to this
 * page; voices added by the visitor (piper-voices.js) have `open()` instead, giving the files.
 */
export const VOICES = [
  {
    id: 'voxlet-en-us-slt',
    name: 'Voxlet US English — slt (built in)',
    url: '../../models/voxlet-en-us-slt/voice.json',
  },
];

const SAMPLES = [
  {
    name: 'Plain text',
    text: 'Hello! This voice runs entirely in your browser. On March 3rd, 2025, it cost $0.00 and needed no server at all.',
  },
  {
    name: 'Longer paragraph',
    text:
      'Text to speech turns written words into sound. First the engine normalizes the text: numbers, dates and ' +
      'abbreviations become words. Then it finds each word\u2019s phonemes, and a small neural network turns them into audio.',
  },
  {
    name: 'SSML (break, prosody, mark)',
    text:
      '<speak>Welcome to Voxlet. <break time="400ms"/>' +
      '<prosody rate="slow">This part is slower,</prosody> <mark name="fast"/>' +
      '<prosody rate="fast">and this part is faster.</prosody></speak>',
  },
];

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('status'),
  error: $('error'),
  notice: $('notice'),
  progressBox: $('progress-box'),
  progress: $('progress'),
  progressLabel: $('progress-label'),
  sample: $('sample'),
  text: $('text'),
  highlight: $('highlight'),
  voice: $('voice'),
  speaker: $('speaker'),
  speakerLabel: $('speaker-label'),
  backend: $('backend'),
  rate: $('rate'),
  pitch: $('pitch'),
  volume: $('volume'),
  speak: $('speak'),
  pause: $('pause'),
  resume: $('resume'),
  stop: $('stop'),
  download: $('download'),
  resultInfo: $('result-info'),
  waveform: $('waveform'),
  spectrogram: $('spectrogram'),
  hardware: $('hardware'),
  plan: $('plan'),
  piperForm: $('piper-url-form'),
  piperUrl: $('piper-url'),
  piperConfigUrl: $('piper-config-url'),
  piperAddUrl: $('piper-add-url'),
  piperFiles: $('piper-files'),
  piperRemove: $('piper-remove'),
  piperDrop: $('piper-drop'),
  piperStatus: $('piper-status'),
  piperError: $('piper-error'),
};

const state = {
  tts: null,
  voiceInfo: null,
  /** 'loading' | 'idle' | 'speaking' | 'paused' | 'failed' */
  phase: 'loading',
  utterance: null,
  lastResult: null,
  lastError: null,
  audioContext: null,
  loadToken: 0,
  /** true: Voxlet runs on the page thread (see setUpServiceWorker). */
  pageThread: false,
  /** voxlet.detect()'s device profile, when the package has it. */
  profile: null,
};

// ---------------------------------------------------------------------------
// Status, progress and errors

function setStatus(text) {
  ui.status.textContent = text;
}

function showError(error, context) {
  state.lastError = error;
  const code = error?.code ?? error?.name ?? 'ERROR';
  const message = error?.message ?? String(error);
  ui.error.replaceChildren();
  const codeElement = document.createElement('code');
  codeElement.textContent = code;
  ui.error.append(context ? `${context}: ` : '', codeElement, ` ${message}`);
  ui.error.dataset.code = code;
  ui.error.hidden = false;
  console.error(context ?? 'Voxlet demo', error);
}

function clearError() {
  ui.error.hidden = true;
  ui.error.textContent = '';
  delete ui.error.dataset.code;
}

function showProgress(label, loaded, total) {
  ui.progressBox.hidden = false;
  ui.progressLabel.textContent = label;
  if (total > 0 && Number.isFinite(loaded)) {
    ui.progress.max = 1;
    ui.progress.value = Math.min(1, loaded / total);
    ui.progress.setAttribute('aria-valuetext', `${Math.round((100 * loaded) / total)} %`);
  } else {
    ui.progress.removeAttribute('value'); // indeterminate
    ui.progress.removeAttribute('aria-valuetext');
  }
}

function hideProgress() {
  ui.progressBox.hidden = true;
}

function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return '?';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(0)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

const STAGE_NAMES = { engine: 'the engine', ort: 'ONNX Runtime Web', runtime: 'ONNX Runtime Web', lexicon: 'the lexicon', voice: 'the voice' };

function progressText(what, loaded, total) {
  const amount = total > 0 ? ` ${formatBytes(loaded)} of ${formatBytes(total)}` : loaded > 0 ? ` ${formatBytes(loaded)}` : '';
  return `Loading ${what}…${amount}`;
}

// ---------------------------------------------------------------------------
// Controls

function updateControls() {
  const { phase } = state;
  const busy = phase === 'speaking' || phase === 'paused';
  ui.speak.disabled = phase !== 'idle';
  ui.pause.disabled = phase !== 'speaking' || !state.utterance?.pause;
  ui.resume.disabled = phase !== 'paused';
  ui.stop.disabled = !busy;
  ui.download.disabled = !state.lastResult || phase === 'loading';
  ui.voice.disabled = phase === 'loading' || busy;
  ui.backend.disabled = phase === 'loading' || busy;
  ui.piperAddUrl.disabled = phase === 'loading' || busy;
  ui.piperFiles.disabled = phase === 'loading' || busy;
  ui.piperRemove.disabled = phase === 'loading' || busy || !VOICES.find((v) => v.id === ui.voice.value)?.added;
  document.body.dataset.phase = phase;
}

function setPhase(phase) {
  state.phase = phase;
  updateControls();
}

function fillSelect(select, options) {
  for (const { value, label } of options) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = label;
    select.append(option);
  }
}

function bindSlider(input) {
  const output = $(`${input.id}-value`);
  const show = () => (output.textContent = `${Number(input.value).toFixed(2)}×`);
  input.addEventListener('input', show);
  show();
}

function speechOptions() {
  const speaker = ui.speaker.hidden ? {} : { speaker: ui.speaker.value };
  return { rate: Number(ui.rate.value), pitch: Number(ui.pitch.value), volume: Number(ui.volume.value), ...speaker };
}

// Multi-speaker voices (Piper's speaker_id_map) get a speaker picker; others hide it.
function renderSpeakers(info) {
  const names = info?.speakers?.length ? info.speakers : Array.from({ length: info?.numSpeakers ?? 1 }, (_, i) => String(i));
  ui.speaker.replaceChildren();
  fillSelect(ui.speaker, names.map((name) => ({ value: name, label: name })));
  ui.speaker.hidden = ui.speakerLabel.hidden = names.length < 2;
}

// ---------------------------------------------------------------------------
// Word highlighting: a mirror of the text with [charStart, charEnd) in <mark>.

let highlightedText = null;

function renderHighlight(text, span) {
  highlightedText = text;
  if (!span) {
    ui.highlight.textContent = text;
    return;
  }
  const [start, end] = span;
  const mark = document.createElement('mark');
  mark.dataset.testid = 'word';
  mark.textContent = text.slice(start, end);
  ui.highlight.replaceChildren(text.slice(0, start), mark, text.slice(end));
  mark.scrollIntoView?.({ block: 'nearest' });
}

// ---------------------------------------------------------------------------
// Loading: engine + ONNX Runtime (per backend), then the voice.

async function load({ backend, voiceId }) {
  const token = ++state.loadToken;
  const voice = VOICES.find((v) => v.id === voiceId) ?? VOICES[0];
  setPhase('loading');
  clearError();
  try {
    if (!state.tts || state.tts.requestedBackend !== backend) {
      const previous = state.tts;
      state.tts = null;
      state.voiceInfo = null;
      await previous?.dispose();
      setStatus(`Loading the engine and ONNX Runtime Web (${backend})…`);
      showProgress('Loading the engine and ONNX Runtime Web…');
      let creating = true;
      const tts = await Voxlet.create({
        backend,
        ...(state.pageThread ? { worker: false } : {}),
        // onProgress is new in the API; older builds ignore it and the bar stays indeterminate.
        onProgress: ({ stage, loaded, total }) => {
          if (creating && token === state.loadToken) showProgress(progressText(STAGE_NAMES[stage] ?? stage ?? 'files', loaded, total), loaded, total);
        },
      }).finally(() => (creating = false));
      if (token !== state.loadToken) {
        await tts.dispose();
        return;
      }
      tts.requestedBackend = backend;
      state.tts = tts;
    }
    setStatus(`Loading the voice ${voice.name}…`);
    showProgress(`Downloading the voice ${voice.name}…`);
    let loadingVoice = true; // progress messages can trail the result: ignore them afterwards
    const source = voice.url ?? (await voice.open());
    const info = await state.tts
      .loadVoice(source, {
        precision: 'auto',
        onProgress: ({ loaded, total, file }) => {
          const name = file ? String(file).split(/[/?#]/).filter(Boolean).pop() : '';
          if (loadingVoice && token === state.loadToken) showProgress(progressText(name ? `the voice (${name})` : 'the voice', loaded, total), loaded, total);
        },
      })
      .finally(() => (loadingVoice = false));
    if (token !== state.loadToken) return;
    state.voiceInfo = info;
    renderSpeakers(info);
    hideProgress();
    renderPlan();
    setPhase('idle');
    setStatus(`Ready: ${voice.name} on ${state.tts.backend}${state.tts.backend === 'wasm' ? ` with ${state.tts.threads} thread${state.tts.threads === 1 ? '' : 's'}` : ''}.`);
  } catch (error) {
    if (token !== state.loadToken) return;
    hideProgress();
    setPhase('failed');
    setStatus('Could not load. See the error below; change the backend or voice to retry.');
    showError(error, 'Loading failed');
    ui.voice.disabled = false;
    ui.backend.disabled = false;
    renderPlan();
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Added Piper voices (piper-voices.js keeps them in IndexedDB)

function listVoice(entry) {
  const index = VOICES.findIndex((voice) => voice.id === entry.id);
  if (index === -1) VOICES.push(entry);
  else VOICES[index] = entry;
  const existing = [...ui.voice.options].find((option) => option.value === entry.id);
  if (existing) existing.textContent = entry.name;
  else fillSelect(ui.voice, [{ value: entry.id, label: entry.name }]);
}

function unlistVoice(id) {
  const index = VOICES.findIndex((voice) => voice.id === id);
  if (index !== -1) VOICES.splice(index, 1);
  [...ui.voice.options].find((option) => option.value === id)?.remove();
}

async function restoreAddedVoices() {
  for (const entry of await restorePiperVoices()) listVoice(entry);
  const wanted = new URLSearchParams(location.search).get('voice');
  if (VOICES.some((v) => v.id === wanted)) ui.voice.value = wanted;
}

function showPiperError(error) {
  const code = document.createElement('code');
  code.textContent = error?.code ?? error?.name ?? 'ERROR';
  ui.piperError.replaceChildren('The voice was not added: ', code, ` ${error?.message ?? error}`);
  ui.piperError.dataset.code = code.textContent;
  ui.piperError.hidden = false;
  ui.piperStatus.textContent = '';
}

/**
 * Reads a voice (readRecord: from URLs or files), loads it as the current voice, and keeps
 * it only when it loaded: a voice that fails (bad config, model mismatch) is not listed, and
 * the previous voice comes back.
 */
async function addPiperVoice(readRecord) {
  if (state.phase !== 'idle' && state.phase !== 'failed') return;
  ui.piperError.hidden = true;
  ui.piperStatus.textContent = 'Reading the voice files…';
  let entry;
  try {
    entry = voiceEntry(await readRecord());
  } catch (error) {
    return showPiperError(error);
  }
  const previous = ui.voice.value;
  listVoice(entry);
  ui.voice.value = entry.id;
  try {
    await load({ backend: ui.backend.value, voiceId: entry.id });
  } catch (error) {
    unlistVoice(entry.id);
    ui.voice.value = previous;
    showPiperError(error);
    await load({ backend: ui.backend.value, voiceId: previous }).catch(() => {});
    return;
  }
  try {
    await savePiperVoice(entry.record);
    ui.piperStatus.textContent = `Added ${entry.name}: selected, and kept in this browser.`;
  } catch (error) {
    ui.piperStatus.textContent = `Added ${entry.name} for this visit only: this browser would not store it (${error.message}).`;
  }
  cacheWhatWasLoaded(); // espeak-ng and its data, for offline use
}

// Forgets the selected added voice and goes back to the built-in one.
async function removePiperVoice() {
  const entry = VOICES.find((v) => v.id === ui.voice.value);
  if (!entry?.added) return;
  try {
    await deletePiperVoice(entry.id);
  } catch (error) {
    return showPiperError(error);
  }
  unlistVoice(entry.id);
  ui.voice.value = VOICES[0].id;
  ui.piperStatus.textContent = `Removed ${entry.name}.`;
  await load({ backend: ui.backend.value, voiceId: VOICES[0].id }).catch(() => {});
}

function bindAddPiperVoice() {
  ui.piperRemove.addEventListener('click', removePiperVoice);
  ui.piperForm.addEventListener('submit', (event) => {
    event.preventDefault();
    addPiperVoice(() => downloadPiperPair(ui.piperUrl.value, ui.piperConfigUrl.value));
  });
  ui.piperFiles.addEventListener('change', () => {
    const files = [...ui.piperFiles.files];
    ui.piperFiles.value = ''; // the same files can be chosen again
    addPiperVoice(() => readPiperFiles(files));
  });
  ui.piperDrop.addEventListener('dragover', (event) => {
    event.preventDefault();
    ui.piperDrop.classList.add('dragging');
  });
  ui.piperDrop.addEventListener('dragleave', () => ui.piperDrop.classList.remove('dragging'));
  ui.piperDrop.addEventListener('drop', (event) => {
    event.preventDefault();
    ui.piperDrop.classList.remove('dragging');
    const files = [...(event.dataTransfer?.files ?? [])];
    addPiperVoice(() => readPiperFiles(files));
  });
}

// ---------------------------------------------------------------------------
// Speaking

function audioContext() {
  state.audioContext ??= new AudioContext();
  return state.audioContext;
}

function isCancellation(error) {
  return error?.name === 'AbortError' || error?.code === 'CANCELLED' || error?.code === 'ABORTED';
}

/**
 * Fallback while Voxlet has no speak(): synthesize the whole utterance, then play it
 * with an AudioBufferSourceNode and derive boundary events from the word times.
 * Same shape as the package's Utterance (EventTarget + pause/resume/cancel/done).
 */
function speakWithFallback(tts, text, options) {
  const utterance = new EventTarget();
  const context = audioContext();
  let cancelled = false;
  let source = null;
  let finish = null;
  const emit = (type, detail) => utterance.dispatchEvent(new CustomEvent(type, { detail }));
  utterance.pause = () => context.suspend();
  utterance.resume = () => context.resume();
  utterance.cancel = () => {
    cancelled = true;
    try {
      source?.stop();
    } catch {
      // not started yet
    }
    finish?.();
  };
  utterance.done = (async () => {
    const result = await tts.synthesize(text, options);
    if (cancelled) throw new DOMException('Speech was stopped', 'AbortError');
    const buffer = context.createBuffer(1, Math.max(1, result.audio.length), result.sampleRate);
    buffer.copyToChannel(result.audio, 0);
    source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    if (context.state === 'suspended') await context.resume();
    const startedAt = context.currentTime;
    source.start();
    emit('start', {});
    let current = -1;
    const timer = setInterval(() => {
      const elapsed = context.currentTime - startedAt;
      const index = result.words.findIndex((w) => elapsed >= w.start && elapsed < w.end);
      if (index !== -1 && index !== current) {
        current = index;
        const w = result.words[index];
        emit('boundary', { text: w.text, charStart: w.charStart, charEnd: w.charEnd, start: w.start, end: w.end });
      }
      utterance.position = Math.min(1, elapsed / buffer.duration);
    }, 25);
    await new Promise((resolve) => {
      finish = resolve;
      source.onended = resolve;
    });
    clearInterval(timer);
    if (cancelled) throw new DOMException('Speech was stopped', 'AbortError');
    emit('end', {});
    return result;
  })();
  utterance.done.catch((error) => {
    if (!isCancellation(error)) emit('error', { error });
  });
  return utterance;
}

async function speak() {
  if (state.phase !== 'idle' || !state.tts) return;
  const text = ui.text.value;
  if (!text.trim()) {
    setStatus('Type some text first.');
    ui.text.focus();
    return;
  }
  clearError();
  const options = speechOptions();
  const tts = state.tts;
  setPhase('speaking');
  setStatus('Synthesizing…');
  renderHighlight(text, null);
  const began = performance.now();
  let utterance;
  try {
    // Prefer the package's speak(); fall back to synthesize() + Web Audio when it is absent.
    utterance = typeof tts.speak === 'function' ? tts.speak(text, options) : speakWithFallback(tts, text, options);
  } catch (error) {
    setPhase('idle');
    setStatus('Synthesis failed.');
    showError(error, 'Speak failed');
    return;
  }
  state.utterance = utterance;
  updateControls();
  utterance.addEventListener('start', () => {
    if (state.phase === 'speaking') setStatus('Speaking…');
    ui.resultInfo.textContent = `First audio after ${Math.round(performance.now() - began)} ms.`;
  });
  utterance.addEventListener('boundary', (event) => {
    const { charStart, charEnd } = event.detail ?? {};
    if (Number.isInteger(charStart) && Number.isInteger(charEnd)) renderHighlight(text, [charStart, charEnd]);
  });
  utterance.addEventListener('mark', (event) => {
    const name = event.detail?.name;
    if (name) setStatus(`Speaking… (mark "${name}")`);
  });
  try {
    const result = await utterance.done;
    const elapsed = performance.now() - began;
    if (result?.cancelled) {
      setStatus('Stopped.'); // the package's speak() resolves (cancelled: true) rather than rejecting
    } else {
      if (result?.audio) showResult(result, elapsed);
      setStatus('Done.');
    }
  } catch (error) {
    if (isCancellation(error)) {
      setStatus('Stopped.');
    } else {
      setStatus('Synthesis failed.');
      showError(error?.detail?.error ?? error, 'Speech failed');
    }
  } finally {
    if (state.utterance === utterance) state.utterance = null;
    renderHighlight(text, null);
    setPhase(state.tts ? 'idle' : 'loading');
  }
}

// A voice that makes no samples has no real-time factor: say so instead of dividing by zero.
function rtfText(rtf) {
  return rtf === null ? formatRtf(rtf) : `real-time factor ${rtf.toFixed(2)} incl. playback`;
}

function showResult(result, elapsedMs) {
  state.lastResult = result;
  const seconds = result.audio.length / result.sampleRate;
  ui.resultInfo.textContent =
    `${seconds.toFixed(2)} s of audio at ${result.sampleRate} Hz, ${result.words?.length ?? 0} words; ` +
    `done ${(elapsedMs / 1000).toFixed(2)} s after Speak (${rtfText(realTimeFactor(elapsedMs / 1000, seconds))}).`;
  drawWaveform(ui.waveform, result.audio);
  drawSpectrogram(ui.spectrogram, result.audio);
  updateControls();
}

// ---------------------------------------------------------------------------
// WAV download: the package's encoder when it has one, else a local 16-bit PCM writer.

function localWav(audio, sampleRate) {
  const bytes = new Uint8Array(44 + audio.length * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (offset, text) => [...text].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + audio.length * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, audio.length * 2, true);
  audio.forEach((sample, i) => {
    const s = Math.max(-1, Math.min(1, sample || 0));
    view.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  });
  return bytes;
}

async function wavBytes({ audio, sampleRate }) {
  if (typeof state.tts?.toWav === 'function') {
    try {
      return await state.tts.toWav({ audio, sampleRate });
    } catch (error) {
      console.warn('tts.toWav failed; encoding the WAV here instead', error);
    }
  }
  if (typeof voxlet.toWav === 'function') return voxlet.toWav(audio, sampleRate);
  return localWav(audio, sampleRate);
}

async function download() {
  if (!state.lastResult) return;
  try {
    const bytes = await wavBytes(state.lastResult);
    const url = URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `voxlet-${new Date().toISOString().replace(/[:.]/g, '-')}.wav`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    showError(error, 'WAV export failed');
  }
}

// ---------------------------------------------------------------------------
// Hardware and plan panels

function renderFacts(list, facts) {
  list.replaceChildren();
  for (const [name, value] of facts) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = value === undefined || value === null || value === '' ? '—' : String(value);
    dd.dataset.fact = name;
    list.append(dt, dd);
  }
}

const yesNo = (value) => (value ? 'yes' : 'no');

async function detectHardware({ measure = false } = {}) {
  const facts = [
    ['CPU cores', navigator.hardwareConcurrency ?? 'unknown'],
    ['Device memory', navigator.deviceMemory ? `≥ ${navigator.deviceMemory} GiB (rounded by the browser)` : 'not reported'],
    ['WASM SIMD', yesNo(voxlet.hasWasmSimd?.())],
    ['Cross-origin isolated', yesNo(globalThis.crossOriginIsolated)],
    ['WASM threads', yesNo(voxlet.hasWasmThreads?.())],
  ];
  if (navigator.gpu) {
    try {
      const adapter = await navigator.gpu.requestAdapter();
      if (adapter) {
        const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
        const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter;
        facts.push(['WebGPU', 'adapter available']);
        facts.push(['GPU vendor', info.vendor || 'not reported']);
        facts.push(['GPU architecture', info.architecture || 'not reported']);
        if (info.device || info.description) facts.push(['GPU device', [info.device, info.description].filter(Boolean).join(' — ')]);
        facts.push(['Fallback (software) adapter', fallback === undefined ? 'unknown' : yesNo(fallback)]);
        facts.push(['shader-f16', yesNo(adapter.features?.has('shader-f16'))]);
      } else {
        facts.push(['WebGPU', 'API present, no adapter']);
      }
    } catch (error) {
      facts.push(['WebGPU', `adapter request failed: ${error.message}`]);
    }
  } else {
    facts.push(['WebGPU', 'not available in this browser']);
  }
  if (navigator.storage?.estimate) {
    try {
      const { usage, quota } = await navigator.storage.estimate();
      facts.push(['Storage', `${formatBytes(usage)} used of ${formatBytes(quota)}`]);
    } catch {
      facts.push(['Storage', 'estimate unavailable']);
    }
  }
  const persisted = await navigator.storage?.persisted?.().catch(() => undefined);
  if (persisted !== undefined) facts.push(['Persistent storage', yesNo(persisted)]);
  facts.push(['Offline (service worker)', navigator.serviceWorker?.controller ? 'active' : 'not yet (active after the first visit)']);
  // The package's device profile (short benchmarks, bounded to about half a second), once, after loading.
  if (measure && typeof voxlet.detect === 'function') {
    try {
      state.profile ??= await voxlet.detect();
    } catch (error) {
      facts.push(['Measured profile', `unavailable: ${error.message}`]);
    }
  }
  const profile = state.profile;
  if (profile) {
    const gflops = profile.gflops ?? {};
    const fixed = (v) => (typeof v === 'number' ? v.toFixed(1) : null);
    if (profile.jsHeapLimitMb) facts.push(['JS heap limit', `${Math.round(profile.jsHeapLimitMb)} MiB`]);
    facts.push(['JSPI', yesNo(profile.jspi)]);
    const wasm = [fixed(gflops.wasmSingle) && `${fixed(gflops.wasmSingle)} (1 thread)`, fixed(gflops.wasmMulti) && `${fixed(gflops.wasmMulti)} (${gflops.threadsMeasured ?? 'N'} threads)`].filter(Boolean);
    if (wasm.length) facts.push(['WASM SIMD GFLOP/s', wasm.join(', ')]);
    if (fixed(gflops.webgpu)) facts.push(['WebGPU GFLOP/s', fixed(gflops.webgpu)]);
    if (typeof profile.storageReadMbps === 'number') facts.push(['Cache read', `${Math.round(profile.storageReadMbps)} MB/s`]);
    if (profile.symptoms?.length) facts.push(['Symptoms', profile.symptoms.map((x) => (typeof x === 'string' ? x : x.name ?? JSON.stringify(x))).join(', ')]);
  }
  renderFacts(ui.hardware, facts);
}

function engineVariant(tts) {
  if (tts?.engineVariant) return tts.engineVariant;
  if (tts?.engine?.variant) return tts.engine.variant;
  try {
    // What Engine.load() picks by default (Voxlet.create() loads it that way).
    return voxlet.chooseEngineVariant?.() ?? 'unknown';
  } catch (error) {
    return `none (${error.message})`;
  }
}

function renderPlan() {
  const tts = state.tts;
  const info = state.voiceInfo;
  const facts = [
    ['Backend', tts?.backend ?? `— (requested ${ui.backend.value})`],
    ['WASM threads', tts?.threads],
    ['Engine variant', engineVariant(tts)],
    ['Runs in', tts ? (state.pageThread ? 'the page thread' : 'a Worker (default)') : undefined],
    ['Voice', info?.modelName ? `${VOICES.find((v) => v.id === ui.voice.value)?.name ?? ''} (${info.modelName})` : undefined],
    ['Precision', info?.precision],
    ['Sample rate', info?.sampleRate ? `${info.sampleRate} Hz` : undefined],
    ['Checksum verified', info ? yesNo(info.verified) : undefined],
    ['Word timings', info ? (info.hasDurations ? 'measured (model durations)' : 'estimated') : undefined],
  ];
  // The tuner's plan, when the package exposes one: its fields and its explanation in words.
  const plan = tts?.plan;
  if (plan && typeof plan === 'object') {
    for (const [key, value] of Object.entries(plan)) {
      if (['backend', 'threads', 'explanation', 'reasons'].includes(key)) continue;
      facts.push([key, typeof value === 'object' ? JSON.stringify(value) : value]);
    }
    const why = plan.explanation ?? plan.reasons;
    if (why) facts.push(['Why', Array.isArray(why) ? why.join(' ') : why]);
  }
  renderFacts(ui.plan, facts);
}

// ---------------------------------------------------------------------------
// Offline support and cross-origin isolation through the service worker.

const COI_RELOAD_KEY = 'voxlet-demo-coi-reload';
const SITE_ROOT = new URL('../../', location.href).href;

/**
 * Registers sw.js. Its scope is the repository root where the server allows it
 * (Service-Worker-Allowed: /, as scripts/serve.mjs sends), so it also controls the
 * Workers that Voxlet and ONNX Runtime start; else only this folder.
 * Resolves to 'reload' when the page is about to reload to become cross-origin isolated.
 */
async function setUpServiceWorker() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return 'none';
  let registration;
  try {
    registration = await navigator.serviceWorker.register('sw.js', { scope: SITE_ROOT });
  } catch {
    try {
      registration = await navigator.serviceWorker.register('sw.js');
    } catch (error) {
      console.warn('Voxlet demo: no service worker (no offline use):', error);
      return 'none';
    }
  }
  // First visit: give the worker a moment to install and take control, so the files
  // Voxlet fetches next (also from its own Worker) pass through it and stay for offline use.
  // (Not after a hard reload, which bypasses an already active worker.)
  if (!navigator.serviceWorker.controller && !registration.active) {
    setStatus('Preparing offline use…');
    const controlled = new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    await Promise.race([controlled, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
  if (registration.scope !== SITE_ROOT) {
    // A host that sends no headers at all: the worker controls only this page, not the
    // Workers Voxlet would start (their scripts live outside this folder). Run Voxlet on
    // the page thread, where every fetch passes the service worker (offline works), and
    // skip isolation: an isolated page would refuse those uncontrolled Workers.
    state.pageThread = true;
    showNotice('This host sends no Service-Worker-Allowed header, so Voxlet runs on the page thread, single-threaded (still offline-capable).');
    return 'page-scope';
  }
  if (globalThis.crossOriginIsolated) {
    sessionStorage.removeItem(COI_RELOAD_KEY);
    return 'ok';
  }
  // Not isolated: the server sent no COOP/COEP. Once the worker controls the page it adds them;
  // reload once for that (guarded: a browser that still refuses isolation runs single-threaded).
  if (sessionStorage.getItem(COI_RELOAD_KEY)) {
    showNotice('This page is not cross-origin isolated, so WebAssembly runs single-threaded. Serve it with COOP/COEP headers (scripts/serve.mjs does) for threads.');
    return 'ok';
  }
  if (!navigator.serviceWorker.controller) return 'ok'; // it did not take control in time: run as we are
  sessionStorage.setItem(COI_RELOAD_KEY, '1');
  setStatus('Reloading once to enable multithreading (cross-origin isolation)…');
  location.reload();
  return 'reload';
}

function showNotice(text) {
  ui.notice.hidden = false;
  ui.notice.textContent = text;
}

// After the first successful load, hand the service worker every same-origin file
// this page fetched (modules imported before it took control included), so the
// next visit works offline.
function cacheWhatWasLoaded() {
  const worker = navigator.serviceWorker?.controller ?? null;
  const send = (target) =>
    target?.postMessage({
      type: 'cache-urls',
      backend: state.tts?.backend,
      urls: performance
        .getEntriesByType('resource')
        .map((entry) => entry.name)
        .filter((url) => url.startsWith(location.origin)),
    });
  if (worker) send(worker);
  else navigator.serviceWorker?.ready.then((registration) => send(registration.active)).catch(() => {});
}

// ---------------------------------------------------------------------------
// Start

function init() {
  fillSelect(ui.sample, SAMPLES.map((s, i) => ({ value: String(i), label: s.name })));
  fillSelect(ui.voice, VOICES.map((v) => ({ value: v.id, label: v.name })));
  ui.text.value = SAMPLES[0].text;
  // ?backend=wasm|webgpu|auto and ?voice=<id> preselect (bookmarks, tests).
  const params = new URLSearchParams(location.search);
  if ([...ui.backend.options].some((o) => o.value === params.get('backend'))) ui.backend.value = params.get('backend');
  if (VOICES.some((v) => v.id === params.get('voice'))) ui.voice.value = params.get('voice');
  bindSlider(ui.rate);
  bindSlider(ui.pitch);
  bindSlider(ui.volume);
  renderHighlight(ui.text.value, null);

  ui.sample.addEventListener('change', () => {
    const sample = SAMPLES[Number(ui.sample.value)];
    if (sample) {
      ui.text.value = sample.text;
      renderHighlight(sample.text, null);
    }
  });
  ui.text.addEventListener('input', () => {
    if (state.phase !== 'speaking' && state.phase !== 'paused') renderHighlight(ui.text.value, null);
  });
  ui.text.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      speak();
    }
  });
  ui.speak.addEventListener('click', () => {
    audioContext(); // create/unlock audio within the click (autoplay policy)
    if (state.audioContext.state === 'suspended') state.audioContext.resume();
    speak();
  });
  ui.pause.addEventListener('click', async () => {
    if (state.phase !== 'speaking' || !state.utterance) return;
    await state.utterance.pause?.();
    setPhase('paused');
    setStatus('Paused.');
    ui.resume.focus();
  });
  ui.resume.addEventListener('click', async () => {
    if (state.phase !== 'paused' || !state.utterance) return;
    await state.utterance.resume?.();
    setPhase('speaking');
    setStatus('Speaking…');
    ui.pause.focus();
  });
  ui.stop.addEventListener('click', () => {
    state.utterance?.cancel?.();
    if (state.phase === 'paused') state.audioContext?.resume();
  });
  ui.download.addEventListener('click', download);
  bindAddPiperVoice();
  const reload = () => {
    const loading = load({ backend: ui.backend.value, voiceId: ui.voice.value }).catch(() => {});
    loading.then(() => {
      detectHardware();
      cacheWhatWasLoaded();
    });
  };
  ui.voice.addEventListener('change', reload);
  ui.backend.addEventListener('change', reload);
  window.addEventListener('resize', () => {
    if (state.lastResult) {
      drawWaveform(ui.waveform, state.lastResult.audio);
      drawSpectrogram(ui.spectrogram, state.lastResult.audio);
    } else {
      drawWaveform(ui.waveform, null);
    }
  });
  drawWaveform(ui.waveform, null);
  updateControls();
  renderPlan();
}

async function start() {
  init();
  const hardware = detectHardware().catch((error) => console.warn('hardware detection failed', error));
  if ((await setUpServiceWorker()) === 'reload') return new Promise(() => {}); // reloading
  await restoreAddedVoices();
  await load({ backend: ui.backend.value, voiceId: ui.voice.value });
  await hardware;
  await detectHardware({ measure: true }); // again: storage use and service worker state changed while loading
  cacheWhatWasLoaded();
  return state.tts;
}

const ready = start();
ready.catch(() => {}); // shown on the page; tests await voxletDemo.ready themselves

window.voxletDemo = {
  ready,
  VOICES,
  get tts() {
    return state.tts;
  },
  get lastResult() {
    return state.lastResult;
  },
  get lastError() {
    return state.lastError;
  },
  get phase() {
    return state.phase;
  },
  get utterance() {
    return state.utterance;
  },
  speak,
  addPiperVoice,
};

window.addEventListener('unhandledrejection', (event) => {
  if (event.reason && !state.lastError) showError(event.reason, 'Unexpected error');
});
