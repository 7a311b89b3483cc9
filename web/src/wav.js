// 16-bit PCM mono WAV encoding. A stand-in: the engine's encoder (C++, with the
// rest of the post-processing) replaces this body later; keep the signature.

const HEADER_BYTES = 44;

/**
 * Encodes mono float samples (nominally -1..1; clipped) as a 16-bit PCM WAV file.
 * @param {Float32Array} audio
 * @param {number} sampleRate  Hz, a positive integer
 * @returns {Uint8Array} the whole file: RIFF header + data
 */
export function toWav(audio, sampleRate) {
  const dataBytes = audio.length * 2;
  const bytes = new Uint8Array(HEADER_BYTES + dataBytes);
  const view = new DataView(bytes.buffer);
  writeHeader(view, sampleRate, dataBytes);
  for (let i = 0; i < audio.length; i++) {
    view.setInt16(HEADER_BYTES + i * 2, toInt16(audio[i]), true);
  }
  return bytes;
}

function toInt16(sample) {
  const clipped = Math.max(-1, Math.min(1, Number.isNaN(sample) ? 0 : sample));
  // Asymmetric scale so -1 maps to -32768 and +1 to +32767.
  return Math.round(clipped < 0 ? clipped * 0x8000 : clipped * 0x7fff);
}

function writeHeader(view, sampleRate, dataBytes) {
  const channels = 1;
  const bytesPerSample = 2;
  writeAscii(view, 0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  writeAscii(view, 8, 'WAVE');
  writeAscii(view, 12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size for PCM
  view.setUint16(20, 1, true); // format: PCM
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * bytesPerSample, true); // byte rate
  view.setUint16(32, channels * bytesPerSample, true); // block align
  view.setUint16(34, 8 * bytesPerSample, true); // bits per sample
  writeAscii(view, 36, 'data');
  view.setUint32(40, dataBytes, true);
}

function writeAscii(view, offset, text) {
  for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
}
