// Generates Piper-interface test voices with an espeak phoneme_id_map into
// build/piper-test-voice/ (not committed), named the way Piper names voices:
//   en_US-test-medium.onnx(.json)          one speaker (no `sid` input)
//   multi/en_US-test-multi-medium.onnx(.json)  num_speakers 2 (alice, bob): `sid` input
//   small/en_US-test-small.onnx(.json)     a model with 64 symbols under a config whose
//                                          phoneme_id_map uses ids up to 165
//   low/en_US-test-low.onnx(.json)         the one-speaker model as a 16 kHz voice (Piper's
//                                          "low" quality: audio.sample_rate 16000)
//   durations/en_US-test-durations-medium.onnx(.json)  the one-speaker model keeping
//                                          its per-id `durations` output (exact word times)
//   sherpa/en_US-test-sherpa-medium.onnx(.json)  as sherpa-onnx converts Piper voices: the
//                                          ONNX carries metadata_props (model_type vits,
//                                          comment piper, voice, n_speakers, sample_rate); its
//                                          JSON lacks audio.sample_rate and num_speakers and
//                                          names the espeak voice lang_code
// Models: scripts/optimize/make_test_voice.py (seeded random weights, not speech) made
// into a stock Piper export by piper_interface.py (no durations output, audio
// [1,1,1,T]); `sid` by scripts/runtime/test_voice_variants.py. The phoneme_id_map
// is Piper's standard espeak map, read from Piper's own test voice config in
// ../shared/fixtures/piper-test-voice (the map piper-phonemize uses by default).
// Regenerates only when the generators changed.
//
//   node scripts/piper/make-piper-test-voice.mjs [OUT_DIR]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PYTHON = process.env.VOXLET_PYTHON ?? '/usr/bin/python3';
const MAKE_VOICE = path.join(ROOT, 'scripts/optimize/make_test_voice.py');
const VARIANTS = path.join(ROOT, 'scripts/runtime/test_voice_variants.py');
const TO_PIPER = path.join(ROOT, 'scripts/piper/piper_interface.py');
export const PIPER_FIXTURE = path.join(ROOT, '../shared/fixtures/piper-test-voice/test_voice.onnx.json');
export const PIPER_TEST_VOICE_DIR = path.join(ROOT, 'build/piper-test-voice');
export const PIPER_TEST_VOICES = {
  single: 'en_US-test-medium.onnx.json',
  multi: 'multi/en_US-test-multi-medium.onnx.json',
  small: 'small/en_US-test-small.onnx.json',
  low: 'low/en_US-test-low.onnx.json',
  durations: 'durations/en_US-test-durations-medium.onnx.json',
  sherpa: 'sherpa/en_US-test-sherpa-medium.onnx.json',
};
// What sherpa-onnx's scripts/piper/add_meta_data.py writes into a converted Piper model.
export const SHERPA_METADATA = { model_type: 'vits', comment: 'piper', language: 'English', voice: 'en-us', has_espeak: '1', n_speakers: '1', sample_rate: '22050' };
const MODEL_SIZE = ['--channels', '32', '--blocks', '1', '--seed', '3'];
const SMALL_SYMBOLS = 64;

function generatorHash() {
  const hash = createHash('sha256');
  for (const file of [MAKE_VOICE, VARIANTS, TO_PIPER, PIPER_FIXTURE, fileURLToPath(import.meta.url)]) hash.update(readFileSync(file));
  return hash.update(MODEL_SIZE.join(' ')).digest('hex');
}

function python(script, args) {
  execFileSync(PYTHON, [script, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

// A Piper config: what piper's exporter writes (no voxlet section).
function piperConfig(fixture, extra) {
  return {
    audio: { sample_rate: 22050, quality: 'medium' },
    espeak: { voice: 'en-us' },
    inference: { noise_scale: 0.667, length_scale: 1, noise_w: 0.8 },
    phoneme_type: 'espeak',
    phoneme_map: {},
    phoneme_id_map: fixture.phoneme_id_map,
    num_symbols: 256,
    num_speakers: 1,
    speaker_id_map: {},
    piper_version: '1.0.0',
    language: { code: 'en_US', family: 'en', region: 'US', name_native: 'English', name_english: 'English', country_english: 'United States' },
    dataset: 'test',
    ...extra,
  };
}

/** Builds the voices when missing or stale; returns the output folder. */
export function ensurePiperTestVoices(outDir = PIPER_TEST_VOICE_DIR) {
  const stampPath = path.join(outDir, '.stamp');
  const stamp = generatorHash();
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) return outDir;
  const fixture = JSON.parse(readFileSync(PIPER_FIXTURE, 'utf8'));
  for (const sub of ['', 'multi', 'small', 'low', 'durations', 'sherpa', 'tmp']) mkdirSync(path.join(outDir, sub), { recursive: true });
  const raw = path.join(outDir, 'tmp/raw.onnx');
  const write = (name, config) => writeFileSync(path.join(outDir, name), `${JSON.stringify(config, null, 2)}\n`);
  const model = (name) => path.join(outDir, name.replace(/\.json$/, ''));

  python(MAKE_VOICE, [raw, '--symbols', '256', ...MODEL_SIZE]);
  python(TO_PIPER, [raw, model(PIPER_TEST_VOICES.single)]);
  write(PIPER_TEST_VOICES.single, piperConfig(fixture, {}));

  const withSid = path.join(outDir, 'tmp/raw-sid.onnx');
  python(VARIANTS, ['speakers', raw, withSid, '--speakers', '2']);
  python(TO_PIPER, [withSid, model(PIPER_TEST_VOICES.multi)]);
  write(PIPER_TEST_VOICES.multi, piperConfig(fixture, { num_speakers: 2, speaker_id_map: { alice: 0, bob: 1 } }));

  const small = path.join(outDir, 'tmp/raw-small.onnx');
  python(MAKE_VOICE, [small, '--symbols', String(SMALL_SYMBOLS), ...MODEL_SIZE]);
  python(TO_PIPER, [small, model(PIPER_TEST_VOICES.small)]);
  write(PIPER_TEST_VOICES.small, piperConfig(fixture, {}));

  python(TO_PIPER, [raw, model(PIPER_TEST_VOICES.low)]);
  write(PIPER_TEST_VOICES.low, piperConfig(fixture, { audio: { sample_rate: 16000, quality: 'low' } }));

  python(TO_PIPER, [raw, model(PIPER_TEST_VOICES.durations), '--keep-durations']);
  write(PIPER_TEST_VOICES.durations, piperConfig(fixture, {}));

  const metadata = Object.entries(SHERPA_METADATA).flatMap(([key, value]) => ['--metadata', `${key}=${value}`]);
  python(TO_PIPER, [raw, model(PIPER_TEST_VOICES.sherpa), ...metadata]);
  const { espeak, num_speakers, ...sherpa } = piperConfig(fixture, { audio: { quality: 'medium' } });
  write(PIPER_TEST_VOICES.sherpa, { ...sherpa, lang_code: espeak.voice });

  writeFileSync(stampPath, stamp);
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = ensurePiperTestVoices(process.argv[2] ? path.resolve(process.argv[2]) : PIPER_TEST_VOICE_DIR);
  console.log(`Piper test voices in ${path.relative(process.cwd(), dir) || '.'}`);
}
