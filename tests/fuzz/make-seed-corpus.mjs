// Writes seed inputs for a fuzz target into OUT_DIR:
//   node tests/fuzz/make-seed-corpus.mjs OUT_DIR [front_end|ssml_options|voice_config]
// front_end (default): every golden table's input (first byte = input format:
//   0 auto, 1 text, 2 ssml) plus long and deep cases, up to 16 KB, so that
//   libFuzzer's length limit (it starts at the longest seed) reaches long words,
//   phoneme runs, block boundaries (4,096 bytes), many breaks and deep nesting.
// ssml_options: the same texts behind a first line of options JSON.
// voice_config: the voice configs in models/, tests/golden/voices/ and the
//   shared Piper fixture.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [outDir, target = 'front_end'] = process.argv.slice(2);
const root = new URL('../../', import.meta.url);
let count = 0;
const write = (bytes) => writeFileSync(join(outDir, `seed-${target}-${count++}`), bytes);

function goldenInputs() {
  const inputs = [];
  const goldenDir = new URL('tests/golden/', root);
  for (const name of readdirSync(goldenDir).filter((file) => file.endsWith('.jsonl'))) {
    for (const line of readFileSync(new URL(name, goldenDir), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line);
      if (typeof row.input === 'string') inputs.push(row.input);
      // chunk_bounds.jsonl: [[text, repeat], ...], capped to the seed size
      else if (Array.isArray(row.input)) inputs.push(row.input.map(([text, times]) => text.repeat(Math.min(times, 400))).join('').slice(0, 16000));
    }
  }
  return inputs;
}

// Long and deep inputs the golden tables do not have (each at most 16 KB).
function longInputs() {
  const prose = 'The old lighthouse stood at the edge of the cliff, watching ships pass below; ' +
    'on Jan. 5, 2024 at 10:30 am it cost $3.50 (about 3.2 km away). ';
  const lts = 'supercalifragilisticexpialidocious';
  return [
    lts.repeat(30),                                   // one 1,020-letter word
    'x'.repeat(4095) + 'yz ' + lts,                   // a word across the 4,096-byte block end
    lts.repeat(120).slice(0, 4000) + '.',             // a 4,000-letter word
    `<speak><phoneme alphabet="x-arpabet" ph="${'AH0 T '.repeat(1500)}">x</phoneme></speak>`,
    `<speak><phoneme alphabet="ipa" ph="${'tə'.repeat(3000)}">x</phoneme></speak>`,
    `<speak>${'<break time="10s"/>'.repeat(70)}</speak>`,
    `<speak>${'<s>a<break time="9s"/></s>'.repeat(70)}</speak>`,
    `<speak>${'<prosody rate="x-slow">'.repeat(63)}slow${'</prosody>'.repeat(63)}</speak>`,
    `<speak>${'<prosody rate="x-slow">'.repeat(70)}deep${'</prosody>'.repeat(70)}</speak>`,
    `<speak><say-as interpret-as="digits">${'1234567890'.repeat(102)}</say-as></speak>`,
    `<speak><say-as interpret-as="characters">${'abcdefghij'.repeat(103)}</say-as></speak>`,
    '7'.repeat(5000) + '.',
    'word '.repeat(3000),
    prose.repeat(100).slice(0, 15000),
    `<speak>${`<p><s>${prose}</s><mark name="m"/></p>`.repeat(80)}</speak>`.slice(0, 15990) + '</speak>',
    `<speak><prosody rate="25%">${prose.repeat(40)}</prosody></speak>`,
  ];
}

const texts = [...goldenInputs(), ...longInputs()];
if (target === 'front_end') {
  for (const text of texts) write(Buffer.concat([Buffer.from([0]), Buffer.from(text)]));
} else if (target === 'ssml_options') {
  const options = ['{}', '{"rate":0.25}', '{"max_chunk_ids":16,"first_chunk_ids":8}', '{"format":"ssml","rate":3}',
    '{"format":"text","max_chunk_ids":4294967316}', '{"max_input_bytes":100}', '{"rate":1e-9,"max_chunk_ids":20.5}'];
  texts.forEach((text, i) => write(`${options[i % options.length]}\n${text}`));
} else if (target === 'voice_config') {
  const files = [];
  for (const dir of ['models/', 'tests/golden/voices/']) {
    const url = new URL(dir, root);
    for (const name of readdirSync(url)) {
      for (const file of [`${name}/voice.json`, name]) if (file.endsWith('.json') && existsSync(new URL(file, url))) files.push(new URL(file, url));
    }
  }
  const piper = new URL('../shared/fixtures/piper-test-voice/test_voice.onnx.json', root);
  if (existsSync(piper)) files.push(piper);
  for (const file of files) write(readFileSync(file));
} else {
  console.error(`unknown target ${target}; expected front_end, ssml_options or voice_config`);
  process.exit(2);
}
console.log(`fuzz: ${count} seed inputs for ${target}`);
