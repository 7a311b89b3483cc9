// Display-only audio pictures for the demo: a waveform (min/max per pixel
// column) and a log-magnitude spectrogram from a small radix-2 FFT.
// Nothing here feeds the audio path; the engine does all real DSP.
import { fft } from '../src/spectrum.js';

/**
 * Magnitudes in dB, one frame per output column.
 * @returns {{ frames: Float32Array[], bins: number }}
 */
export function spectrogram(audio, { fftSize = 512, columns = 256 } = {}) {
  const bins = fftSize / 2;
  const window = new Float32Array(fftSize).map((_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (fftSize - 1)));
  const frames = [];
  const re = new Float32Array(fftSize);
  const im = new Float32Array(fftSize);
  const hop = Math.max(1, (audio.length - fftSize) / Math.max(1, columns - 1));
  for (let c = 0; c < columns; c++) {
    const offset = Math.round(c * hop);
    for (let i = 0; i < fftSize; i++) {
      re[i] = (audio[offset + i] ?? 0) * window[i];
      im[i] = 0;
    }
    fft(re, im);
    const frame = new Float32Array(bins);
    for (let k = 0; k < bins; k++) frame[k] = 10 * Math.log10(re[k] * re[k] + im[k] * im[k] + 1e-10);
    frames.push(frame);
  }
  return { frames, bins };
}

// Sizes the canvas backing store to its CSS box (sharp on high-DPI screens).
function prepare(canvas) {
  const ratio = globalThis.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  return { context: canvas.getContext('2d'), width, height };
}

function cssColor(canvas, name, fallback) {
  return getComputedStyle(canvas).getPropertyValue(name).trim() || fallback;
}

/**
 * Draws the waveform; `position` (0..1) draws a playback cursor.
 * @param {HTMLCanvasElement} canvas
 * @param {Float32Array|null} audio  null clears
 */
export function drawWaveform(canvas, audio, { position = null } = {}) {
  const { context, width, height } = prepare(canvas);
  context.clearRect(0, 0, width, height);
  const mid = height / 2;
  context.fillStyle = cssColor(canvas, '--wave-axis', '#8884');
  context.fillRect(0, Math.floor(mid), width, 1);
  if (!audio?.length) return;
  context.fillStyle = cssColor(canvas, '--wave', '#36c');
  const perColumn = audio.length / width;
  for (let x = 0; x < width; x++) {
    const from = Math.floor(x * perColumn);
    const to = Math.min(audio.length, Math.max(from + 1, Math.floor((x + 1) * perColumn)));
    let min = 1;
    let max = -1;
    for (let i = from; i < to; i++) {
      const v = audio[i];
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const top = mid - Math.min(1, max) * mid;
    const bottom = mid - Math.max(-1, min) * mid;
    context.fillRect(x, top, 1, Math.max(1, bottom - top));
  }
  if (position !== null) {
    context.fillStyle = cssColor(canvas, '--cursor', '#d33');
    context.fillRect(Math.round(position * (width - 1)), 0, Math.max(1, Math.round(globalThis.devicePixelRatio || 1)), height);
  }
}

// A short viridis-like ramp: dark blue → teal → yellow.
const RAMP = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

function rampColor(t) {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  return RAMP[i].map((c, k) => Math.round(c + (RAMP[i + 1][k] - c) * f));
}

/**
 * Draws a spectrogram (0 Hz at the bottom, Nyquist at the top, 80 dB range).
 * @param {HTMLCanvasElement} canvas
 * @param {Float32Array|null} audio  null clears
 */
export function drawSpectrogram(canvas, audio) {
  const { context, width, height } = prepare(canvas);
  context.clearRect(0, 0, width, height);
  if (!audio?.length) return;
  const columns = Math.min(width, 1024);
  const { frames, bins } = spectrogram(audio, { fftSize: 512, columns });
  let peak = -Infinity;
  for (const frame of frames) for (const v of frame) if (v > peak) peak = v;
  const floor = peak - 80;
  const image = context.createImageData(columns, bins);
  for (let c = 0; c < columns; c++) {
    const frame = frames[c];
    for (let k = 0; k < bins; k++) {
      const [r, g, b] = rampColor((frame[k] - floor) / 80);
      const p = ((bins - 1 - k) * columns + c) * 4;
      image.data[p] = r;
      image.data[p + 1] = g;
      image.data[p + 2] = b;
      image.data[p + 3] = 255;
    }
  }
  // Draw at FFT resolution, then let the canvas scale it to the box.
  const scratch =
    typeof OffscreenCanvas === 'function'
      ? new OffscreenCanvas(columns, bins)
      : Object.assign(document.createElement('canvas'), { width: columns, height: bins });
  scratch.getContext('2d').putImageData(image, 0, 0);
  context.imageSmoothingEnabled = true;
  context.drawImage(scratch, 0, 0, width, height);
}
