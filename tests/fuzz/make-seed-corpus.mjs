// Writes the inputs of every golden table as seed files for the fuzzer
// (first byte = input format: 0 auto, 1 text, 2 ssml).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [outDir] = process.argv.slice(2);
const goldenDir = new URL('../golden/', import.meta.url);
let count = 0;
for (const name of readdirSync(goldenDir).filter((file) => file.endsWith('.jsonl'))) {
  for (const line of readFileSync(new URL(name, goldenDir), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line);
    if (typeof row.input !== 'string') continue;
    writeFileSync(join(outDir, `seed-${count++}`), Buffer.concat([Buffer.from([0]), Buffer.from(row.input)]));
  }
}
console.log(`fuzz: ${count} seed inputs`);
