#!/usr/bin/env python3
"""Recipe step `evaluate`: the shipped voice (every variant in its voice.json) against the
teacher on the held-out sentences.

For each held-out sentence of scripts/voice/data/corpus.tsv (split `test`, file order,
the first --limit of them):
  * ours: synthesized through the real runtime (scripts/voice/synthesize-batch.mjs: the
    in-process Voxlet, WASM backend, --threads threads, one Node process per variant);
  * teacher: Festival's WAV from the `teacher` step (made now if missing);
  * both resampled with sox to 16 kHz mono 16-bit and transcribed by pocketsphinx
    (`pocketsphinx_batch`, the decoder and models of `pocketsphinx_continuous`, loaded once
    per system instead of once per file);
  * WER against the engine's normalized text, mel-cepstral distortion against the teacher
    and against the fp32 variant (definitions: voicedata/scoring.py), real-time factor
    (synthesis wall time / audio duration, after one warm-up sentence; also by the process's
    CPU time, which other jobs on a shared machine do not inflate), model size; and the
    post-processing targets on our audio: peak level, DC offset, clicks at chunk joins.
Writes OUT/results.json (per system and per sentence), OUT/table.md, spectrogram PNGs of the
first --spectrograms sentences (OUT/spectrograms/ID-SYSTEM.png) and prints the table.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from voicedata import corpus, front_end, paths, scoring, teacher  # noqa: E402

SYNTH_HELPER = paths.VOICE_DIR / "synthesize-batch.mjs"
DEFAULT_VOICE = paths.REPO / "models" / "voxlet-en-us-slt" / "voice.json"
TEACHER = "teacher"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--voice", type=Path, default=DEFAULT_VOICE, help="voice.json to evaluate")
    p.add_argument("--limit", type=int, default=0, help="first N held-out sentences (default: all)")
    p.add_argument("--variants", default="", help="comma-separated precisions (default: all listed)")
    p.add_argument("--out", type=Path, default=paths.work_dir() / "eval", help="output folder")
    p.add_argument("--threads", type=int, default=1, help="WASM threads for synthesis (RTF)")
    p.add_argument("--spectrograms", type=int, default=5, help="sentences to draw (0: none)")
    return p.parse_args(argv)


def heldout_rows(limit):
    rows = [row for row in corpus.read_tsv(paths.CORPUS_TSV) if row["split"] == "test"]
    return rows[:limit] if limit else rows


def run(command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)


def normalized_texts(rows, voice):
    """id -> the engine's normalized text (what our voice says and Festival reads)."""
    replies = front_end.phonemize_many(((row["id"], row["text"]) for row in rows), voice)
    texts = {}
    for row in rows:
        sentences = replies.get(row["id"], {}).get("sentences", [])
        texts[row["id"]] = " ".join(s["normalized"] for s in sentences).strip() or row["text"]
    return texts


def ensure_teacher(rows, teacher_dir):
    """Festival audio for held-out sentences the teacher step has not made yet."""
    missing = [row for row in rows if not (teacher_dir / f"{row['id']}.json").exists()]
    if not missing:
        return
    print(f"evaluate: teacher audio for {len(missing)} sentences", flush=True)
    teacher_dir.mkdir(parents=True, exist_ok=True)
    jobs = teacher.attach_spoken_text(missing)
    for start in range(0, len(jobs), teacher.DEFAULT_BATCH):
        teacher.synthesize_batch(jobs[start:start + teacher.DEFAULT_BATCH], teacher_dir)


def synthesize_variant(voice, precision, rows, wav_dir, threads):
    """Runs the runtime on every sentence; returns id -> {audio_seconds, synth_seconds, ...}."""
    lines = "".join(json.dumps({"id": row["id"], "text": row["text"]}) + "\n" for row in rows)
    completed = subprocess.run(
        ["node", "--no-experimental-fetch", str(SYNTH_HELPER), str(voice), precision, str(wav_dir), str(threads)],
        input=lines, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"synthesize-batch ({precision}) failed: {completed.stderr.strip()}")
    results = {}
    for line in completed.stdout.splitlines():
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"synthesis of {reply['id']} ({precision}) failed: {reply['error']}")
        results[reply["id"]] = reply
    return results


def to_16k(source, target):
    run(["sox", "-q", str(source), "-r", str(scoring.SAMPLE_RATE), "-c", "1", "-b", "16", str(target)])


def read_wav(path):
    with wave.open(str(path), "rb") as wav:
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16).astype(np.float64) / 32768.0


HYP_LINE = re.compile(r"^(.*?)\s*\((\S+)(?:\s+-?\d+)*\)\s*$")


def parse_hypotheses(text):
    """pocketsphinx_batch -hyp lines `words (ID score)` -> id -> words."""
    hypotheses = {}
    for line in text.splitlines():
        match = HYP_LINE.match(line)
        if match:
            hypotheses[match.group(2)] = match.group(1)
    return hypotheses


def transcribe_folder(folder, ids):
    """pocketsphinx on folder/ID.wav (16 kHz) for every id, one decoder process."""
    control = folder / "files.ctl"
    control.write_text("".join(f"{key}\n" for key in ids), encoding="utf-8")
    hyp = folder / "hyp.txt"
    run(["pocketsphinx_batch", "-adcin", "yes", "-cepdir", str(folder), "-cepext", ".wav",
         "-ctl", str(control), "-hyp", str(hyp), "-logfn", "/dev/null"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return parse_hypotheses(hyp.read_text(encoding="utf-8"))


def transcribe_teacher(folder, ids):
    """The teacher's audio of a sentence never changes (its id is a hash of the text), so its
    transcripts are kept in folder/hypotheses.json and only new sentences are decoded."""
    cache = folder / "hypotheses.json"
    known = json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else {}
    missing = [key for key in ids if key not in known]
    if missing:
        known.update(transcribe_folder(folder, missing))
        cache.write_text(json.dumps(known, indent=0) + "\n", encoding="utf-8")
    return {key: known.get(key, "") for key in ids}


def spectrogram(wav, png, title):
    run(["sox", str(wav), "-n", "spectrogram", "-t", title, "-o", str(png)])


def variant_list(config, wanted):
    variants = config.get("voxlet", {}).get("variants") or [{"precision": "fp32", "file": None, "size": None}]
    if wanted:
        names = wanted.split(",")
        unknown = [n for n in names if n not in {v["precision"] for v in variants}]
        if unknown:
            raise SystemExit(f"evaluate: the voice has no variant {', '.join(unknown)}; it lists "
                             f"{', '.join(v['precision'] for v in variants)}")
        variants = [v for v in variants if v["precision"] in names]
    return variants


def evaluate(args):
    for tool in ("node", "sox", "pocketsphinx_batch"):
        if not shutil.which(tool):
            raise SystemExit(f"evaluate: '{tool}' not found (Debian packages nodejs, sox, pocketsphinx)")
    config = json.loads(args.voice.read_text(encoding="utf-8"))
    variants = variant_list(config, args.variants)
    rows = heldout_rows(args.limit)
    ids = [row["id"] for row in rows]
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    references = normalized_texts(rows, args.voice)
    teacher_dir = paths.work_dir() / "teacher"
    ensure_teacher(rows, teacher_dir)

    systems = {}  # name -> {"wav22": dir, "stats": {id: {...}}, "variant": {...}}
    for variant in variants:
        name = variant["precision"]
        wav_dir = out / name / "wav"
        print(f"evaluate: synthesizing {len(rows)} sentences with {name}", flush=True)
        stats = synthesize_variant(args.voice, name, rows, wav_dir, args.threads)
        systems[name] = {"wav": lambda key, d=wav_dir: d / f"{key}.wav", "stats": stats, "variant": variant}
    systems[TEACHER] = {"wav": lambda key: teacher_dir / f"{key}.wav", "stats": {}, "variant": None}

    def transcribe(name):  # one decoder process per system, as many at once as there are cores
        folder = out / name / "16k"
        folder.mkdir(parents=True, exist_ok=True)
        for key in ids:
            to_16k(systems[name]["wav"](key), folder / f"{key}.wav")
        print(f"evaluate: transcribing {name}", flush=True)
        return transcribe_teacher(folder, ids) if name == TEACHER else transcribe_folder(folder, ids)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        hypotheses = dict(zip(systems, pool.map(transcribe, systems)))
    cepstra = {name: {key: scoring.mel_cepstra(read_wav(out / name / "16k" / f"{key}.wav")) for key in ids}
               for name in systems}

    if args.spectrograms:
        drawings = out / "spectrograms"
        drawings.mkdir(exist_ok=True)
        for key in ids[:args.spectrograms]:
            for name, system in systems.items():
                spectrogram(out / name / "16k" / f"{key}.wav", drawings / f"{key}-{name}.png", f"{key} {name}")

    fp32 = "fp32" if "fp32" in systems else None
    sentences = []
    for row in rows:
        key = row["id"]
        reference = scoring.score_words(references[key])
        entry = {"id": key, "text": row["text"], "kind": row["kind"], "reference": references[key], "systems": {}}
        for name in systems:
            heard = hypotheses[name].get(key, "")
            s, d, i = scoring.word_errors(reference, scoring.score_words(heard))
            result = {"hypothesis": heard, "errors": s + d + i, "substitutions": s, "deletions": d, "insertions": i,
                      "words": len(reference)}
            if name != TEACHER:
                result["mcd_teacher_db"] = scoring.mcd(cepstra[TEACHER][key], cepstra[name][key])
                if fp32 and name != fp32:
                    result["mcd_fp32_db"] = scoring.mcd(cepstra[fp32][key], cepstra[name][key])
                result.update({k: systems[name]["stats"][key].get(k) for k in ("audio_seconds", "synth_seconds", "cpu_seconds")})
                result.update(post_processing(systems[name]["wav"](key), systems[name]["stats"][key].get("joins", [])))
            entry["systems"][name] = result
        sentences.append(entry)

    summary = summarize(systems, sentences)
    report = {
        "voice": str(args.voice), "sentences": len(rows), "heldout_total": len(heldout_rows(0)),
        "threads": args.threads, "seconds": round(time.monotonic() - started, 1),
        "command": "scripts/voice/recipe evaluate " + " ".join(sys.argv[1:]) if sys.argv[1:] else "scripts/voice/recipe evaluate",
        "systems": summary, "per_sentence": sentences,
    }
    (out / "results.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    table = markdown_table(report)
    (out / "table.md").write_text(table + "\n", encoding="utf-8")
    print(table)
    print(f"\nevaluate: {len(rows)} sentences in {report['seconds']} s; wrote {out / 'results.json'}, {out / 'table.md'}")
    return report


def post_processing(wav_path, joins):
    """What the engine's post-processing must guarantee, measured on the runtime's output:
    peak level, DC offset, and a click score at every chunk join (voicedata/scoring.py)."""
    with wave.open(str(wav_path), "rb") as wav:
        rate = wav.getframerate()
    samples = read_wav(wav_path)
    ratios = [scoring.join_click_ratio(samples, j, rate) for j in joins]
    return {"peak_dbfs": scoring.peak_dbfs(samples), "dc_dbfs": scoring.dc_offset_dbfs(samples),
            "joins": len(joins), "clicks": sum(r > scoring.CLICK_RATIO for r in ratios),
            "max_join_ratio": max(ratios, default=None)}


def summarize_post_processing(results):
    ratios = [r["max_join_ratio"] for r in results if r["max_join_ratio"] is not None]
    return {"peak_dbfs_min": min(r["peak_dbfs"] for r in results), "peak_dbfs_max": max(r["peak_dbfs"] for r in results),
            "dc_dbfs_max": max(r["dc_dbfs"] for r in results), "joins": sum(r["joins"] for r in results),
            "clicks": sum(r["clicks"] for r in results), "max_join_ratio": max(ratios, default=None)}


def summarize(systems, sentences):
    summary = {}
    for name, system in systems.items():
        results = [entry["systems"][name] for entry in sentences]
        errors = sum(r["errors"] for r in results)
        words = sum(r["words"] for r in results)
        item = {"wer_percent": scoring.wer(errors, words), "errors": errors, "words": words,
                "exact_sentences": sum(r["errors"] == 0 for r in results)}
        if name != TEACHER:
            audio = sum(r["audio_seconds"] for r in results)
            synth = sum(r["synth_seconds"] for r in results)
            cpu = sum(r["cpu_seconds"] or 0.0 for r in results)
            item.update({"mcd_teacher_db": mean(r["mcd_teacher_db"] for r in results),
                         "audio_seconds": audio, "synth_seconds": synth, "rtf": synth / audio if audio else None,
                         "cpu_seconds": cpu, "rtf_cpu": cpu / audio if audio and cpu else None,
                         "size_bytes": system["variant"].get("size"), "file": system["variant"].get("file"),
                         "snr_db": system["variant"].get("quality", {}).get("snr_db")})
            item["post_processing"] = summarize_post_processing(results)
            if any("mcd_fp32_db" in r for r in results):
                item["mcd_fp32_db"] = mean(r["mcd_fp32_db"] for r in results)
        summary[name] = item
    return summary


def mean(values):
    values = [v for v in values if v == v]  # drop NaN
    return float(np.mean(values)) if values else None


def fmt(value, spec):
    return "—" if value is None else format(value, spec)


def markdown_table(report):
    threads = "1 thread" if report["threads"] == 1 else f"{report['threads']} threads"
    lines = [f"| System | WER % (errors / words) | exact sentences | MCD vs teacher dB | MCD vs fp32 dB "
             f"| RTF wall ({threads}) | RTF CPU time | size bytes |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    n = report["sentences"]
    for name, s in report["systems"].items():
        label = "teacher (Festival slt HTS)" if name == TEACHER else f"{name} (`{s.get('file')}`)"
        lines.append(f"| {label} | {s['wer_percent']:.1f} ({s['errors']} / {s['words']}) | {s['exact_sentences']} / {n} | "
                     f"{fmt(s.get('mcd_teacher_db'), '.2f')} | {fmt(s.get('mcd_fp32_db'), '.2f')} | "
                     f"{fmt(s.get('rtf'), '.3f')} | {fmt(s.get('rtf_cpu'), '.3f')} | {fmt(s.get('size_bytes'), ',')} |")
    lines += ["", "| System | peak dBFS (min … max) | DC offset, largest (dBFS) | chunk joins | clicks (step > "
              f"{scoring.CLICK_RATIO:g}× its surroundings) | largest join ratio |", "| --- | --- | --- | --- | --- | --- |"]
    for name, s in report["systems"].items():
        post = s.get("post_processing")
        if post:
            lines.append(f"| {name} | {post['peak_dbfs_min']:.2f} … {post['peak_dbfs_max']:.2f} | {post['dc_dbfs_max']:.1f} | "
                         f"{post['joins']} | {post['clicks']} | {fmt(post['max_join_ratio'], '.2f')} |")
    return "\n".join(lines)


def main(argv=None):
    evaluate(parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
