#!/usr/bin/env node
// Lays out the built-in voice inside the npm package: web/dist/voices/voxlet-en-us-slt/ with
// the variants the package ships (fp32, and int8-weights, which the tuner picks on WASM) and a
// voice.json that lists only those, so the package stays small and every listed file exists.
// Usage: node scripts/package-voice.mjs   (scripts/build runs it)
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SHIPPED_PRECISIONS = ['fp32', 'int8-weights'];
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const from = `${ROOT}models/voxlet-en-us-slt/`;
const to = `${ROOT}web/dist/voices/voxlet-en-us-slt/`;

const config = JSON.parse(readFileSync(`${from}voice.json`, 'utf8'));
const variants = config.voxlet.variants.filter((variant) => SHIPPED_PRECISIONS.includes(variant.precision));
if (variants.length !== SHIPPED_PRECISIONS.length) throw new Error(`models/voxlet-en-us-slt/voice.json lacks one of ${SHIPPED_PRECISIONS}`);
config.voxlet.variants = variants;

mkdirSync(to, { recursive: true });
const text = `${JSON.stringify(config)}\n`;
if (!existsSync(`${to}voice.json`) || readFileSync(`${to}voice.json`, 'utf8') !== text) writeFileSync(`${to}voice.json`, text);
for (const file of [...variants.map((variant) => variant.file), 'MODEL_CARD.md']) {
  const source = readFileSync(`${from}${file}`);
  if (!existsSync(`${to}${file}`) || !source.equals(readFileSync(`${to}${file}`))) copyFileSync(`${from}${file}`, `${to}${file}`);
}
