// The renderer: a plain page using the package (no preload, no Node integration).
// window.voxletApp.speak(text) resolves to a summary, for automated checks.
import { Voxlet } from 'voxlet';

const status = document.querySelector('#status');
const button = document.querySelector('#speak');
const text = document.querySelector('#text');

const ready = (async () => {
  const tts = await Voxlet.create();
  await tts.loadVoice();
  status.textContent = tts.isolationNote ?? `Ready: ${tts.backend}, ${tts.threads} thread(s).`;
  button.disabled = false;
  return tts;
})();
ready.catch((error) => (status.textContent = `${error.code ?? error.name}: ${error.message}`));

async function speak(sentence) {
  const tts = await ready;
  const utterance = tts.speak(sentence);
  const words = [];
  utterance.addEventListener('boundary', (event) => words.push(sentence.slice(event.detail.charStart, event.detail.charEnd)));
  await new Promise((resolve, reject) => {
    utterance.addEventListener('end', resolve);
    utterance.addEventListener('error', (event) => reject(event.detail?.error ?? new Error('speech failed')));
  });
  return { words, threads: tts.threads, isolated: globalThis.crossOriginIsolated === true, note: tts.isolationNote };
}

button.addEventListener('click', () => speak(text.value).catch((error) => (status.textContent = error.message)));
window.voxletApp = { ready: ready.then(() => true), speak };
