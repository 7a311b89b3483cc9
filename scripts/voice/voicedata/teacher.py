"""Step `teacher`: the teacher voice (Festival + festvox-us-slt-hts) reads every corpus
sentence; we keep its audio (22,050 Hz mono) and its phone timings.

Per sentence the work folder gets ID.wav and ID.json; the JSON is written last and
marks the sentence done, so an interrupted run resumes where it stopped.
Festival reads the engine's *normalized* text, so both say the same words (numbers,
abbreviations), which keeps the later alignment simple.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional

from . import corpus, front_end, paths

VOICE = "voice_cmu_us_slt_arctic_hts"
TEACHER_RATE = 32000   # Hz, what the HTS voice produces
TARGET_RATE = 22050    # Hz, what the Voxlet voice is trained on
DEFAULT_BATCH = 20     # sentences per Festival process: amortizes the voice load
FAILED_SUFFIX = ".failed"

# Festival's tokenizer knows ASCII only; the engine may leave typographic marks.
FESTIVAL_PUNCTUATION = {"\u2026": "...", "\u2014": ", ", "\u2013": ", "}


def festival_text(normalized: str) -> str:
    for old, new in FESTIVAL_PUNCTUATION.items():
        normalized = normalized.replace(old, new)
    return normalized


def scheme_string(text: str) -> str:
    """A Scheme string literal for any text."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


SCHEME_PRELUDE = f"""
({VOICE})
(define (voxlet_dump key utt)
  (mapcar (lambda (seg)
            (format t "SEG\\t%s\\t%s\\t%f\\t%s\\n" key (item.name seg) (item.feat seg "end")
                    (item.feat seg "R:SylStructure.parent.parent.name")))
          (utt.relation.items utt 'Segment)))
(define (voxlet_say key text wavfile)
  (let ((utt (SynthText text)))
    (utt.save.wave utt wavfile 'riff)
    (voxlet_dump key utt)
    (format t "DONE\\t%s\\n" key)))
"""


def scheme_script(jobs: List[dict]) -> str:
    """One Festival script for a batch; an error in one sentence does not stop the rest."""
    calls = [f"(unwind-protect (voxlet_say {scheme_string(job['id'])} {scheme_string(job['spoken'])} "
             f"{scheme_string(str(job['raw_wav']))}) (format t \"FAIL\\t%s\\n\" {scheme_string(job['id'])}))"
             for job in jobs]
    return SCHEME_PRELUDE + "\n".join(calls) + "\n"


def parse_festival_output(stdout: str) -> Dict[str, dict]:
    """Reads SEG/DONE/FAIL lines into id -> {"segments": [[phone, end_s, word]], "ok": bool}.

    Lines of other kinds (Festival's own warnings) are ignored; a sentence without a
    DONE line is not ok, whatever segments it printed.
    """
    results: Dict[str, dict] = {}
    for line in stdout.splitlines():
        fields = line.split("\t")
        if fields[0] == "SEG" and len(fields) == 5:
            _, key, phone, end, word = fields
            entry = results.setdefault(key, {"segments": [], "ok": False})
            entry["segments"].append([phone, float(end), "" if word == "0" else word])
        elif fields[0] in ("DONE", "FAIL") and len(fields) == 2:
            entry = results.setdefault(fields[1], {"segments": [], "ok": False})
            entry["ok"] = fields[0] == "DONE" and bool(entry["segments"])
    return results


def wav_samples(path: Path) -> int:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes()


def resample(source: Path, target: Path) -> None:
    """32 kHz Festival output -> 22,050 Hz mono 16-bit (sox's high-quality resampler)."""
    subprocess.run(["sox", "-q", str(source), "-r", str(TARGET_RATE), "-c", "1", "-b", "16",
                    str(target)], check=True)


def write_json_atomically(path: Path, value: dict) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(value) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def pending_jobs(rows: List[dict], out_dir: Path) -> List[dict]:
    return [row for row in rows
            if not (out_dir / f"{row['id']}.json").exists()
            and not (out_dir / f"{row['id']}{FAILED_SUFFIX}").exists()]


def attach_spoken_text(rows: List[dict]) -> List[dict]:
    """Adds the engine's normalized text, which is what Festival will read."""
    replies = front_end.phonemize_many((row["id"], row["text"]) for row in rows)
    jobs = []
    for row in rows:
        sentences = replies.get(row["id"], {}).get("sentences", [])
        spoken = " ".join(sentence["normalized"] for sentence in sentences).strip()
        jobs.append(dict(row, spoken=festival_text(spoken or row["text"])))
    return jobs


def synthesize_batch(jobs: List[dict], out_dir: Path) -> int:
    """Runs Festival once for the batch; writes each finished sentence. Returns #done."""
    with tempfile.TemporaryDirectory(prefix="voxlet-teacher-") as scratch:
        for job in jobs:
            job["raw_wav"] = Path(scratch) / f"{job['id']}.wav"
        script = Path(scratch) / "batch.scm"
        script.write_text(scheme_script(jobs), encoding="utf-8")
        started = time.monotonic()
        completed = subprocess.run(["festival", "--batch", str(script)], capture_output=True,
                                   text=True, check=False)
        seconds_each = (time.monotonic() - started) / len(jobs)
        results = parse_festival_output(completed.stdout)
        done = 0
        for job in jobs:
            result = results.get(job["id"])
            if result and result["ok"] and job["raw_wav"].exists():
                save_sentence(job, result["segments"], out_dir, seconds_each)
                done += 1
            elif len(jobs) == 1:  # failed even alone: remember, so resuming skips it
                (out_dir / f"{job['id']}{FAILED_SUFFIX}").write_text(completed.stderr[-2000:])
        return done


def save_sentence(job: dict, segments: list, out_dir: Path, seconds: float) -> None:
    wav_path = out_dir / f"{job['id']}.wav"
    resample(job["raw_wav"], wav_path)
    write_json_atomically(out_dir / f"{job['id']}.json", {
        "id": job["id"], "text": job["text"], "spoken": job["spoken"],
        "teacher_rate": TEACHER_RATE, "teacher_samples": wav_samples(job["raw_wav"]),
        "sample_rate": TARGET_RATE, "samples": wav_samples(wav_path),
        "segments": segments, "synthesis_seconds": round(seconds, 3),
    })


def synthesize_with_retries(jobs: List[dict], out_dir: Path) -> int:
    """One batch: the engine's spoken text, Festival, and sentence-by-sentence retries."""
    jobs = attach_spoken_text(jobs)
    finished = synthesize_batch(jobs, out_dir)
    if finished < len(jobs):  # find the culprit: retry the rest one by one
        for job in pending_jobs(jobs, out_dir):
            finished += synthesize_batch([job], out_dir)
    return finished


def run(rows: List[dict], out_dir: Path, batch_size: int = DEFAULT_BATCH, log=print, jobs: int = 2) -> dict:
    """Synthesizes every row not yet done, `jobs` batches at a time (each batch is its own
    engine and Festival process, writing its own sentences); returns counts and timing."""
    out_dir.mkdir(parents=True, exist_ok=True)
    todo = pending_jobs(rows, out_dir)
    started, done = time.monotonic(), 0
    batches = [todo[first:first + batch_size] for first in range(0, len(todo), batch_size)]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for finished in pool.map(lambda batch: synthesize_with_retries(batch, out_dir), batches):
            done += finished
            elapsed = time.monotonic() - started
            log(f"teacher: {done}/{len(todo)} new sentences, {elapsed / max(done, 1):.2f} s each, "
                f"{len(rows) - len(pending_jobs(rows, out_dir))}/{len(rows)} done in total", flush=True)
    elapsed = time.monotonic() - started
    return {"new": done, "pending": len(pending_jobs(rows, out_dir)),
            "seconds_per_sentence": elapsed / done if done else None}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="teacher audio and phone timings")
    parser.add_argument("--corpus", type=Path, default=paths.CORPUS_TSV)
    parser.add_argument("--out", type=Path, default=None, help="default: WORK/teacher")
    parser.add_argument("--limit", type=int, default=None, help="only the first N corpus rows")
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="batches synthesized at once (default: one per core)")
    args = parser.parse_args(argv)
    rows = corpus.read_tsv(args.corpus)[: args.limit]
    out_dir = args.out or paths.work_dir() / "teacher"
    summary = run(rows, out_dir, args.batch, jobs=args.jobs)
    per = summary["seconds_per_sentence"]
    if per:
        print(f"teacher: {per:.2f} s per sentence; {per * len(rows) / 60:.1f} min projected for "
              f"all {len(rows)}")
    print(f"teacher: {summary['pending']} sentences still pending in {out_dir}")
    return 0 if summary["pending"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
