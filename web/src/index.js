// Voxlet: in-browser neural text-to-speech. Public entry point.
export { Engine, chooseEngineVariant } from './engine.js';
export { VoxletError } from './errors.js';
export { hasWasmSimd, hasWasmThreads } from './capabilities.js';
export { detect, symptomsOf, SYMPTOMS, THRESHOLDS } from './detect.js';
export { Voxlet } from './voxlet.js';
export { concatAudio, createAssembler } from './audio-assembly.js';
