// Piper configs as other tools write them, made into the config the engine
// reads. sherpa-onnx converts a Piper voice by putting its settings into the
// ONNX metadata_props (model_type "vits", comment "piper", voice, n_speakers,
// sample_rate; scripts/piper/add_meta_data.py there) and ships the .onnx.json
// beside it; some exporters' JSON names the espeak voice `lang_code`, and some
// Piper configs say 22500 Hz for 22050 (sherpa-onnx corrects it the same way).
// The JSON wins wherever it says something; the model's metadata only fills gaps.
import { onnxMetadata } from './onnx-metadata.js';

const MISTYPED_RATES = { 22500: 22050 }; // no Piper voice runs at 22500 Hz

/**
 * @param {object} config  the parsed voice config (not modified)
 * @param {Uint8Array} model  the model bytes (for its metadata_props)
 * @returns {{ config: object, filled: string[] }}  the same config object when nothing
 *   was filled in; `filled` names each field taken from elsewhere, for messages and tests
 */
export function adaptPiperConfig(config, model) {
  const metadata = piperMetadata(model);
  const filled = [];
  const adapted = structuredClone(config);
  const set = (path, value, from) => {
    if (value === undefined || value === null || value === '') return;
    setPath(adapted, path, value);
    filled.push(`${path.join('.')} from ${from}`);
  };
  const rate = config.audio?.sample_rate;
  if (rate === undefined) set(['audio', 'sample_rate'], toInteger(metadata.sample_rate), 'the model metadata (sample_rate)');
  else if (MISTYPED_RATES[rate]) set(['audio', 'sample_rate'], MISTYPED_RATES[rate], `audio.sample_rate ${rate} (a known typo)`);
  if (config.num_speakers === undefined) set(['num_speakers'], toInteger(metadata.n_speakers), 'the model metadata (n_speakers)');
  if (config.espeak?.voice === undefined && isEspeak(config)) {
    if (typeof config.lang_code === 'string') set(['espeak', 'voice'], config.lang_code, 'lang_code');
    else set(['espeak', 'voice'], metadata.voice, 'the model metadata (voice)');
  }
  return { config: filled.length ? adapted : config, filled };
}

// Only metadata that says it describes a Piper/VITS voice is trusted.
function piperMetadata(model) {
  const metadata = model ? onnxMetadata(model) : {};
  return metadata.model_type === 'vits' || metadata.comment === 'piper' ? metadata : {};
}

function isEspeak(config) {
  return (config.phoneme_type ?? 'espeak') === 'espeak' && !config.voxlet;
}

function toInteger(text) {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

function setPath(target, path, value) {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
    node = node[key];
  }
  node[path.at(-1)] = value;
}
