// The text a <voxlet-reader> speaks, and the way back from its offsets to the DOM.
//
// The spoken text is built from the target element's own text nodes, in document order,
// so a word boundary's [charStart, charEnd) (UTF-16 offsets into that text) maps onto the
// nodes exactly. Between blocks (paragraphs, headings, list items, cells) a blank line is
// inserted: the engine reads it as a paragraph (a sentence end and a pause), and it belongs
// to no node, so no word can straddle it.

// Elements whose text is not read: code and styling, form fields, embedded content.
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'TEXTAREA', 'SELECT', 'OPTION', 'IFRAME', 'OBJECT', 'SVG', 'MATH', 'CANVAS', 'VOXLET-READER']);
const PARAGRAPH = '\n\n';

/**
 * @typedef {{ node: Text, start: number }} Piece  a text node and where its data starts in `text`
 * @typedef {{ text: string, pieces: Piece[] }} TextMap
 */

/**
 * Collects the readable text of `root`: visible text nodes in order, blocks apart.
 * Hidden content (hidden, aria-hidden="true", display: none, visibility: hidden) is left out,
 * as a screen reader would leave it out.
 * @param {Element} root
 * @returns {TextMap}
 */
export function textMapOf(root) {
  const map = { text: '', pieces: [] };
  collect(root, map);
  return map;
}

function collect(element, map) {
  for (const child of element.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) {
      if (child.data === '' || isInvisible(child.parentElement)) continue;
      map.pieces.push({ node: child, start: map.text.length });
      map.text += child.data;
    } else if (child.nodeType === Node.ELEMENT_NODE && !isSkipped(child)) {
      if (child.tagName === 'BR') {
        map.text += '\n';
        continue;
      }
      const block = isBlock(child);
      if (block) separate(map);
      collect(child, map);
      if (block) separate(map);
    }
  }
}

function separate(map) {
  if (map.text !== '' && !map.text.endsWith(PARAGRAPH)) map.text += PARAGRAPH;
}

function isSkipped(element) {
  if (SKIPPED.has(element.tagName.toUpperCase())) return true;
  if (element.hidden || element.getAttribute('aria-hidden') === 'true') return true;
  return getComputedStyle(element).display === 'none';
}

// visibility: hidden can be undone by a descendant, so it is checked per text node.
function isInvisible(element) {
  return element !== null && getComputedStyle(element).visibility !== 'visible';
}

function isBlock(element) {
  const display = getComputedStyle(element).display;
  return !display.startsWith('inline') && display !== 'contents';
}

/**
 * The parts of text nodes that [start, end) covers, in order; empty when the map no
 * longer matches the DOM (a node was removed or its text changed since the map was made).
 * @param {TextMap} map
 * @returns {{ node: Text, from: number, to: number }[]}
 */
export function piecesFor(map, start, end) {
  const parts = [];
  for (let i = firstPieceEndingAfter(map.pieces, start); i < map.pieces.length; i++) {
    const { node, start: at } = map.pieces[i];
    if (at >= end) break;
    if (!node.isConnected) return [];
    const from = Math.max(0, start - at);
    const to = Math.min(node.data.length, end - at);
    if (to > from) parts.push({ node, from, to });
  }
  return parts;
}

// Binary search: the first piece whose data ends after `offset`.
function firstPieceEndingAfter(pieces, offset) {
  let [low, high] = [0, pieces.length];
  while (low < high) {
    const mid = (low + high) >> 1;
    if (pieces[mid].start + pieces[mid].node.data.length <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * A DOM Range over [start, end) of the map's text, or null when nothing of it is in the DOM.
 * @param {TextMap} map
 * @returns {Range|null}
 */
export function rangeFor(map, start, end) {
  const parts = piecesFor(map, start, end);
  if (parts.length === 0) return null;
  const range = new Range();
  range.setStart(parts[0].node, parts[0].from);
  range.setEnd(parts.at(-1).node, parts.at(-1).to);
  return range;
}
