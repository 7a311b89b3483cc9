// Adds or replaces one variant in a voice config's "voxlet.variants" array.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { VoxletError } from '../errors.js';

// The config stores paths relative to the voice folder; the validator refuses "..".
export function variantFileName(configPath, modelPath) {
  const relative = path.relative(path.dirname(path.resolve(configPath)), path.resolve(modelPath));
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new VoxletError('INVALID_ARGUMENT', `-o ${modelPath} must be inside the voice folder ${path.dirname(path.resolve(configPath))} to be listed in its config`);
  }
  return relative.split(path.sep).join('/');
}

/**
 * Where a variant is listed: the config itself when it is a Voxlet config; for a plain Piper
 * <name>.onnx.json (no "voxlet" section), <name>.voxlet.json next to it, so the user's Piper
 * files stay as they were.
 */
export function variantConfigPath(configPath, config) {
  if (config.voxlet) return configPath;
  const piper = configPath.match(/^(.*)\.onnx\.json$/);
  if (!piper) throw new VoxletError('INVALID_CONFIG', `${configPath} has no "voxlet" section and is not named <name>.onnx.json, so its model file is unknown`);
  return `${piper[1]}.voxlet.json`;
}

/**
 * A Piper config as a Voxlet config: espeak-ng as its phonemizer (as for the Piper file) and
 * its own <name>.onnx as the fp32 variant, with sha256 and size, unless already listed.
 */
export async function withPiperModel(piperConfigPath, config) {
  const voxlet = { phonemizer: 'espeak', ...(config.voxlet ?? {}) };
  const variants = voxlet.variants ?? [];
  if (!variants.some((variant) => variant.precision === 'fp32' && (variant.component ?? 'full') === 'full')) {
    const modelPath = piperConfigPath.replace(/\.json$/, '');
    variants.unshift({ precision: 'fp32', file: path.basename(modelPath), ...(await describeVariantFile(modelPath)), component: 'full' });
  }
  return { ...config, voxlet: { ...voxlet, variants } };
}

export async function describeVariantFile(modelPath) {
  const bytes = await readFile(modelPath);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

export function withVariant(config, variant) {
  const voxlet = { ...(config.voxlet ?? {}) };
  const others = (voxlet.variants ?? []).filter(
    (v) => !(v.precision === variant.precision && (v.component ?? 'full') === variant.component),
  );
  voxlet.variants = [...others, variant];
  return { ...config, voxlet };
}

export function makeVariant({ precision, file, sha256, size, snrDb, mcdDb, werPercent }) {
  const variant = { precision, file, sha256, size, component: 'full' };
  const quality = {};
  // JSON has no Infinity (identical outputs): then the SNR is simply not stated.
  if (Number.isFinite(snrDb)) quality.snr_db = Math.round(snrDb * 10) / 10;
  if (Number.isFinite(mcdDb)) quality.mcd_db = Math.round(mcdDb * 100) / 100;
  if (Number.isFinite(werPercent)) quality.wer_percent = werPercent;
  if (Object.keys(quality).length) variant.quality = quality;
  return variant;
}

export async function writeVoiceConfig(configPath, config, engine) {
  const text = `${JSON.stringify(config, null, 2)}\n`;
  engine.validateVoice(text); // throws INVALID_CONFIG listing every problem
  await writeFile(configPath, text);
}
