// Every error code the code can produce is in the VoxletErrorCode union of web/src/index.d.ts,
// so a TypeScript user can switch over error.code without a case the types do not know.
// The code is read as text: JavaScript codes from `new VoxletError('CODE'`, `super('CODE'` in
// its subclasses and `code: 'CODE'` (errors crossing the Worker), plus every other upper-case
// code literal (codes handed to a helper that throws them, fault codes in fallback records);
// the engine's codes are the StatusCode values its sources and headers use, by the names
// StatusCodeName() gives them (engine/include/voxlet/status.h).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CODE = "'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)'";

function filesUnder(dir, extensions) {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && extensions.some((ext) => entry.name.endsWith(ext)))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

/** The string literals of the VoxletErrorCode union. */
function unionCodes(declarations) {
  const union = declarations.match(/export type VoxletErrorCode =([^;]*);/);
  assert.ok(union, 'index.d.ts declares VoxletErrorCode');
  return new Set([...union[1].matchAll(/'([A-Z0-9_]+)'/g)].map((match) => match[1]));
}

function matchesIn(sources, pattern) {
  const found = new Map(); // code -> first file:line
  for (const [file, text] of sources) {
    for (const match of text.matchAll(new RegExp(pattern, 'g'))) {
      const line = text.slice(0, match.index).split('\n').length;
      if (!found.has(match[1])) found.set(match[1], `${path.relative(ROOT, file)}:${line}`);
    }
  }
  return found;
}

function missingFrom(union, found) {
  return [...found].filter(([code]) => !union.has(code)).map(([code, where]) => `${code} (${where})`);
}

const union = unionCodes(readFileSync(path.join(ROOT, 'web/src/index.d.ts'), 'utf8'));
const jsSources = [...filesUnder('web/src', ['.js']), ...filesUnder('web/bin', ['.mjs', '.js'])].map((file) => [file, readFileSync(file, 'utf8')]);

describe('VoxletErrorCode covers every code', () => {
  test('codes thrown by the JavaScript (new VoxletError, subclasses, error messages from the Worker)', () => {
    const thrown = new Map([
      ...matchesIn(jsSources, `new VoxletError\\(\\s*${CODE}`),
      ...matchesIn(jsSources, `super\\(\\s*${CODE}`),
      ...matchesIn(jsSources, `\\bcode:\\s*${CODE}`),
    ]);
    // The scan must see the codes everybody knows are thrown, or it proves nothing.
    for (const known of ['INVALID_ARGUMENT', 'VOICE_NOT_FOUND', 'THREADS_FIXED', 'EMPTY_INPUT', 'INTERNAL', 'MISSING_DEPENDENCY']) {
      assert.ok(thrown.has(known), `the scan finds ${known}`);
    }
    assert.deepEqual(missingFrom(union, thrown), [], 'thrown but not in the union');
  });

  test('codes handed on: literals passed to helpers that throw them, fault codes of fallback records', () => {
    // Node's own codes (ERR_*) are read from errors Node throws, never thrown by Voxlet.
    const literals = new Map([...matchesIn(jsSources, CODE)].filter(([code]) => code.includes('_') && !code.startsWith('ERR_')));
    for (const known of ['MODEL_NOT_FOUND', 'OUT_OF_MEMORY', 'DEVICE_LOST']) assert.ok(literals.has(known), `the scan finds ${known}`);
    assert.deepEqual(missingFrom(union, literals), [], 'used as a code but not in the union');
  });

  test("the engine's status codes, by the names the JavaScript error gets", () => {
    // Headers too: a code can be a default argument there (xml_reader.h).
    const engineSources = [...filesUnder('engine/src', ['.cc', '.h']), ...filesUnder('engine/include', ['.h'])].map((file) => [file, readFileSync(file, 'utf8')]);
    const nameSource = engineSources.find(([, text]) => /const char\* StatusCodeName\(StatusCode code\)\s*\{/.test(text));
    assert.ok(nameSource, 'StatusCodeName() is defined in engine/src');
    const names = new Map([...nameSource[1].matchAll(/case StatusCode::(k\w+):\s*return "(\w+)";/g)].map((match) => [match[1], match[2]]));
    assert.ok(names.size >= 8, `StatusCodeName() maps ${names.size} codes`);
    const used = new Map();
    for (const [file, text] of engineSources) {
      if (file === nameSource[0]) continue; // the name table itself lists every code, used or not
      for (const match of text.matchAll(/StatusCode::(k\w+)/g)) {
        if (match[1] !== 'kOk') used.set(names.get(match[1]) ?? `${match[1]} (no name in StatusCodeName)`, path.relative(ROOT, file));
      }
    }
    assert.ok(used.has('MALFORMED_SSML') && used.has('LIMIT_EXCEEDED'), `the scan finds engine codes: ${[...used.keys()]}`);
    assert.deepEqual(missingFrom(union, used), [], 'returned by the engine but not in the union');
  });
});
