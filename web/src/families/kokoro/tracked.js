// A string that remembers where each of its characters came from, through regex
// replacements: Kokoro's front end rewrites the text (and then the phonemes) with
// replace() chains, and word boundaries need each spoken word's span in the input.
//
//   let t = Tracked.of('Dr. Who');
//   t = t.replace(/\bD[Rr]\.(?= [A-Z])/g, 'Doctor');   // t.text === 'Doctor Who'
//   t.spanOf(0, 6);                                       // [0, 3]: "Doctor" came from "Dr."
//
// replace() gives exactly String.prototype.replace's result (same matches, global or
// not; the replacement is a string without $-patterns or a function called as replace
// calls it). Characters a replacement writes take the span of the text it replaced;
// characters inserted at an empty match take an empty span at that place.
export class Tracked {
  /**
   * @param {string} text
   * @param {Int32Array} starts  per UTF-16 unit of text: where its origin starts
   * @param {Int32Array} ends    ... and ends (exclusive)
   */
  constructor(text, starts, ends) {
    this.text = text;
    this.starts = starts;
    this.ends = ends;
  }

  /** A string whose unit i comes from [i, i + 1). */
  static of(text) {
    const starts = new Int32Array(text.length);
    const ends = new Int32Array(text.length);
    for (let i = 0; i < text.length; i++) [starts[i], ends[i]] = [i, i + 1];
    return new Tracked(text, starts, ends);
  }

  /** Pieces joined, each keeping its own origins. */
  static concat(pieces) {
    const text = pieces.map((piece) => piece.text).join('');
    const starts = new Int32Array(text.length);
    const ends = new Int32Array(text.length);
    let at = 0;
    for (const piece of pieces) {
      starts.set(piece.starts, at);
      ends.set(piece.ends, at);
      at += piece.text.length;
    }
    return new Tracked(text, starts, ends);
  }

  /** A string whose every unit comes from [start, end). */
  static uniform(text, start, end) {
    return new Tracked(text, new Int32Array(text.length).fill(start), new Int32Array(text.length).fill(end));
  }

  slice(begin, end = this.text.length) {
    return new Tracked(this.text.slice(begin, end), this.starts.slice(begin, end), this.ends.slice(begin, end));
  }

  /** The origin of units [begin, end): from the first's start to the last's end. */
  spanOf(begin, end) {
    if (end <= begin) {
      const at = begin < this.text.length ? this.starts[begin] : this.text.length ? this.ends[this.text.length - 1] : 0;
      return [at, at];
    }
    let start = Infinity;
    let stop = -Infinity;
    for (let i = begin; i < end; i++) {
      start = Math.min(start, this.starts[i]);
      stop = Math.max(stop, this.ends[i]);
    }
    return [start, stop];
  }

  replace(pattern, replacement) {
    const matches = pattern.global ? Array.from(this.text.matchAll(pattern)) : [new RegExp(pattern.source, pattern.flags).exec(this.text)].filter(Boolean);
    if (matches.length === 0) return this;
    const parts = [];
    let at = 0;
    for (const match of matches) {
      parts.push(this.slice(at, match.index));
      const written = typeof replacement === 'function' ? String(replacement(...match, match.index, this.text)) : replacement;
      const [start, end] = this.spanOf(match.index, match.index + match[0].length);
      parts.push(Tracked.uniform(written, start, end));
      at = match.index + match[0].length;
    }
    parts.push(this.slice(at));
    return Tracked.concat(parts);
  }

  trim() {
    const begin = this.text.length - this.text.trimStart().length;
    const end = this.text.trimEnd().length;
    return end <= begin ? this.slice(0, 0) : this.slice(begin, end);
  }
}
