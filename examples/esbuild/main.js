// esbuild bundles this file (npm run build), but it does not emit the files voxlet names with
// `new URL(..., import.meta.url)`: its Worker and ONNX Runtime are loaded from where npm
// installed them, next to this page (node_modules/ must be served with the page).
// window.voxletResult holds the outcome for automated checks (tests/consumer/).
import { Voxlet } from 'voxlet';

const status = document.querySelector('#status');

async function synthesizeOnce(sentence) {
  const tts = await Voxlet.create({
    workerUrl: './node_modules/voxlet/src/worker/voxlet-worker.js',
    ortUrls: { wasm: './node_modules/onnxruntime-web/dist/ort.wasm.min.mjs', webgpu: './node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs' },
  });
  await tts.loadVoice(); // the worker finds the built-in voice next to itself, in the package
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

synthesizeOnce(document.querySelector('#text').textContent.trim()).then(
  (result) => {
    window.voxletResult = result;
    status.textContent = `${(result.samples / result.sampleRate).toFixed(2)} s of audio, ${result.words.length} words`;
  },
  (error) => {
    window.voxletResult = { error: `${error.code ?? error.name}: ${error.message}` };
    status.textContent = window.voxletResult.error;
  },
);
