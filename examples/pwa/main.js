// Speaks one sentence with the built-in voice and lists its words with their times.
// window.voxletResult holds the outcome for automated checks (tests/consumer/).
// Installable and offline: the service worker keeps every file this app fetched (see sw.js).
// voxlet is imported only once the worker controls the page, so its modules are kept too.
navigator.serviceWorker?.register('./sw.js');

const status = document.querySelector('#status');
const text = document.querySelector('#text');

async function synthesizeOnce(sentence) {
  status.textContent = 'Loading the voice…';
  const { Voxlet } = await import('voxlet');
  const tts = await Voxlet.create();
  await tts.loadVoice();
  status.textContent = 'Speaking…';
  const { audio, sampleRate, words } = await tts.synthesize(sentence);
  let energy = 0;
  for (const sample of audio) energy += sample * sample;
  const result = {
    samples: audio.length,
    sampleRate,
    rms: Math.sqrt(energy / Math.max(1, audio.length)),
    words: words.map((word) => ({ text: word.text, start: word.start, end: word.end })),
    isolated: globalThis.crossOriginIsolated === true,
    threads: tts.threads,
    engine: tts.engineVariant,
    note: tts.isolationNote,
  };
  await tts.dispose();
  return result;
}

// The first visit waits for the service worker to take control, so every file is kept offline.
function whenControlled() {
  const workers = navigator.serviceWorker;
  if (!workers || workers.controller) return Promise.resolve();
  return new Promise((resolve) => workers.addEventListener('controllerchange', resolve, { once: true }));
}

whenControlled().then(() => synthesizeOnce(text.textContent.trim())).then(
  (result) => {
    window.voxletResult = result;
    const times = result.words.map((word) => `${word.text} ${word.start.toFixed(2)}–${word.end.toFixed(2)} s`);
    status.textContent = `${(result.samples / result.sampleRate).toFixed(2)} s of audio on ${result.threads} thread(s): ${times.join(', ')}${result.note ? `. ${result.note}` : ''}`;
  },
  (error) => {
    window.voxletResult = { error: `${error.code ?? error.name}: ${error.message}` };
    status.textContent = window.voxletResult.error;
  },
);
