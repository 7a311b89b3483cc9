#!/usr/bin/env node
// Runtime benchmark in headless Chromium (the targets), built-in voice:
//   - first audio after speak() for a 20-word sentence, warm WASM, 2 threads,
//     side by side with the baseline "synthesize the whole sentence, then play";
//   - streaming real-time factor of a long text on 2 threads and on 1 thread;
//   - underruns while speak() plays a text in real time;
//   - main-thread long tasks (> 50 ms) during all of it (PerformanceObserver).
//
//   node --no-experimental-fetch scripts/bench/runtime-browser.mjs [--words 2000] [--speak-words 60] [--rounds 5] [--json]
//
// One Voxlet per thread count in the same page (each has its own Worker and ORT
// instance), measured alternately so machine noise hits both alike.
import { parseArgs } from 'node:util';
import { DEFAULT_VOICE, launchChromium, openHarness, startTestServer } from '../../tests/browser/support.mjs';

const { values: args } = parseArgs({
  options: {
    words: { type: 'string', default: '2000' },
    'speak-words': { type: 'string', default: '60' },
    rounds: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});

const SENTENCE_20 = 'Please remember to bring your umbrella tomorrow, because the weather report says heavy rain will start early in the morning.';
const FILLER = [
  'The river ran quietly past the old mill, where children once played on summer evenings.',
  'Nobody expected the meeting to last three hours, but the questions kept coming.',
  'She opened the window, listened to the birds, and decided to walk to work instead.',
  'A good map shows not only the roads but also the hills you will have to climb.',
];

function textOfWords(count) {
  const words = [];
  for (let i = 0; words.length < count; i++) words.push(...FILLER[i % FILLER.length].split(' '));
  return words.slice(0, count).join(' ').replace(/[,.]?$/, '.');
}

// Runs in the page.
async function benchInPage({ voice, sentence, longText, speakText, rounds }) {
  const longTasks = []; // [startTime, duration]
  new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((entry) => [entry.startTime, entry.duration]))).observe({ type: 'longtask', buffered: true });
  const { Voxlet } = window.voxlet;
  const coldStart = performance.now();
  const two = await Voxlet.create({ backend: 'wasm', threads: 2 });
  await two.loadVoice(voice);
  const cold = performance.now() - coldStart;
  const one = await Voxlet.create({ backend: 'wasm', threads: 1 });
  await one.loadVoice(voice);
  for (const tts of [two, one]) await tts.synthesize(sentence); // warm-up
  const synthesisStart = performance.now(); // long tasks after this count as "during synthesis"

  const timeToStart = async (options) => {
    const begin = performance.now();
    const utterance = two.speak(sentence, options);
    await new Promise((resolve) => utterance.addEventListener('start', resolve));
    const elapsed = performance.now() - begin;
    utterance.cancel();
    await utterance.done;
    return elapsed;
  };
  const firstAudio = [];
  const firstAudioShort = [];
  const wholeThenPlay = [];
  for (let round = 0; round < rounds; round++) {
    firstAudio.push(await timeToStart({}));
    firstAudioShort.push(await timeToStart({ firstChunkIds: 24 }));
    const begin = performance.now();
    await two.synthesize(sentence);
    wholeThenPlay.push(performance.now() - begin);
  }

  const streamRtf = async (tts) => {
    const begin = performance.now();
    let samples = 0;
    let sampleRate = 1;
    for await (const chunk of tts.stream(longText)) {
      samples += chunk.audio.length;
      sampleRate = chunk.sampleRate;
    }
    return { seconds: (performance.now() - begin) / 1000, audioSeconds: samples / sampleRate };
  };
  const rtfTwo = await streamRtf(two);
  const rtfOne = await streamRtf(one);

  const spoken = two.speak(speakText);
  const ended = new Promise((resolve) => spoken.addEventListener('end', (event) => resolve(event.detail)));
  await spoken.done;
  const { underruns } = await ended;

  await two.dispose();
  await one.dispose();
  const duringSynthesis = longTasks.filter(([start]) => start >= synthesisStart).map(([, duration]) => duration);
  const atStartup = longTasks.filter(([start]) => start < synthesisStart).map(([, duration]) => duration);
  return { cold, firstAudio, firstAudioShort, wholeThenPlay, rtfTwo, rtfOne, underruns, duringSynthesis, atStartup };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const server = await startTestServer();
const browser = await launchChromium();
try {
  const page = await openHarness(browser, server);
  const result = await page.evaluate(benchInPage, {
    voice: new URL(DEFAULT_VOICE, page.url()).href,
    sentence: SENTENCE_20,
    longText: textOfWords(Number(args.words)),
    speakText: textOfWords(Number(args['speak-words'])),
    rounds: Number(args.rounds),
  });
  const report = {
    coldStartMs: Math.round(result.cold),
    firstAudioMs: Math.round(median(result.firstAudio)),
    firstAudio24IdsMs: Math.round(median(result.firstAudioShort)),
    wholeThenPlayMs: Math.round(median(result.wholeThenPlay)),
    firstAudioRatio: +(median(result.firstAudio) / median(result.wholeThenPlay)).toFixed(2),
    words: Number(args.words),
    audioSeconds: +result.rtfTwo.audioSeconds.toFixed(1),
    rtf2Threads: +(result.rtfTwo.seconds / result.rtfTwo.audioSeconds).toFixed(3),
    rtf1Thread: +(result.rtfOne.seconds / result.rtfOne.audioSeconds).toFixed(3),
    speedup2vs1: +(result.rtfOne.seconds / result.rtfTwo.seconds).toFixed(2),
    underruns: result.underruns,
    longTasksDuringSynthesis: result.duringSynthesis.filter((ms) => ms > 50).length,
    longestTaskDuringSynthesisMs: Math.round(Math.max(0, ...result.duringSynthesis)),
    longestTaskAtStartupMs: Math.round(Math.max(0, ...result.atStartup)),
  };
  if (args.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`cold start (engine + ORT + voice, 2 threads): ${report.coldStartMs} ms`);
    console.log(`first audio after speak(), 20 words, warm, 2 threads: ${report.firstAudioMs} ms (median of ${args.rounds}; target <= 250)`);
    console.log(`  with a 24-id first chunk (firstChunkIds: 24): ${report.firstAudio24IdsMs} ms`);
    console.log(`  baseline, synthesize whole sentence then play: ${report.wholeThenPlayMs} ms -> ratio ${report.firstAudioRatio}`);
    console.log(`streaming RTF, ${report.words} words (${report.audioSeconds} s of audio): 2 threads ${report.rtf2Threads} (target <= 0.3), 1 thread ${report.rtf1Thread}, speed-up ${report.speedup2vs1}x`);
    console.log(`underruns while speaking ${args['speak-words']} words in real time: ${report.underruns}`);
    console.log(`main-thread tasks > 50 ms during synthesis: ${report.longTasksDuringSynthesis} (longest ${report.longestTaskDuringSynthesisMs} ms; at startup the longest was ${report.longestTaskAtStartupMs} ms)`);
  }
} finally {
  await browser.close();
  await server.close();
}
