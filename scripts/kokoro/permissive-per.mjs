#!/usr/bin/env node
// The permissive (MIT-only) Kokoro front end against kokoro-js: the engine's own G2P
// (CMUdict + letter-to-sound, writing espeak-style IPA; loadVoice({ ..., phonemizer:
// 'builtin-en-us' })) on every sentence of tests/golden/kokoro_parity.jsonl, compared
// with kokoro-js 1.2.1's phonemes there. Phoneme error rate = edit distance over
// Kokoro tokens (one per character, as the model reads them) / the golden's token count.
//
//   node --no-experimental-fetch scripts/kokoro/permissive-per.mjs [--json]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../web/src/engine.js';
import { engineConfigText } from '../../web/src/families/kokoro/index.js';

const ROOT = new URL('../../', import.meta.url);

/** { a: { per, identical, sentences }, b: {...} } for the golden table. */
export async function permissivePer({ engine: given } = {}) {
  const config = JSON.parse(readFileSync(new URL('models/kokoro-82m-v1.0/voice.json', ROOT), 'utf8'));
  const text = JSON.parse(engineConfigText(config));
  text.voxlet.phonemizer = 'builtin-en-us';
  const engine = given ?? (await Engine.load());
  engine.loadVoice(JSON.stringify(text));
  const symbol = Object.fromEntries(Object.entries(config.kokoro.vocab).map(([key, id]) => [id, key]));
  const rows = readFileSync(new URL('tests/golden/kokoro_parity.jsonl', ROOT), 'utf8').trim().split('\n').slice(1).map((line) => JSON.parse(line));
  const result = {};
  for (const lang of ['a', 'b']) {
    let errors = 0;
    let total = 0;
    let identical = 0;
    const mine = rows.filter((row) => row.lang === lang);
    for (const row of mine) {
      const ours = [...engine.chunks(row.text)].map((chunk) => chunk.ids.filter((id) => id !== 0).map((id) => symbol[id]).join('')).join(' ');
      const golden = row.ids.filter((id) => id !== 0).map((id) => symbol[id]).join('');
      const distance = editDistance(Array.from(ours), Array.from(golden));
      errors += distance;
      total += Array.from(golden).length;
      if (distance === 0) identical++;
    }
    result[lang] = { per: errors / total, identical, sentences: mine.length };
  }
  if (!given) engine.dispose();
  return result;
}

function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await permissivePer();
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else {
    for (const [lang, { per, identical, sentences }] of Object.entries(result)) {
      console.log(`${lang === 'a' ? 'en-us (a)' : 'en-gb (b)'}: phoneme error rate ${(per * 100).toFixed(1)} %, ${identical}/${sentences} sentences identical`);
    }
  }
}
