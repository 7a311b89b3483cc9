// Generates the runtime's test voices into build/test-voice/ (not committed):
//   voice.json + model.onnx             ARPAbet voice: Piper interface + durations output
//   multi/voice.json + model.onnx       the same with a `sid` input, speakers alice=0, bob=1
//   bad-inputs/voice.json + model.onnx  `input` renamed to `tokens` (config mismatch)
// Models come from scripts/optimize/make_test_voice.py (seeded, so deterministic) with a
// vocabulary the size of models/voxlet-test-arpabet's num_symbols. Regenerates only when
// the generators changed (stamp = hash of the generator sources).
//
//   node scripts/runtime/make-test-voice.mjs [OUT_DIR]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PYTHON = process.env.VOXLET_PYTHON ?? '/usr/bin/python3';
const MAKE_VOICE = path.join(ROOT, 'scripts/optimize/make_test_voice.py');
const VARIANTS = path.join(ROOT, 'scripts/runtime/test_voice_variants.py');
const TEMPLATE = path.join(ROOT, 'models/voxlet-test-arpabet/voice.json');
export const TEST_VOICE_DIR = path.join(ROOT, 'build/test-voice');

// Small enough to build in seconds and run fast on 2 shared cores.
const MODEL_SIZE = ['--channels', '64', '--blocks', '2', '--seed', '1'];

function generatorHash() {
  const hash = createHash('sha256');
  for (const file of [MAKE_VOICE, VARIANTS, TEMPLATE, fileURLToPath(import.meta.url)]) hash.update(readFileSync(file));
  return hash.update(MODEL_SIZE.join(' ')).digest('hex');
}

function python(script, args) {
  execFileSync(PYTHON, [script, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function writeVoice(dir, template, extra) {
  const modelPath = path.join(dir, 'model.onnx');
  const bytes = readFileSync(modelPath);
  const config = structuredClone(template);
  Object.assign(config, extra);
  config.voxlet = {
    ...config.voxlet,
    variants: [{ precision: 'fp32', file: 'model.onnx', sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length }],
  };
  writeFileSync(path.join(dir, 'voice.json'), `${JSON.stringify(config, null, 2)}\n`);
}

/** Builds the test voices when missing or stale; returns the output folder. */
export function ensureTestVoices(outDir = TEST_VOICE_DIR) {
  const stampPath = path.join(outDir, '.stamp');
  const stamp = generatorHash();
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) return outDir;
  const template = JSON.parse(readFileSync(TEMPLATE, 'utf8'));
  for (const sub of ['', 'multi', 'bad-inputs']) mkdirSync(path.join(outDir, sub), { recursive: true });
  const model = path.join(outDir, 'model.onnx');
  python(MAKE_VOICE, [model, '--symbols', String(template.num_symbols), ...MODEL_SIZE]);
  writeVoice(outDir, template, {});
  python(VARIANTS, ['speakers', model, path.join(outDir, 'multi/model.onnx'), '--speakers', '2']);
  writeVoice(path.join(outDir, 'multi'), template, { num_speakers: 2, speaker_id_map: { alice: 0, bob: 1 } });
  python(VARIANTS, ['rename-input', model, path.join(outDir, 'bad-inputs/model.onnx'), '--name', 'input', '--to', 'tokens']);
  writeVoice(path.join(outDir, 'bad-inputs'), template, {});
  writeFileSync(stampPath, stamp);
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = ensureTestVoices(process.argv[2] ? path.resolve(process.argv[2]) : TEST_VOICE_DIR);
  console.log(`test voices in ${path.relative(process.cwd(), dir) || '.'}`);
}
