// Letter-to-phone alignment by expectation maximisation (forward-backward).
// Each letter emits a "chunk": nothing (epsilon), one phone, or two phones
// (a pseudo-phone such as "K S" for the x of "box"). Phones are aligned without
// stress; callers put the stress back from the original pronunciation.

import { BASE_PHONES } from './phones.mjs';

const NUM_BASE = BASE_PHONES.length; // 39
export const NUM_CHUNKS = 1 + NUM_BASE + NUM_BASE * NUM_BASE;

// Letters: a-z -> 0..25, apostrophe -> 26.
export const NUM_LETTERS = 27;
export function letterIndex(ch) {
  return ch === "'" ? 26 : ch.charCodeAt(0) - 97;
}

function chunkId(phones, start, length) {
  if (length === 0) return 0;
  if (length === 1) return 1 + phones[start];
  return 1 + NUM_BASE + phones[start] * NUM_BASE + phones[start + 1];
}

// Starting point: two-phone chunks are possible but unlikely, so EM only uses
// them where one letter plainly stands for two sounds.
function initialProbabilities() {
  const prob = new Float64Array(NUM_LETTERS * NUM_CHUNKS);
  for (let l = 0; l < NUM_LETTERS; l++) {
    for (let c = 0; c < NUM_CHUNKS; c++) {
      prob[l * NUM_CHUNKS + c] = c <= NUM_BASE ? 1 : 0.01;
    }
  }
  return prob;
}

// alpha[i][j]: probability mass of emitting phones[0..j) from letters[0..i).
function forward(letters, phones, prob) {
  const n = letters.length;
  const m = phones.length;
  const alpha = new Float64Array((n + 1) * (m + 1));
  alpha[0] = 1;
  for (let i = 1; i <= n; i++) {
    const row = letters[i - 1] * NUM_CHUNKS;
    for (let j = 0; j <= m; j++) {
      let sum = 0;
      for (let k = 0; k <= 2 && k <= j; k++) {
        const before = alpha[(i - 1) * (m + 1) + j - k];
        if (before > 0) sum += before * prob[row + chunkId(phones, j - k, k)];
      }
      alpha[i * (m + 1) + j] = sum;
    }
  }
  return alpha;
}

function backward(letters, phones, prob) {
  const n = letters.length;
  const m = phones.length;
  const beta = new Float64Array((n + 1) * (m + 1));
  beta[n * (m + 1) + m] = 1;
  for (let i = n - 1; i >= 0; i--) {
    const row = letters[i] * NUM_CHUNKS;
    for (let j = 0; j <= m; j++) {
      let sum = 0;
      for (let k = 0; k <= 2 && j + k <= m; k++) {
        const after = beta[(i + 1) * (m + 1) + j + k];
        if (after > 0) sum += after * prob[row + chunkId(phones, j, k)];
      }
      beta[i * (m + 1) + j] = sum;
    }
  }
  return beta;
}

function accumulateExpectedCounts(word, prob, counts) {
  const { letters, phones } = word;
  const n = letters.length;
  const m = phones.length;
  const alpha = forward(letters, phones, prob);
  const total = alpha[n * (m + 1) + m];
  if (!(total > 0)) return false;
  const beta = backward(letters, phones, prob);
  for (let i = 1; i <= n; i++) {
    const row = letters[i - 1] * NUM_CHUNKS;
    for (let j = 0; j <= m; j++) {
      const after = beta[i * (m + 1) + j];
      if (after === 0) continue;
      for (let k = 0; k <= 2 && k <= j; k++) {
        const before = alpha[(i - 1) * (m + 1) + j - k];
        if (before === 0) continue;
        const c = chunkId(phones, j - k, k);
        counts[row + c] += (before * prob[row + c] * after) / total;
      }
    }
  }
  return true;
}

function normalizePerLetter(counts) {
  const prob = new Float64Array(counts.length);
  for (let l = 0; l < NUM_LETTERS; l++) {
    let sum = 0;
    for (let c = 0; c < NUM_CHUNKS; c++) sum += counts[l * NUM_CHUNKS + c];
    if (sum === 0) continue;
    for (let c = 0; c < NUM_CHUNKS; c++) {
      prob[l * NUM_CHUNKS + c] = counts[l * NUM_CHUNKS + c] / sum;
    }
  }
  return prob;
}

// Most probable alignment: for each letter, how many phones it emits (0..2).
function viterbi(word, prob) {
  const { letters, phones } = word;
  const n = letters.length;
  const m = phones.length;
  const score = new Float64Array((n + 1) * (m + 1)).fill(-Infinity);
  const step = new Int8Array((n + 1) * (m + 1));
  score[0] = 0;
  for (let i = 1; i <= n; i++) {
    const row = letters[i - 1] * NUM_CHUNKS;
    for (let j = 0; j <= m; j++) {
      for (let k = 0; k <= 2 && k <= j; k++) {
        const p = prob[row + chunkId(phones, j - k, k)];
        const s = score[(i - 1) * (m + 1) + j - k] + Math.log(p);
        if (s > score[i * (m + 1) + j]) {
          score[i * (m + 1) + j] = s;
          step[i * (m + 1) + j] = k;
        }
      }
    }
  }
  if (score[n * (m + 1) + m] === -Infinity) return null;
  const lengths = new Array(n);
  for (let i = n, j = m; i > 0; i--) {
    lengths[i - 1] = step[i * (m + 1) + j];
    j -= lengths[i - 1];
  }
  return lengths;
}

// words: [{ letters: number[], phones: number[] (base phone indices) }].
// Returns, per word, the number of phones each letter emits, or null when the
// word cannot be aligned (more than two phones per letter).
export function alignWords(words, { iterations = 5, log = () => {} } = {}) {
  let prob = initialProbabilities();
  for (let it = 0; it < iterations; it++) {
    const counts = new Float64Array(prob.length);
    let aligned = 0;
    for (const word of words) {
      if (accumulateExpectedCounts(word, prob, counts)) aligned++;
    }
    prob = normalizePerLetter(counts);
    log(`  EM iteration ${it + 1}: ${aligned} words aligned`);
  }
  return words.map((word) => viterbi(word, prob));
}
