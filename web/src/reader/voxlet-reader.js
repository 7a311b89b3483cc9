// <voxlet-reader>: speech for a page without writing JavaScript.
//
//   <script type="module" src="…/voxlet/src/reader/voxlet-reader.js"></script>
//   <voxlet-reader for="article"></voxlet-reader>
//   <article id="article">…</article>
//
// Play / Pause / Resume and Stop buttons, a rate slider and a polite live status; the word
// being spoken is highlighted in the target element (CSS Custom Highlight API, or <mark>
// where the browser lacks it) and kept in view. Escape inside the reader stops.
// Attributes: for (id of the element to read), voice (voice config URL; default: the
// built-in voice), rate (0.5–2, default 1), highlight ("auto" | "mark" | "none"),
// noscroll (do not scroll the spoken word into view).
// Events (not bubbling), mirroring the Utterance's: start, boundary (detail: the word, plus
// its `range`), mark, pause, resume, end (detail.cancelled), error (detail.error), and
// statechange (detail.state: idle | loading | speaking | paused).
// Theming: --voxlet-reader-accent, --voxlet-reader-accent-text, --voxlet-reader-background,
// --voxlet-reader-text, --voxlet-reader-border, --voxlet-reader-radius, --voxlet-reader-focus,
// --voxlet-reader-font, --voxlet-reader-highlight, --voxlet-reader-highlight-text; parts:
// controls, button, play, stop, rate-label, rate, status.
import { Voxlet } from '../voxlet.js';
import { AudioPlayer } from '../audio/player.js';
import { textMapOf } from './text-map.js';
import { createHighlighter } from './word-highlight.js';

const RATE = { min: 0.5, max: 2, step: 0.1 };
const STATUS = { loading: 'Loading voice…', preparing: 'Preparing speech…', speaking: 'Speaking', paused: 'Paused', stopped: 'Stopped', finished: 'Finished' };
const TOGGLE_LABEL = { idle: 'Play', loading: 'Loading…', speaking: 'Pause', paused: 'Resume' };
const FORWARDED_EVENTS = ['start', 'mark', 'pause', 'resume'];

// One Voxlet (one Worker, one ONNX Runtime) per voice for the whole page, and one audio
// output: readers share them, and only one reader speaks at a time.
const voxlets = new Map(); // voice URL ('' = built-in) -> Promise<Voxlet>
let sharedPlayer = null;
let speakingReader = null;

const SHADOW_CSS = `
:host {
  display: block;
  font: var(--voxlet-reader-font, inherit);
  color: var(--voxlet-reader-text, inherit);
}
:host([hidden]) { display: none; }
[part~=controls] {
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.5em;
  padding: 0.5em; border: 1px solid var(--voxlet-reader-border, #8886);
  border-radius: var(--voxlet-reader-radius, 0.5em);
  background: var(--voxlet-reader-background, transparent);
}
button {
  font: inherit; min-width: 5.5em; min-height: 2.25em; padding: 0.25em 0.9em; cursor: pointer;
  border: 1px solid var(--voxlet-reader-accent, #1d4ed8); border-radius: var(--voxlet-reader-radius, 0.5em);
  background: var(--voxlet-reader-accent, #1d4ed8); color: var(--voxlet-reader-accent-text, #fff);
}
button[part~=stop] { background: transparent; color: inherit; }
button[aria-disabled=true] { opacity: 0.55; cursor: default; }
button:focus-visible, input:focus-visible {
  outline: 3px solid var(--voxlet-reader-focus, var(--voxlet-reader-accent, #1d4ed8)); outline-offset: 2px;
}
label { display: inline-flex; align-items: center; gap: 0.4em; }
input[type=range] { accent-color: var(--voxlet-reader-accent, #1d4ed8); }
output { min-width: 3ch; font-variant-numeric: tabular-nums; }
[part~=status] { margin: 0.35em 0 0; min-height: 1.3em; font-size: 0.9em; }
@media (forced-colors: active) {
  button { border-color: ButtonText; background: ButtonFace; color: ButtonText; }
}`;

export class VoxletReader extends HTMLElement {
  static observedAttributes = ['rate', 'voice', 'for'];

  #ui = null;
  #state = 'idle';
  #voxlet = null; // given by the page (reader.voxlet = tts), else the shared one per voice
  #utterance = null;
  #map = null; // the text being read and its nodes (text-map.js)
  #offset = 0; // where the current utterance starts in #map.text (after a rate change)
  #wordStart = 0; // the spoken word's start in #map.text: where a rate change resumes
  #restartOnResume = false;
  #highlighter = null;

  connectedCallback() {
    if (!this.#ui) this.#render();
    this.#syncRate();
  }

  disconnectedCallback() {
    this.stop({ silent: true });
  }

  attributeChangedCallback(name) {
    if (!this.#ui) return;
    if (name === 'rate') this.#syncRate();
    else this.stop(); // another voice or another target: what is being read no longer applies
  }

  /** idle | loading | speaking | paused */
  get state() {
    return this.#state;
  }

  /** The element whose text is read: the one with id `for` in this element's tree. */
  get target() {
    const id = this.getAttribute('for');
    if (!id) return null;
    const root = this.getRootNode();
    return (typeof root.getElementById === 'function' ? root.getElementById(id) : null) ?? document.getElementById(id);
  }

  get rate() {
    return clampRate(Number(this.getAttribute('rate') ?? 1));
  }

  set rate(value) {
    this.setAttribute('rate', String(clampRate(Number(value))));
  }

  /** A Voxlet of the page's own (e.g. from Voxlet.createTuned) instead of the shared one. */
  get voxlet() {
    return this.#voxlet;
  }

  set voxlet(tts) {
    this.stop({ silent: true });
    this.#voxlet = tts ?? null;
  }

  /** Plays from the start (or resumes when paused). Call it from a user gesture: it opens the audio output. */
  async play() {
    if (this.#state === 'paused') return this.resume();
    if (this.#state !== 'idle') return;
    try {
      sharedPlayer ??= AudioPlayer.create(); // inside the gesture (autoplay policy), before any await
    } catch (error) {
      return this.#fail(error); // no Web Audio here
    }
    const target = this.target;
    if (!target) return this.#fail(new Error(`No element with id "${this.getAttribute('for') ?? ''}" to read`));
    const map = textMapOf(target);
    if (map.text.trim() === '') return this.#fail(new Error('The element to read has no text'));
    if (speakingReader && speakingReader !== this) speakingReader.stop();
    speakingReader = this;
    this.#map = map;
    this.#setState('loading', STATUS.loading);
    try {
      const tts = await this.#ready();
      if (this.#state !== 'loading' || this.#map !== map) return; // stopped while loading
      this.#speakFrom(tts, 0);
    } catch (error) {
      if (this.#map === map) this.#fail(error);
    }
  }

  pause() {
    if (this.#state !== 'speaking') return;
    this.#utterance?.pause();
    if (this.#utterance?.state === 'paused') this.#setState('paused', STATUS.paused);
  }

  resume() {
    if (this.#state !== 'paused') return;
    if (this.#restartOnResume) return this.#restart();
    this.#utterance?.resume();
    this.#setState('speaking', STATUS.speaking);
  }

  /** Stops speech and removes the highlight; `silent` leaves the status as it is. */
  stop({ silent = false } = {}) {
    if (this.#state === 'idle') return;
    this.#cancelUtterance();
    this.#map = null;
    this.#end(silent ? null : STATUS.stopped);
  }

  toggle() {
    if (this.#state === 'speaking') this.pause();
    else this.play();
  }

  // ------------------------------------------------------------ speech

  async #ready() {
    const tts = this.#voxlet ?? (await sharedVoxlet(this.getAttribute('voice')));
    const mode = this.getAttribute('highlight') ?? 'auto';
    if (this.#highlighter?.requested !== mode) {
      this.#highlighter?.clear();
      this.#highlighter = Object.assign(createHighlighter(document, mode), { requested: mode });
    }
    return tts;
  }

  #speakFrom(tts, offset) {
    const text = this.#map.text.slice(offset);
    const utterance = tts.speak(text, { rate: this.rate, format: 'text', player: sharedPlayer });
    this.#utterance = utterance;
    this.#offset = offset;
    this.#wordStart = offset; // until the first boundary: a rate change restarts here
    this.#restartOnResume = false;
    this.#setState('speaking', STATUS.preparing);
    const current = () => this.#utterance === utterance;
    utterance.addEventListener('start', () => current() && this.#setStatus(this.#state === 'paused' ? STATUS.paused : STATUS.speaking));
    utterance.addEventListener('boundary', (event) => current() && this.#onBoundary(event.detail));
    utterance.addEventListener('end', (event) => current() && this.#onEnd(event.detail));
    utterance.addEventListener('error', (event) => current() && this.#fail(event.detail.error));
    for (const type of FORWARDED_EVENTS) utterance.addEventListener(type, (event) => current() && this.#emit(type, event.detail));
  }

  #onBoundary(word) {
    const start = word.charStart + this.#offset;
    const end = word.charEnd + this.#offset;
    this.#wordStart = start;
    const range = this.#highlighter.show(this.#map, start, end);
    if (range && !this.hasAttribute('noscroll')) keepInView(range);
    this.#emit('boundary', { ...word, charStart: start, charEnd: end, range });
  }

  #onEnd(detail) {
    this.#utterance = null;
    this.#map = null;
    this.#end(STATUS.finished, detail);
  }

  // A new rate applies at once: the utterance restarts at the word being spoken.
  async #restart() {
    const map = this.#map;
    this.#cancelUtterance();
    try {
      const tts = await this.#ready();
      if (this.#map === map) this.#speakFrom(tts, this.#wordStart); // unless stopped meanwhile
    } catch (error) {
      if (this.#map === map) this.#fail(error);
    }
  }

  #cancelUtterance() {
    const utterance = this.#utterance;
    this.#utterance = null; // first: its end event is then not this reader's
    utterance?.cancel();
  }

  #end(status, detail = { cancelled: true }) {
    this.#highlighter?.clear();
    if (speakingReader === this) speakingReader = null;
    this.#setState('idle', status);
    this.#emit('end', detail);
  }

  #fail(error) {
    this.#cancelUtterance();
    this.#map = null;
    this.#highlighter?.clear();
    if (speakingReader === this) speakingReader = null;
    this.#setState('idle', `Error: ${error?.message ?? error}`);
    this.#emit('error', { error });
  }

  // ------------------------------------------------------------ UI

  #render() {
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${SHADOW_CSS}</style>
      <div part="controls" role="group" aria-label="Read aloud">
        <button part="button play" type="button">Play</button>
        <button part="button stop" type="button" aria-disabled="true">Stop</button>
        <label part="rate-label">Rate
          <input part="rate" type="range" min="${RATE.min}" max="${RATE.max}" step="${RATE.step}" value="1">
          <output aria-hidden="true">1.0×</output>
        </label>
      </div>
      <p part="status" role="status" aria-live="polite" aria-atomic="true"></p>`;
    const ui = {
      toggle: root.querySelector('[part~=play]'),
      stop: root.querySelector('[part~=stop]'),
      rate: root.querySelector('input'),
      rateText: root.querySelector('output'),
      status: root.querySelector('[part~=status]'),
    };
    this.#ui = ui;
    ui.toggle.addEventListener('click', () => ui.toggle.getAttribute('aria-disabled') !== 'true' && this.toggle());
    ui.stop.addEventListener('click', () => ui.stop.getAttribute('aria-disabled') !== 'true' && this.stop());
    ui.rate.addEventListener('input', () => (ui.rateText.value = formatRate(Number(ui.rate.value))));
    ui.rate.addEventListener('change', () => this.#onRateChosen(Number(ui.rate.value)));
    this.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.#state !== 'idle') {
        event.preventDefault();
        this.stop();
      }
    });
  }

  #onRateChosen(value) {
    this.rate = value; // attributeChangedCallback syncs the slider
    if (this.#state === 'speaking') this.#restart();
    else if (this.#state === 'paused') this.#restartOnResume = true;
  }

  #syncRate() {
    if (!this.#ui) return;
    const rate = this.rate;
    this.#ui.rate.value = String(rate);
    this.#ui.rate.setAttribute('aria-valuetext', `${formatRate(rate).replace('×', '')} times`);
    this.#ui.rateText.value = formatRate(rate);
  }

  #setState(state, status) {
    const changed = state !== this.#state;
    this.#state = state;
    const { toggle, stop } = this.#ui ?? {};
    if (toggle) {
      // Disabled by aria-disabled, not `disabled`: the button keeps keyboard focus.
      toggle.textContent = TOGGLE_LABEL[state];
      toggle.setAttribute('aria-disabled', String(state === 'loading'));
      stop.setAttribute('aria-disabled', String(state === 'idle'));
    }
    if (status !== null) this.#setStatus(status);
    if (changed) this.#emit('statechange', { state });
  }

  #setStatus(text) {
    if (this.#ui) this.#ui.status.textContent = text;
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** A Voxlet with `voice` loaded (its URL relative to the page; null: the built-in voice), shared by readers. */
function sharedVoxlet(voice) {
  const url = voice ? new URL(voice, document.baseURI).href : '';
  if (!voxlets.has(url)) {
    const ready = Voxlet.create().then(async (tts) => {
      try {
        await (url ? tts.loadVoice(url) : tts.loadVoice());
        return tts;
      } catch (error) {
        await tts.dispose();
        throw error;
      }
    });
    ready.catch(() => voxlets.delete(url)); // a failed load is tried again on the next Play
    voxlets.set(url, ready);
  }
  return voxlets.get(url);
}

// Scrolls the window so that the word is in view, a third from the top; instantly when the
// user prefers reduced motion.
function keepInView(range) {
  const rect = range.getBoundingClientRect();
  if (rect.height === 0 && rect.width === 0) return;
  if (rect.top >= 0 && rect.bottom <= window.innerHeight) return;
  const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  window.scrollBy({ top: rect.top - window.innerHeight / 3, behavior: reduce ? 'instant' : 'smooth' });
}

function clampRate(value) {
  if (!Number.isFinite(value) || value <= 0) return 1;
  return Math.min(RATE.max, Math.max(RATE.min, Math.round(value * 100) / 100));
}

function formatRate(rate) {
  return `${rate.toFixed(1)}×`;
}

if (!customElements.get('voxlet-reader')) customElements.define('voxlet-reader', VoxletReader);
