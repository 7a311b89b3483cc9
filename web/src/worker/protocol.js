// The typed messages between a page's WorkerVoxlet and voxlet-worker.js.
// Every request carries an id; replies name it. Audio buffers are transferred.
//
// page -> worker
//   {type:'create', id, options}            -> result {backend, threads, engineVariant}
//   {type:'loadVoice', id, source, options} -> progress*, result VoiceInfo
//   {type:'stream', id, text, options, ahead}
//                                           -> chunk* (audio transferred), then end | error
//   {type:'credit', id}                     one more chunk may be made ahead of the reader
//   {type:'cancel', id}                     stop a stream (no reply)
//   {type:'toWav', id, audio, sampleRate}   -> result Uint8Array (transferred)
//   {type:'dispose', id}                    -> result null
//   {type:'tune', id, options}              -> result {plan, voice}: tts.tune() run in the worker
//                                              (detect() measures the worker's context, where the work runs)
// worker -> page
//   {type:'result', id, value} | {type:'error', id, error} | {type:'progress', id, progress}
//   {type:'chunk', id, chunk, backend, fallbacks} | {type:'end', id}
import { VoxletError } from '../errors.js';

/** An error as plain data (structured clone keeps neither the class nor the code). */
export function errorToMessage(error) {
  return {
    code: error?.code ?? 'INTERNAL',
    message: error?.message ?? String(error),
    stack: error?.stack,
  };
}

/** The VoxletError a worker reported. */
export function errorFromMessage({ code, message }) {
  return new VoxletError(code, message);
}
