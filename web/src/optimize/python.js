// Runs scripts/optimize/optimize.py, the graph-rewriting half of `voxlet optimize`.
// Python because Debian's python3-onnx gives us the ONNX protobuf schema, the
// checker and shape inference; doing the same protobuf surgery in JS would mean
// shipping our own copy of onnx.proto and re-implementing type inference.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { VoxletError } from '../errors.js';

const SCRIPTS = fileURLToPath(new URL('../../../scripts/optimize/', import.meta.url));
const SCRIPT = `${SCRIPTS}optimize.py`;
// Audio scores of voices (MCD, and WER through pocketsphinx when installed).
const SCORE_SCRIPT = `${SCRIPTS}score_audio.py`;
// Debian's interpreter: the pyenv python3 on PATH has no onnx/numpy.
const PYTHON = process.env.VOXLET_PYTHON ?? '/usr/bin/python3';
const ERROR_LINE = /optimize: error \[([A-Z_]+)\]: (.*)/s;

export function runOptimizerScript(args, script = SCRIPT) {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [script, ...args], { maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (!error) return resolve(JSON.parse(stdout));
      reject(scriptError(error, stderr));
    });
  });
}

function scriptError(error, stderr) {
  const match = ERROR_LINE.exec(stderr);
  if (match) return new VoxletError(match[1], match[2].trim());
  if (error.code === 'ENOENT') {
    return new VoxletError('MISSING_DEPENDENCY', `${PYTHON} not found; install Debian packages python3-onnx python3-numpy (or set VOXLET_PYTHON)`);
  }
  if (/No module named '(onnx|numpy)'/.test(stderr)) {
    return new VoxletError('MISSING_DEPENDENCY', `${PYTHON} lacks onnx or numpy; install Debian packages python3-onnx python3-numpy`);
  }
  return new VoxletError('INTERNAL', `optimizer script failed: ${stderr.trim().split('\n').slice(-3).join(' | ') || error.message}`);
}

export const inspectModel = (modelPath) => runOptimizerScript(['inspect', modelPath]);
export const convertModel = (modelPath, mode, outPath) => runOptimizerScript(['convert', modelPath, '--to', mode, '-o', outPath]);
export const scoreAudio = (manifestPath) => runOptimizerScript([manifestPath], SCORE_SCRIPT);
