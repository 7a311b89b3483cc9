// Letter-to-sound model: a context tree over letter windows (IGTree style).
//
// Every letter of a word is one training instance: its features are the letter
// itself and its neighbours, taken in FEATURE_OFFSETS order (most informative
// first); its class is the chunk of phones it was aligned to, with stress
// ("", "K", "EY1", "K S"). The tree splits on one feature per level and every
// node stores the majority class of the instances below it. A node is kept
// only if its class differs from its parent's or a descendant's does, so
// prediction = class of the deepest node that matches the word is the same as
// in the unpruned tree. Runtime twin: engine/src/lexicon.cc.

import { isVowel, phoneCode } from './phones.mjs';

export const FEATURE_OFFSETS = [0, 1, -1, 2, -2, 3, -3, 4, -4];
export const BOUNDARY = 0; // feature value outside the word

// Feature values: 0 boundary, a-z 1..26, apostrophe 27.
export function letterFeature(ch) {
  return ch === "'" ? 27 : ch.charCodeAt(0) - 96;
}

function featuresAt(codes, i, out) {
  for (let f = 0; f < FEATURE_OFFSETS.length; f++) {
    const j = i + FEATURE_OFFSETS[f];
    out[f] = j >= 0 && j < codes.length ? codes[j] : BOUNDARY;
  }
  return out;
}

// Instances from aligned words: [{ word, chunks: string[] per letter }].
function collectInstances(alignedWords, classIdOf) {
  const keys = [];
  const classes = [];
  const feats = new Array(FEATURE_OFFSETS.length);
  for (const { word, chunks } of alignedWords) {
    const codes = [...word].map(letterFeature);
    for (let i = 0; i < codes.length; i++) {
      featuresAt(codes, i, feats);
      keys.push(String.fromCharCode(...feats));
      classes.push(classIdOf.get(chunks[i]));
    }
  }
  return { keys, classes };
}

// Class ids by falling frequency (ties by name) so output is deterministic.
function classTable(alignedWords) {
  const freq = new Map();
  for (const { chunks } of alignedWords) {
    for (const c of chunks) freq.set(c, (freq.get(c) ?? 0) + 1);
  }
  const names = [...freq.keys()].sort(
    (a, b) => freq.get(b) - freq.get(a) || (a < b ? -1 : a > b ? 1 : 0),
  );
  return names;
}

class TreeBuilder {
  constructor(keys, classes, numClasses, minSupport) {
    this.order = keys.map((_, i) => i).sort((a, b) =>
      keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0,
    );
    this.keys = this.order.map((i) => keys[i]);
    this.classes = Int32Array.from(this.order, (i) => classes[i]);
    this.histogram = new Int32Array(numClasses);
    this.minSupport = minSupport;
  }

  // Majority class of sorted instances [lo, hi); ties go to the lower id.
  majority(lo, hi) {
    const touched = [];
    for (let i = lo; i < hi; i++) {
      const c = this.classes[i];
      if (this.histogram[c]++ === 0) touched.push(c);
    }
    let best = touched[0];
    for (const c of touched) {
      const n = this.histogram[c];
      const bestN = this.histogram[best];
      if (n > bestN || (n === bestN && c < best)) best = c;
    }
    for (const c of touched) this.histogram[c] = 0;
    return { cls: best, pure: touched.length === 1 };
  }

  // Node over [lo, hi) whose instances share their first `depth` features.
  build(lo, hi, depth, key) {
    const { cls, pure } = this.majority(lo, hi);
    const node = { key, cls, children: [] };
    if (pure || depth === FEATURE_OFFSETS.length) return node;
    for (let start = lo; start < hi; ) {
      const value = this.keys[start].charCodeAt(depth);
      let end = start + 1;
      while (end < hi && this.keys[end].charCodeAt(depth) === value) end++;
      if (end - start >= this.minSupport) {
        const child = this.build(start, end, depth + 1, value);
        if (child.cls !== cls || child.children.length > 0) node.children.push(child);
      }
      start = end;
    }
    return node;
  }
}

// Breadth-first flattening: the children of a node are contiguous and come
// after it, so the loader can recompute where each node's children start.
function flatten(root) {
  const nodes = [];
  const queue = [root];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    nodes.push(node);
    for (const child of node.children) queue.push(child);
  }
  const keys = Uint8Array.from(nodes, (n) => n.key);
  const cls = Uint8Array.from(nodes, (n) => n.cls);
  const childCount = Uint8Array.from(nodes, (n) => n.children.length);
  return { keys, cls, childCount, firstChild: firstChildIndex(childCount) };
}

function firstChildIndex(childCount) {
  const first = new Uint32Array(childCount.length);
  let next = 1;
  for (let i = 0; i < childCount.length; i++) {
    first[i] = next;
    next += childCount[i];
  }
  return first;
}

// alignedWords: [{ word, chunks }]; returns the flat model.
export function trainLts(alignedWords, { minSupport = 1 } = {}) {
  const classNames = classTable(alignedWords);
  if (classNames.length > 256) throw new Error(`${classNames.length} LTS classes; at most 256 fit a byte`);
  const classIdOf = new Map(classNames.map((c, i) => [c, i]));
  const { keys, classes } = collectInstances(alignedWords, classIdOf);
  const builder = new TreeBuilder(keys, classes, classNames.length, minSupport);
  const root = builder.build(0, keys.length, 0, 0);
  const flat = flatten(root);
  return { classNames, classPhones: classNames.map((c) => (c ? c.split(' ') : [])), ...flat, instances: keys.length };
}

function classAt(model, feats) {
  let node = 0;
  for (const value of feats) {
    const begin = model.firstChild[node];
    const end = begin + model.childCount[node];
    let next = -1;
    for (let c = begin; c < end; c++) {
      if (model.keys[c] === value) {
        next = c;
        break;
      }
    }
    if (next < 0) break;
    node = next;
  }
  return model.cls[node];
}

// Exactly one primary stress when there are vowels: if none was predicted,
// the first secondary (else the first vowel) becomes primary; if several were,
// all but the last become secondary (suffixes such as -ation carry the main
// stress late, and their context predicts it well).
export function fixStress(phones) {
  const vowels = [];
  for (let i = 0; i < phones.length; i++) if (isVowel(phones[i])) vowels.push(i);
  if (vowels.length === 0) return phones;
  const primaries = vowels.filter((i) => phones[i].endsWith('1'));
  const out = phones.slice();
  const withStress = (i, s) => out[i].slice(0, -1) + s;
  if (primaries.length === 0) {
    const secondary = vowels.find((i) => phones[i].endsWith('2'));
    const pick = secondary ?? vowels[0];
    out[pick] = withStress(pick, '1');
  } else {
    for (const i of primaries.slice(0, -1)) out[i] = withStress(i, '2');
  }
  return out;
}

// Predicted phones of a lowercase word (a-z and apostrophes only).
export function predictLts(model, word) {
  const codes = [...word].map(letterFeature);
  const feats = new Array(FEATURE_OFFSETS.length);
  const phones = [];
  for (let i = 0; i < codes.length; i++) {
    phones.push(...model.classPhones[classAt(model, featuresAt(codes, i, feats))]);
  }
  // A word whose letters all map to silence still needs a sound.
  if (phones.length === 0 && codes.length > 0) phones.push('AH1');
  return fixStress(phones);
}

// Section bytes: feature count, signed offsets, classes (u16 count, then per
// class a length byte and phone codes), u32 node count, 3 bytes per node
// (key, class, child count) in breadth-first order.
export function serializeLts(model) {
  const bytes = [FEATURE_OFFSETS.length, ...FEATURE_OFFSETS.map((o) => o & 0xff)];
  bytes.push(model.classPhones.length & 0xff, model.classPhones.length >> 8);
  for (const phones of model.classPhones) {
    const codes = phones.map(phoneCode);
    if (codes.includes(undefined)) throw new Error(`unknown phone in LTS class ${phones}`);
    bytes.push(codes.length, ...codes);
  }
  const n = model.keys.length;
  bytes.push(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff);
  const out = new Uint8Array(bytes.length + 3 * n);
  out.set(bytes);
  for (let i = 0, p = bytes.length; i < n; i++, p += 3) {
    out[p] = model.keys[i];
    out[p + 1] = model.cls[i];
    out[p + 2] = model.childCount[i];
  }
  return out;
}
