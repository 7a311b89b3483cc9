// Highlighting the word being spoken, without touching the page's DOM where the browser
// allows it: the CSS Custom Highlight API paints a Range (`::highlight(voxlet-word)`).
// Where that API is missing, the fallback wraps the word's text in <mark class="voxlet-word">
// and restores the original text nodes afterwards (same node objects, same text), so the
// reader's text map and any script that holds those nodes stay valid.
import { piecesFor, rangeFor } from './text-map.js';

export const HIGHLIGHT_NAME = 'voxlet-word';
const STYLE_ID = 'voxlet-reader-highlight-style';

// Document-level rules: the highlighted text lives in the page (light DOM), not in the
// reader's shadow root. Custom properties come from the highlighted text's element.
const DOCUMENT_CSS = `
::highlight(${HIGHLIGHT_NAME}) {
  background-color: var(--voxlet-reader-highlight, #ffe16b);
  color: var(--voxlet-reader-highlight-text, #111);
}
mark.${HIGHLIGHT_NAME} {
  background-color: var(--voxlet-reader-highlight, #ffe16b);
  color: var(--voxlet-reader-highlight-text, #111);
  border-radius: 0.15em;
  transition: background-color 120ms ease-out;
}
@media (prefers-reduced-motion: reduce) {
  mark.${HIGHLIGHT_NAME} { transition: none; }
}
@media (forced-colors: active) {
  ::highlight(${HIGHLIGHT_NAME}), mark.${HIGHLIGHT_NAME} { background-color: Highlight; color: HighlightText; }
}`;

/** True where the CSS Custom Highlight API exists. */
export function hasHighlightApi() {
  return typeof globalThis.Highlight === 'function' && globalThis.CSS?.highlights != null;
}

/**
 * A highlighter for one reader: show(map, start, end) marks one word (replacing the last),
 * clear() removes it. `mode`: 'auto' (the Highlight API, else marks), 'mark', or 'none'.
 * @returns {{ mode: string, show(map: object, start: number, end: number): Range|null, clear(): void }}
 */
export function createHighlighter(document, mode = 'auto') {
  installDocumentStyle(document);
  if (mode === 'none') return { mode, show: (map, start, end) => rangeFor(map, start, end), clear() {} };
  if (mode === 'mark' || !hasHighlightApi()) return markHighlighter(document);
  return cssHighlighter();
}

function installDocumentStyle(document) {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement('style');
  style.id = STYLE_ID;
  style.textContent = DOCUMENT_CSS;
  document.head.append(style);
}

// Several readers share one Highlight (one name, one style); each adds and removes its own range.
function cssHighlighter() {
  let current = null;
  const shared = () => {
    let highlight = CSS.highlights.get(HIGHLIGHT_NAME);
    if (!highlight) CSS.highlights.set(HIGHLIGHT_NAME, (highlight = new Highlight()));
    return highlight;
  };
  const clear = () => {
    if (current) shared().delete(current);
    current = null;
  };
  return {
    mode: 'highlight',
    show(map, start, end) {
      clear();
      current = rangeFor(map, start, end);
      if (current) shared().add(current);
      return current;
    },
    clear,
  };
}

function markHighlighter(document) {
  let wrapped = []; // { node, created: Node[] }: an original text node and what replaced it
  const clear = () => {
    for (const { node, created } of wrapped) {
      created[0].before(node);
      for (const replacement of created) replacement.remove();
    }
    wrapped = [];
  };
  return {
    mode: 'mark',
    show(map, start, end) {
      clear();
      const parts = piecesFor(map, start, end);
      wrapped = parts.map((part) => wrapPart(document, part));
      if (!wrapped.length) return null;
      const range = new Range(); // over the marks: for scrolling the word into view
      range.setStartBefore(wrapped[0].mark);
      range.setEndAfter(wrapped.at(-1).mark);
      return range;
    },
    clear,
  };
}

// Replaces a text node by [before] <mark>word</mark> [after], keeping the node for later.
function wrapPart(document, { node, from, to }) {
  const mark = document.createElement('mark');
  mark.className = HIGHLIGHT_NAME;
  mark.textContent = node.data.slice(from, to);
  const created = [];
  if (from > 0) created.push(document.createTextNode(node.data.slice(0, from)));
  created.push(mark);
  if (to < node.data.length) created.push(document.createTextNode(node.data.slice(to)));
  node.replaceWith(...created);
  return { node, created, mark };
}
