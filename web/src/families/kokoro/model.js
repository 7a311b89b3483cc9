// A Kokoro (StyleTTS2-family) ONNX model behind the runtime's model contract:
// run(ids, { scales, sid }) -> { audio, durations }, hasDurations, release().
//
// Interface (Kokoro v1.0 exports): text ids int64 [1, N] named `input_ids`
// (onnx-community, transformers.js) or `tokens` (kokoro-onnx), 0-padded at both ends;
// `style` float32 [1, 256], the voice table's row min(N - 2, 509); `speed` float32 [1];
// audio float32 at 24 kHz named `waveform` (onnx-community) or `audio` (kokoro-onnx);
// the "timestamped" exports add `durations` (frames per id).
import { VoxletError } from '../../errors.js';
import { styleRow, STYLE_DIM } from './styles.js';

export const TEXT_INPUTS = ['input_ids', 'tokens'];
export const AUDIO_OUTPUTS = ['waveform', 'audio'];
const OTHER_INPUTS = ['style', 'speed'];

/**
 * Which names this model uses, or MODEL_MISMATCH naming what a Kokoro model must have.
 * @param {{ inputNames: string[], outputNames: string[] }} session
 * @param {string} name  the model file, for messages
 * @returns {{ textInput: string, audioName: string, durationsName: string|null }}
 */
export function checkKokoroInterface(session, name) {
  const { inputNames, outputNames } = session;
  const textInputs = TEXT_INPUTS.filter((input) => inputNames.includes(input));
  const problems = [];
  if (textInputs.length !== 1) problems.push(textInputs.length ? 'both "input_ids" and "tokens" inputs' : 'no text input "input_ids" or "tokens"');
  for (const input of OTHER_INPUTS) if (!inputNames.includes(input)) problems.push(`missing input "${input}"`);
  for (const input of inputNames) if (![...TEXT_INPUTS, ...OTHER_INPUTS].includes(input)) problems.push(`unexpected input "${input}"`);
  const audioName = AUDIO_OUTPUTS.find((output) => outputNames.includes(output));
  if (!audioName) problems.push('no audio output "waveform" or "audio"');
  if (problems.length) {
    throw new VoxletError(
      'MODEL_MISMATCH',
      `${name} is not a Kokoro model: ${problems.join('; ')}. It has inputs [${inputNames.join(', ')}] and outputs [${outputNames.join(', ')}]; ` +
        'expected inputs [input_ids or tokens (int64 [1, N]), style (float32 [1, 256]), speed (float32 [1])] and the output waveform or audio (float32, 24 kHz), optionally durations',
    );
  }
  return { textInput: textInputs[0], audioName, durationsName: outputNames.includes('durations') ? 'durations' : null };
}

export class KokoroModel {
  #ort;
  #session;
  #io;
  #styles;
  #onRun;

  /**
   * @param {object} ort  the onnxruntime-web module
   * @param {object} session  an ORT session (inference.js createSession)
   * @param {{ textInput: string, audioName: string, durationsName: string|null }} io
   * @param {Float32Array[]} styles  voice tables by speaker id (sid)
   * @param {Function} [onRun]  the onInference hook: called with { ids, scales, sid } before each run
   */
  constructor(ort, session, io, styles, onRun) {
    this.#ort = ort;
    this.#session = session;
    this.#io = io;
    this.#styles = styles;
    this.#onRun = onRun;
  }

  get hasDurations() {
    return this.#io.durationsName !== null;
  }

  get textInput() {
    return this.#io.textInput;
  }

  /**
   * One run: ids with their pads, at speed 1 / scales[1] (the runtime's length scale over rate).
   * @returns {Promise<{ audio: Float32Array, durations: number[]|null }>}
   */
  async run(ids, { scales, sid = 0 }) {
    callHook(this.#onRun, { ids, scales, sid });
    const style = this.#styles[sid];
    if (!style) throw new VoxletError('INVALID_ARGUMENT', `Unknown Kokoro voice id ${sid}; this voice has ${this.#styles.length}`);
    const { Tensor } = this.#ort;
    const lengthScale = scales?.[1] ?? 1;
    const feeds = {
      [this.#io.textInput]: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      style: new Tensor('float32', Float32Array.from(styleRow(style, ids.length)), [1, STYLE_DIM]),
      speed: new Tensor('float32', Float32Array.of(1 / lengthScale), [1]),
    };
    let outputs;
    try {
      outputs = await this.#session.run(feeds);
    } catch (cause) {
      throw new VoxletError('MODEL_RUN_FAILED', `The Kokoro model failed on a run of ${ids.length} ids: ${String(cause.message).split('\n')[0]}`, { cause });
    }
    const tensor = outputs[this.#io.audioName];
    const audio = Float32Array.from(tensor.data); // [samples] or [1, samples]: one batch item
    const durations = this.#io.durationsName ? Array.from(outputs[this.#io.durationsName].data, Number) : null;
    return { audio, durations };
  }

  async release() {
    await this.#session?.release();
    this.#session = null;
  }
}

// The onInference contract of inference.js: a VoxletError passes as thrown, anything else aborts.
function callHook(hook, info) {
  if (!hook) return;
  try {
    hook(info);
  } catch (thrown) {
    if (thrown instanceof VoxletError) throw thrown;
    const what = thrown instanceof Error ? thrown.message : String(thrown);
    throw new VoxletError('ABORTED', `The synthesis was aborted: onInference threw ${what}`, { cause: thrown });
  }
}
