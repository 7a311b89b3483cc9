// `voxlet optimize` end to end: graph rewrites (Python) + verification (ORT Web WASM).
// Needs /usr/bin/python3 with Debian's python3-onnx and python3-numpy; skips with
// the reason when they are missing. No timing assertions: speed is only reported.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { Engine } from '../../web/src/engine.js';
import { optimize, runOptimizeCommand } from '../../web/src/optimize/index.js';
import { Voxlet } from '../../web/src/voxlet.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPTS = path.join(ROOT, 'scripts/optimize');
const PYTHON = process.env.VOXLET_PYTHON ?? '/usr/bin/python3';
const PIPER_CONFIG = path.join(ROOT, '../shared/fixtures/piper-test-voice/test_voice.onnx.json');
const pythonReady = spawnSync(PYTHON, ['-c', 'import onnx, numpy']).status === 0;
const skip = pythonReady ? false : `${PYTHON} lacks python3-onnx/python3-numpy (Debian packages)`;

// Lowest SNR (dB) each mode must keep on the small random-weight graphs. fp16 keeps
// ~11 significant bits (~66 dB); int8 per-channel ~7 bits (~35-40 dB). Structured
// pruning of random weights has no unimportant channels to drop, so only a
// positive SNR is required there; unstructured pruning of 30% smallest weights ~19 dB.
const MIN_SNR = { fp16: 50, int8: 28, 'int8-weights': 30 };
const MIN_SNR_PRUNED = { unstructured: 12, structured: 0 };
// Highest MCD (dB, scripts/voice/voicedata/scoring.py) each mode may have on the generated
// voice's audio; measured 0.01 (fp16), 0.27 (int8), 0.23 (int8-weights); pruning 30% of its
// random weights scores ~10 dB, above the default --max-mcd of 6.
const MAX_MCD = { fp16: 0.1, int8: 1, 'int8-weights': 1 };
const pocketsphinx = spawnSync('sh', ['-c', 'command -v pocketsphinx_batch && command -v pocketsphinx_continuous && test -d /usr/share/pocketsphinx/model/en-us']).status === 0;
const STRUCTURED_GRAPHS = new Set(['matmul', 'conv']);

let dir;
before(() => {
  if (skip) return;
  dir = mkdtempSync(path.join(tmpdir(), 'voxlet-optimize-test-'));
  execFileSync(PYTHON, [path.join(SCRIPTS, 'make_test_graphs.py'), dir]);
  execFileSync(PYTHON, [path.join(SCRIPTS, 'make_test_voice.py'), path.join(dir, 'voice.onnx'), '--channels', '64', '--blocks', '2']);
});
after(() => dir && rmSync(dir, { recursive: true, force: true }));

const run = (model, to, extra = {}) =>
  optimize({ model: path.join(dir, model), to, mode: to.split(':')[0], output: path.join(dir, `${model}.${to}.out.onnx`),
    minSnrDb: -Infinity, force: false, threads: 1, rounds: 1, ...extra });

async function rejects(promise, code, pattern) {
  await assert.rejects(promise, (error) => {
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('round trip on small graphs', { skip }, () => {
  for (const graph of ['matmul', 'gemm', 'conv', 'layernorm']) {
    for (const mode of ['fp16', 'int8', 'int8-weights']) {
      test(`${graph} ${mode}: SNR >= ${MIN_SNR[mode]} dB, smaller file`, async () => {
        const report = await run(`${graph}.onnx`, mode);
        assert.ok(report.snrDb >= MIN_SNR[mode], `SNR ${report.snrDb}`);
        assert.ok(report.sizeBytes.variant < report.sizeBytes.original * 0.7, JSON.stringify(report.sizeBytes));
        assert.ok(report.written && existsSync(report.output));
      });
    }
    const kind = STRUCTURED_GRAPHS.has(graph) ? 'structured' : 'unstructured';
    test(`${graph} pruned (${kind}): SNR >= ${MIN_SNR_PRUNED[kind]} dB`, async () => {
      const report = await run(`${graph}.onnx`, 'pruned:0.3');
      assert.ok(report.snrDb > MIN_SNR_PRUNED[kind], `SNR ${report.snrDb}`);
      if (kind === 'structured') {
        assert.equal(report.changes.structured_pairs, 1);
        assert.ok(report.sizeBytes.variant < report.sizeBytes.original * 0.8, 'channels removed');
      } else {
        assert.equal(report.changes.unstructured_weights, 1);
      }
    });
  }
  test('fp16 keeps LayerNormalization and Softmax in float32', async () => {
    const report = await run('layernorm.onnx', 'fp16');
    assert.deepEqual(report.changes.kept_fp32_nodes, ['LayerNormalization', 'Softmax']);
  });
  // The running-phase rule: CumSum's descendants up to Sin stay float32. Without it
  // (phase cast to fp16 at ~1,500 cycles) this graph measured 0.8 dB; with it 80 dB.
  test('fp16 keeps a running phase (CumSum -> Mul -> Sin) in float32 and stops at Sin', async () => {
    const report = await run('phase.onnx', 'fp16');
    assert.deepEqual(report.changes.kept_fp32_nodes, ['CumSum', 'Mul', 'Sin'], 'the Add after Sin is converted');
    assert.ok(report.snrDb >= 60, `SNR ${report.snrDb}`);
  });
  test('models without an audio output: MCD and WER skipped with the reason', async () => {
    const report = await run('conv.onnx', 'int8');
    assert.match(report.spectral.skipped, /no audio output/);
    assert.match(report.wer.skipped, /no audio output/);
    assert.equal(report.passedBy, 'snr');
  });
});

describe('generated Piper-interface voice', { skip }, () => {
  for (const mode of ['fp16', 'int8', 'int8-weights']) {
    test(`${mode} passes its default SNR threshold; MCD <= ${MAX_MCD[mode]} dB; WER skipped without --config`, async () => {
      const report = await run('voice.onnx', mode, { minSnrDb: { fp16: 20, int8: 12, 'int8-weights': 12 }[mode] });
      assert.ok(report.written, `SNR ${report.snrDb}`);
      assert.equal(report.passedBy, 'snr');
      assert.equal(report.lengthMismatch, false);
      assert.equal(report.spectral.metric, 'mcd');
      assert.equal(report.spectral.perSentenceDb.length, 3);
      assert.ok(report.spectral.mcdDb <= MAX_MCD[mode], `MCD ${report.spectral.mcdDb}`);
      assert.match(report.wer.skipped, /no sentences to recognize/);
    });
  }
  test('below --min-snr but within --max-mcd: passes by MCD', async () => {
    const report = await run('voice.onnx', 'int8', { minSnrDb: 60, maxMcdDb: 6 });
    assert.equal(report.passedBy, 'mcd');
    assert.ok(report.written);
  });
  test('pruned random weights fail both SNR and MCD: refused, the message names both', async () => {
    const out = path.join(dir, 'voice.pruned-refused.onnx');
    await rejects(runOptimizeCommand([path.join(dir, 'voice.onnx'), '--to', 'pruned:0.3', '-o', out, '--rounds', '1']),
      'SNR_TOO_LOW', /SNR .* below 10 dB and its MCD [\d.]+ dB is above 6 dB/);
    assert.equal(existsSync(out), false);
  });
});

describe('WER through pocketsphinx', { skip }, () => {
  test('score_audio.py says "pocketsphinx not installed" when it is missing', () => {
    const manifest = path.join(dir, 'wer-manifest.json');
    const tone = path.join(dir, 'tone.f32');
    writeFileSync(tone, Buffer.from(Float32Array.from({ length: 22050 }, (_, i) => 0.3 * Math.sin(i / 10)).buffer));
    writeFileSync(manifest, JSON.stringify({ sample_rate: 22050, texts: ['a tone'], original: [tone], variant: [tone] }));
    const out = execFileSync(PYTHON, [path.join(SCRIPTS, 'score_audio.py'), manifest], { env: { ...process.env, PATH: '/nonexistent' } });
    const scores = JSON.parse(out);
    assert.match(scores.wer.skipped, /^pocketsphinx not installed/);
    assert.equal(scores.mcd_db, 0, 'identical audio');
  });
});

describe('bad models give clear errors', { skip }, () => {
  test('random bytes', async () => {
    const file = path.join(dir, 'random.onnx');
    writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)));
    await rejects(run('random.onnx', 'int8'), 'CORRUPT_MODEL', /random\.onnx .*not .*ONNX model/);
  });
  test('truncated model', async () => {
    writeFileSync(path.join(dir, 'truncated.onnx'), readFileSync(path.join(dir, 'conv.onnx')).subarray(0, 1500));
    await rejects(run('truncated.onnx', 'fp16'), 'CORRUPT_MODEL', /truncated/);
  });
  test('empty file', async () => {
    writeFileSync(path.join(dir, 'empty.onnx'), '');
    await rejects(run('empty.onnx', 'fp16'), 'CORRUPT_MODEL', /empty/);
  });
  test('missing file', async () => {
    await rejects(run('nope.onnx', 'fp16'), 'MODEL_NOT_FOUND', /nope\.onnx/);
  });
  test('opset too old', async () => {
    await rejects(run('old_opset.onnx', 'int8'), 'UNSUPPORTED_MODEL', /opset 11.*>= 13/);
  });
  test('unknown --to and bad pruning amount name the choices', async () => {
    await rejects(runOptimizeCommand([path.join(dir, 'conv.onnx'), '--to', 'int4', '-o', 'x.onnx']), 'INVALID_ARGUMENT', /fp16, int8, int8-weights, pruned/);
    await rejects(run('conv.onnx', 'pruned:1.5'), 'INVALID_ARGUMENT', /between 0 and 1/);
  });
});

describe('SNR threshold', { skip }, () => {
  const args = (out, ...extra) => [path.join(dir, 'conv.onnx'), '--to', 'pruned:0.5', '-o', path.join(dir, out), '--rounds', '1', ...extra];
  test('a variant below --min-snr is refused and not written', async () => {
    await rejects(runOptimizeCommand(args('refused.onnx', '--min-snr', '60')), 'SNR_TOO_LOW', /below 60 dB.*--force/);
    assert.equal(existsSync(path.join(dir, 'refused.onnx')), false);
  });
  test('--force writes it anyway', async () => {
    assert.equal(await runOptimizeCommand(args('forced.onnx', '--min-snr', '60', '--force')), 0);
    assert.ok(existsSync(path.join(dir, 'forced.onnx')));
  });
});

describe('voice config update', { skip }, () => {
  test('a Piper voice: the .onnx.json stays untouched, <name>.voxlet.json lists fp32 + the variant (added, then replaced), and loads', async () => {
    const config = path.join(dir, 'voice.onnx.json');
    copyFileSync(PIPER_CONFIG, config);
    const output = path.join(dir, 'voice.int8.onnx');
    for (let i = 0; i < 2; i++) {
      const report = await optimize({ model: path.join(dir, 'voice.onnx'), config, to: 'int8', mode: 'int8', output,
        minSnrDb: 12, force: false, threads: 1, rounds: 1 });
      assert.ok(report.configUpdated);
      assert.equal(report.configPath, path.join(dir, 'voice.voxlet.json'));
      if (pocketsphinx) {
        // Random weights speak no words; the report only has to carry both systems' scores.
        for (const system of ['original', 'variant']) {
          assert.ok(report.wer[system].words > 0, JSON.stringify(report.wer));
          assert.ok(Number.isFinite(report.wer[system].percent));
          assert.equal(report.wer[system].hypotheses.length, 3);
        }
      } else {
        assert.match(report.wer.skipped, /pocketsphinx not installed/);
      }
    }
    assert.equal(readFileSync(config, 'utf8'), readFileSync(PIPER_CONFIG, 'utf8'), "the Piper config is the user's file: unchanged");
    const text = readFileSync(path.join(dir, 'voice.voxlet.json'), 'utf8');
    const engine = await Engine.load();
    assert.deepEqual(engine.validateVoice(text), { ok: true });
    const { voxlet } = JSON.parse(text);
    assert.equal(voxlet.phonemizer, 'espeak', 'still read by espeak-ng, as the Piper file is');
    assert.deepEqual(voxlet.variants.map((v) => [v.precision, v.file]), [['fp32', 'voice.onnx'], ['int8', 'voice.int8.onnx']], 'replaced, not duplicated');
    const original = readFileSync(path.join(dir, 'voice.onnx'));
    assert.equal(voxlet.variants[0].size, original.length);
    const bytes = readFileSync(output);
    assert.equal(voxlet.variants[1].size, bytes.length);
    assert.match(voxlet.variants[1].sha256, /^[0-9a-f]{64}$/);
    assert.ok(voxlet.variants[1].quality.snr_db >= 12);
    assert.ok(voxlet.variants[1].quality.mcd_db <= MAX_MCD.int8, JSON.stringify(voxlet.variants[1].quality));
    assert.equal(Number.isFinite(voxlet.variants[1].quality.wer_percent), pocketsphinx);
    // The companion loads like any Voxlet voice: each variant verified by sha256, espeak ids.
    const tts = await Voxlet.create({ backend: 'wasm', threads: 1, engine });
    try {
      for (const precision of ['int8', 'fp32']) {
        const info = await tts.loadVoice(path.join(dir, 'voice.voxlet.json'), { precision });
        assert.equal(info.precision, precision);
        assert.equal(info.verified, true);
        assert.ok((await tts.synthesize('Hello there.')).audio.length > 0);
      }
    } finally {
      await tts.dispose();
    }
  });
  test('an output outside the voice folder is refused before converting', async () => {
    const config = path.join(dir, 'voice.onnx.json');
    await rejects(optimize({ model: path.join(dir, 'voice.onnx'), config, to: 'fp16', mode: 'fp16', output: '/tmp/elsewhere.onnx',
      minSnrDb: 20, force: false, threads: 1, rounds: 1 }), 'INVALID_ARGUMENT', /inside the voice folder/);
  });
});
