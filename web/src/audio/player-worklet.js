// AudioWorklet processor: plays the chunks of one utterance back to back,
// gaplessly, from a queue filled by the page (chunks are transferred, not copied).
//
// A small jitter buffer absorbs uneven chunk arrival: playback starts (and,
// after an underrun, restarts) only when `jitterSamples` are queued or the
// utterance has no more chunks coming. Every few render quanta the processor
// posts the number of samples played, which the page turns into word-boundary
// events; underruns are counted so benchmarks can report them.
//
// Messages in:  {type:'begin', serial} | {type:'samples', samples} | {type:'finish'}
//               | {type:'pause'} | {type:'resume'} | {type:'stop'}
// Messages out: {type:'position', serial, played, underruns, buffered}
//               | {type:'ended', serial, played, underruns}
// (serial: the utterance's, so a late report of a stopped one is ignored)
const POSITION_EVERY_QUANTA = 4; // ~10 ms at 48 kHz: fine enough for word highlighting

class VoxletPlayerProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.jitterSamples = options.processorOptions?.jitterSamples ?? 2048;
    this.reset();
    this.port.onmessage = (event) => this.receive(event.data);
  }

  reset() {
    this.queue = [];
    this.readIndex = 0; // into queue[0]
    this.buffered = 0;
    this.played = 0;
    this.underruns = 0;
    this.finished = false;
    this.paused = false;
    this.waiting = true; // filling the jitter buffer
    this.active = false; // an utterance is in progress
    this.quanta = 0;
  }

  receive(message) {
    switch (message.type) {
      case 'begin':
        this.reset();
        this.serial = message.serial;
        this.active = true;
        break;
      case 'samples':
        this.queue.push(message.samples);
        this.buffered += message.samples.length;
        break;
      case 'finish':
        this.finished = true;
        break;
      case 'pause':
        this.paused = true;
        break;
      case 'resume':
        this.paused = false;
        break;
      case 'stop':
        this.reset();
        break;
    }
  }

  process(_inputs, outputs) {
    const out = outputs[0][0];
    out.fill(0);
    if (!this.active || this.paused) return true;
    if (this.waiting && (this.buffered >= this.jitterSamples || this.finished)) this.waiting = false;
    if (!this.waiting) this.fill(out);
    this.report();
    return true;
  }

  fill(out) {
    let written = 0;
    while (written < out.length && this.queue.length) {
      const chunk = this.queue[0];
      const take = Math.min(out.length - written, chunk.length - this.readIndex);
      out.set(chunk.subarray(this.readIndex, this.readIndex + take), written);
      written += take;
      this.readIndex += take;
      if (this.readIndex === chunk.length) {
        this.queue.shift();
        this.readIndex = 0;
      }
    }
    this.played += written;
    this.buffered -= written;
    if (this.queue.length === 0 && !this.finished) {
      this.underruns += written < out.length ? 1 : 0;
      this.waiting = written < out.length; // ran dry mid-utterance: refill before going on
    }
  }

  report() {
    if (this.finished && this.queue.length === 0) {
      this.port.postMessage({ type: 'ended', serial: this.serial, played: this.played, underruns: this.underruns });
      this.active = false;
      return;
    }
    if (++this.quanta % POSITION_EVERY_QUANTA === 0) {
      this.port.postMessage({ type: 'position', serial: this.serial, played: this.played, underruns: this.underruns, buffered: this.buffered });
    }
  }
}

registerProcessor('voxlet-player', VoxletPlayerProcessor);
