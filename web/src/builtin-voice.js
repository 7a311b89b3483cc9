// Voxlet's own English voice, shipped inside the package (dist/voices/, laid out by
// scripts/build): what loadVoice() with no argument loads. Each file is named by a literal
// `new URL(..., import.meta.url)`, so bundlers (Vite, webpack) emit it with the app and hand
// back its final URL; the loader takes the model files from this map rather than resolving
// them next to the config, whose own URL a bundler may have renamed.
export const BUILTIN_VOICE_ID = 'voxlet-en-us-slt';

/** @returns {{ config: URL, files: Record<string, URL> }} */
export function builtinVoiceFiles() {
  return {
    config: new URL('../dist/voices/voxlet-en-us-slt/voice.json', import.meta.url),
    files: {
      'model.onnx': new URL('../dist/voices/voxlet-en-us-slt/model.onnx', import.meta.url),
      'model.int8-weights.onnx': new URL('../dist/voices/voxlet-en-us-slt/model.int8-weights.onnx', import.meta.url),
    },
  };
}
