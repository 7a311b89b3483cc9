// <voxlet-reader> (web/src/reader/) in headless Chromium, on tests/browser/pages/reader.html:
// real voice, real ONNX Runtime in the Worker, real audio through the AudioWorklet. The page
// is driven as a user drives it: Tab, Enter, Space, Escape and the rate slider's arrow keys.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSkip, useServerAndChromium } from './support.mjs';

const PAGE = '/tests/browser/pages/reader.html';
const ARTICLE_WORDS = ['Reading', 'aloud', 'The', 'quick', 'brown', 'fox', 'jumps', 'over', 'the', 'lazy', 'dog', 'It', 'costs', 'three', 'dollars'];
const SHORT_WORDS = ['One', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

async function openReaderPage(started, { reducedMotion = 'no-preference', viewport, initScript } = {}) {
  const context = await started.browser.newContext({ reducedMotion, ...(viewport ? { viewport } : {}) });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (error) => page.problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && page.problems.push(`console: ${message.text()}`));
  await page.goto(started.server.url.replace(/\/?$/, '') + PAGE);
  await page.waitForFunction(() => customElements.get('voxlet-reader') !== undefined);
  // Everything a reader does, recorded in the page: its events (with the highlight at each
  // word), its live status texts, and where keyboard focus is.
  await page.evaluate(() => {
    window.record = (reader) => {
      const log = { events: [], statuses: [] };
      const status = reader.shadowRoot.querySelector('[role=status]');
      new MutationObserver(() => log.statuses.push(status.textContent)).observe(status, { childList: true, characterData: true, subtree: true });
      for (const type of ['start', 'boundary', 'pause', 'resume', 'end', 'error', 'statechange']) {
        reader.addEventListener(type, (event) => {
          const detail = event.detail ?? {};
          const entry = { type, state: reader.state };
          if (type === 'boundary') {
            Object.assign(entry, { text: detail.text, charStart: detail.charStart, charEnd: detail.charEnd, start: detail.start });
            entry.highlighted = [...(CSS.highlights?.get('voxlet-word') ?? [])].map(String);
            entry.marks = [...document.querySelectorAll('mark.voxlet-word')].map((mark) => mark.textContent);
            entry.rangeText = detail.range?.toString() ?? null;
            entry.inTarget = detail.range ? reader.target.contains(detail.range.commonAncestorContainer) : false;
            entry.afterPrevious = log.lastRange ? log.lastRange.compareBoundaryPoints(Range.START_TO_START, detail.range) < 0 : true;
            log.lastRange = detail.range?.cloneRange() ?? null;
          }
          if (type === 'end') entry.cancelled = detail.cancelled;
          if (type === 'error') entry.error = { code: detail.error?.code, message: detail.error?.message };
          if (type === 'statechange') entry.state = detail.state;
          log.events.push(entry);
        });
      }
      reader.log = log;
    };
    window.focused = () => {
      let element = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      return element ? `${element.getAttribute('part') ?? element.tagName}:${element.textContent.trim()}` : null;
    };
    for (const reader of document.querySelectorAll('voxlet-reader')) window.record(reader);
  });
  return page;
}

const eventsOf = (page, id) => page.evaluate((id) => document.getElementById(id).log.events.map(({ ...event }) => event), id);
const statusesOf = (page, id) => page.evaluate((id) => document.getElementById(id).log.statuses, id);
const countOf = (events, type) => events.filter((event) => event.type === type).length;
const waitForEvent = (page, id, type, count = 1) =>
  page.waitForFunction(({ id, type, count }) => document.getElementById(id).log.events.filter((event) => event.type === type).length >= count, { id, type, count }, { timeout: 120_000 });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe('<voxlet-reader> in Chromium', { skip: browserSkip, timeout: 600_000 }, () => {
  const started = useServerAndChromium();

  test('accessible controls: named buttons in a labelled group, a labelled rate slider, a polite status, Tab order, theming', async () => {
    const page = await openReaderPage(started);
    const reader = page.locator('#reader');
    assert.equal(await reader.getByRole('group', { name: 'Read aloud', exact: true }).count(), 1);
    assert.equal(await reader.getByRole('button', { name: 'Play', exact: true }).count(), 1);
    assert.equal(await reader.getByRole('button', { name: 'Stop', exact: true }).getAttribute('aria-disabled'), 'true', 'Stop is disabled while idle');
    const slider = reader.getByRole('slider', { name: 'Rate', exact: true });
    assert.equal(await slider.inputValue(), '1');
    assert.equal(await slider.getAttribute('aria-valuetext'), '1.0 times');
    const status = reader.getByRole('status');
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    assert.equal(await page.locator('#short-reader').getByRole('slider', { name: 'Rate', exact: true }).inputValue(), '1.5', 'the rate attribute sets the slider');

    const order = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => window.focused()));
    }
    assert.deepEqual(order, ['button play:Play', 'button stop:Stop', 'rate:'], 'Play, Stop, Rate in Tab order');

    const themed = await page.evaluate(() => {
      const play = (id) => getComputedStyle(document.getElementById(id).shadowRoot.querySelector('[part~=play]')).backgroundColor;
      return { themed: play('short-reader'), plain: play('reader') };
    });
    assert.equal(themed.themed, 'rgb(128, 0, 64)', '--voxlet-reader-accent themes the buttons');
    assert.notEqual(themed.plain, themed.themed);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('Enter on Play reads the article: boundary events in order, the highlight covers each spoken word, the status follows', async () => {
    const page = await openReaderPage(started);
    await page.locator('#reader').getByRole('button', { name: 'Play' }).focus();
    await page.keyboard.press('Enter');
    await waitForEvent(page, 'reader', 'end');
    const events = await eventsOf(page, 'reader');
    const words = events.filter((event) => event.type === 'boundary');

    assert.deepEqual(words.map((word) => word.text), ARTICLE_WORDS, 'headings and paragraphs in order; hidden, aria-hidden and script text left out');
    for (const [i, word] of words.entries()) {
      assert.deepEqual(word.highlighted, [word.text], `word ${i}: exactly the spoken word is highlighted (CSS Custom Highlight API)`);
      assert.equal(word.rangeText, word.text, `word ${i}: its range`);
      assert.ok(word.inTarget, `word ${i} is inside the target element`);
      assert.ok(word.afterPrevious, `word ${i} (${word.text}) comes after word ${i - 1} in the document`);
      assert.equal(word.state, 'speaking');
    }
    assert.ok(words.every((word, i) => i === 0 || word.start >= words[i - 1].start), 'boundaries in time order');
    const types = events.map((event) => event.type);
    assert.ok(types.indexOf('start') < types.indexOf('boundary'), 'start before the first word');
    assert.equal(events.at(-1).type, 'end');
    assert.equal(events.at(-1).cancelled, false);
    assert.deepEqual(events.filter((event) => event.type === 'statechange').map((event) => event.state), ['loading', 'speaking', 'idle']);

    const statuses = await statusesOf(page, 'reader');
    const at = (text) => statuses.indexOf(text);
    assert.ok(at('Loading voice…') >= 0 && at('Loading voice…') < at('Speaking') && at('Speaking') < at('Finished'), `statuses: ${statuses}`);
    assert.equal(await page.evaluate(() => CSS.highlights.get('voxlet-word').size), 0, 'no highlight after the end');
    assert.equal(await page.locator('#reader').getByRole('button', { name: 'Play' }).count(), 1, 'the button says Play again');
    assert.equal(await page.evaluate(() => window.focused()), 'button play:Play', 'focus stayed on the button');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('Space pauses and resumes (no words while paused), Escape stops at once and clears the highlight', async () => {
    const page = await openReaderPage(started);
    const toggle = page.locator('#short-reader').getByRole('button', { name: 'Play' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await waitForEvent(page, 'short-reader', 'boundary', 2);
    await page.keyboard.press('Space');
    await waitForEvent(page, 'short-reader', 'pause');
    assert.equal(await page.evaluate(() => window.focused()), 'button play:Resume', 'the focused button now says Resume');
    const pausedAt = countOf(await eventsOf(page, 'short-reader'), 'boundary');
    await sleep(800);
    assert.equal(countOf(await eventsOf(page, 'short-reader'), 'boundary'), pausedAt, 'no word is spoken while paused');
    assert.equal(await page.evaluate(() => document.getElementById('short-reader').state), 'paused');

    await page.keyboard.press('Space');
    await waitForEvent(page, 'short-reader', 'boundary', pausedAt + 1);
    await page.keyboard.press('Escape');
    await waitForEvent(page, 'short-reader', 'end');
    const stoppedAt = countOf(await eventsOf(page, 'short-reader'), 'boundary');
    await sleep(800);
    const events = await eventsOf(page, 'short-reader');
    assert.equal(countOf(events, 'boundary'), stoppedAt, 'no word after Stop');
    assert.ok(stoppedAt < SHORT_WORDS.length, 'stopped before the end');
    assert.equal(events.at(-1).type, 'end');
    assert.equal(events.at(-1).cancelled, true);
    assert.deepEqual(events.filter((event) => ['pause', 'resume'].includes(event.type)).map((event) => event.type), ['pause', 'resume']);
    const statuses = await statusesOf(page, 'short-reader');
    assert.deepEqual(statuses.filter((text) => ['Paused', 'Speaking', 'Stopped'].includes(text)).slice(-3), ['Paused', 'Speaking', 'Stopped'], `statuses: ${statuses}`);
    assert.equal(await page.evaluate(() => CSS.highlights.get('voxlet-word').size), 0, 'Stop clears the highlight');
    assert.equal(await page.evaluate(() => document.getElementById('short-reader').state), 'idle');
    assert.equal(await page.locator('#short-reader').getByRole('button', { name: 'Stop' }).getAttribute('aria-disabled'), 'true');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('rate: the slider (arrow keys) changes the rate at once, going on from the word being spoken', async () => {
    const page = await openReaderPage(started);
    await page.locator('#short-reader').getByRole('button', { name: 'Play' }).click();
    await waitForEvent(page, 'short-reader', 'boundary', 3);
    const slider = page.locator('#short-reader').getByRole('slider', { name: 'Rate' });
    await slider.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft'); // 1.5 -> 1.0
    await waitForEvent(page, 'short-reader', 'end');
    const events = await eventsOf(page, 'short-reader');
    const words = events.filter((event) => event.type === 'boundary');
    assert.equal(await page.evaluate(() => document.getElementById('short-reader').getAttribute('rate')), '1', 'the attribute follows the slider');
    assert.equal(await slider.getAttribute('aria-valuetext'), '1.0 times');
    assert.equal(events.at(-1).cancelled, false, 'read to the end');
    assert.deepEqual([...new Set(words.map((word) => word.text))], SHORT_WORDS, 'every word, in order');
    // A restart begins again at the word being spoken: one word may be said twice, none skipped or gone back over.
    for (let i = 1; i < words.length; i++) assert.ok(words[i].charStart >= words[i - 1].charStart, `word ${i} (${words[i].text}) does not go back`);
    // Each key press is a change: the utterance restarted (its audio clock began again) at least once.
    const restarts = words.map((word, i) => (i > 0 && word.start < words[i - 1].start ? i : -1)).filter((i) => i > 0);
    assert.ok(restarts.length >= 1, 'the utterance restarted');
    // Model time per word, not wall time: after the last change (rate 1) words take longer than before the first (1.5).
    const perWord = (list) => (list.at(-1).start - list[0].start) / (list.length - 1);
    const [before, after] = [words.slice(0, restarts[0]), words.slice(restarts.at(-1))];
    assert.ok(before.length >= 2 && after.length >= 2, `${before.length} words before, ${after.length} after`);
    assert.ok(perWord(after) > perWord(before), `slower after the change: ${perWord(before)} -> ${perWord(after)} s per word`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('without the CSS Custom Highlight API the word is wrapped in <mark>, and the page is left as it was', async () => {
    const page = await openReaderPage(started, { initScript: () => delete window.Highlight });
    const before = await page.evaluate(() => {
      const target = document.getElementById('short');
      window.firstText = target.firstChild;
      return target.innerHTML;
    });
    await page.locator('#short-reader').getByRole('button', { name: 'Play' }).click();
    await waitForEvent(page, 'short-reader', 'end');
    const words = (await eventsOf(page, 'short-reader')).filter((event) => event.type === 'boundary');
    assert.deepEqual(words.map((word) => word.text), SHORT_WORDS);
    for (const word of words) assert.deepEqual(word.marks, [word.text], `<mark> around ${word.text} while it is spoken`);
    const after = await page.evaluate(() => {
      const target = document.getElementById('short');
      return { html: target.innerHTML, sameNode: target.firstChild === window.firstText, marks: document.querySelectorAll('mark').length };
    });
    assert.deepEqual(after, { html: before, sameNode: true, marks: 0 }, 'the original text node is back, unchanged');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the spoken word is kept in view: smooth scrolling, instant under prefers-reduced-motion', async () => {
    const behaviours = {};
    for (const reducedMotion of ['no-preference', 'reduce']) {
      const page = await openReaderPage(started, { reducedMotion, viewport: { width: 800, height: 500 } });
      await page.evaluate(() => {
        window.scrolls = [];
        const scrollBy = window.scrollBy.bind(window);
        window.scrollBy = (options) => {
          window.scrolls.push(options.behavior);
          scrollBy(options);
        };
      });
      await page.locator('#far-reader').getByRole('button', { name: 'Play' }).click();
      await waitForEvent(page, 'far-reader', 'end');
      behaviours[reducedMotion] = await page.evaluate(() => ({ scrolls: window.scrolls, scrollY: window.scrollY }));
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
    assert.ok(behaviours['no-preference'].scrolls.length >= 1, 'scrolled to the far words');
    assert.ok(behaviours['no-preference'].scrolls.every((behaviour) => behaviour === 'smooth'), JSON.stringify(behaviours));
    assert.ok(behaviours.reduce.scrolls.length >= 1);
    assert.ok(behaviours.reduce.scrolls.every((behaviour) => behaviour === 'instant'), JSON.stringify(behaviours));
    assert.ok(behaviours.reduce.scrollY > 0, 'the page really scrolled');
  });

  test('errors are announced: a voice that is not there, a missing target; Play works again afterwards', async () => {
    const page = await openReaderPage(started);
    await page.evaluate(() => {
      const reader = document.getElementById('short-reader');
      reader.setAttribute('voice', '/models/no-such-voice/voice.json');
    });
    await page.locator('#short-reader').getByRole('button', { name: 'Play' }).click();
    await waitForEvent(page, 'short-reader', 'error');
    const events = await eventsOf(page, 'short-reader');
    const error = events.find((event) => event.type === 'error').error;
    assert.equal(error.code, 'VOICE_NOT_FOUND');
    const status = await page.locator('#short-reader').getByRole('status').textContent();
    assert.match(status, /^Error: .*voice\.json/);
    assert.equal(await page.evaluate(() => document.getElementById('short-reader').state), 'idle');

    await page.evaluate(() => document.getElementById('reader').setAttribute('for', 'nothing-here'));
    await page.locator('#reader').getByRole('button', { name: 'Play' }).click();
    await waitForEvent(page, 'reader', 'error');
    assert.match(await page.locator('#reader').getByRole('status').textContent(), /No element with id "nothing-here"/);

    // Without a voice attribute: the built-in voice (tts.loadVoice() with no argument).
    await page.evaluate(() => document.getElementById('short-reader').removeAttribute('voice'));
    await page.locator('#short-reader').getByRole('button', { name: 'Play' }).click();
    await waitForEvent(page, 'short-reader', 'end');
    const after = await eventsOf(page, 'short-reader');
    assert.equal(after.at(-1).cancelled, false, 'plays after the error, with the built-in voice');
    assert.deepEqual(after.slice(after.findIndex((event) => event.type === 'error')).filter((event) => event.type === 'boundary').map((event) => event.text), SHORT_WORDS);
    assert.deepEqual(page.problems.filter((problem) => !/404|Failed to load resource/.test(problem)), []);
    await page.context().close();
  });
});
