#!/usr/bin/env node
// Batch form of `voxlet phonemize`: one engine instance for many texts, so the
// recipe does not pay the WASM start-up once per sentence. It calls the same
// Engine.phonemize as web/bin/voxlet.mjs, with the same voice config, so the ids
// are exactly what the model will be fed at run time.
//
//   node --no-experimental-fetch scripts/voice/phonemize-batch.mjs VOICE.json < in.jsonl > out.jsonl
//
// Input lines: {"id": ..., "text": ...}. Output lines, in the same order:
// {"id", "sentences": [...as the CLI prints...], "diagnostics": {...}} or {"id", "error"}.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Engine } from '../../web/src/engine.js';

async function main([voicePath]) {
  if (!voicePath) throw new Error('usage: phonemize-batch.mjs VOICE.json < in.jsonl');
  const engine = await Engine.load();
  engine.loadVoice(readFileSync(voicePath, 'utf8'));
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const { id, text } = JSON.parse(line);
    process.stdout.write(`${JSON.stringify(phonemizeOne(engine, id, text))}\n`);
  }
}

function phonemizeOne(engine, id, text) {
  try {
    // Plain text always: corpus lines are never SSML, even if one starts with "<".
    const result = engine.phonemize(text, { format: 'text' });
    return { id, sentences: result.sentences, diagnostics: result.diagnostics };
  } catch (error) {
    return { id, error: `${error.code ?? 'ERROR'}: ${error.message}` };
  }
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`phonemize-batch: ${error.message}\n`);
  process.exitCode = 1;
});
