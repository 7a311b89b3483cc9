#!/usr/bin/env python3
"""Quick intelligibility spot check (not the full evaluation step): synthesize the first N
held-out sentences with a voice through the real runtime (node web/bin/voxlet.mjs synth),
transcribe them and the teacher's wavs with pocketsphinx, print both with a word error rate."""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def words(text):
    return re.sub(r"[^a-z' ]", " ", text.lower()).split()


def word_errors(reference, hypothesis):
    """Levenshtein distance over words."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def transcribe(wav, tmp):
    wav16 = Path(tmp) / "16k.wav"
    subprocess.run(["sox", str(wav), "-r", "16000", "-c", "1", "-b", "16", str(wav16)], check=True)
    result = subprocess.run(["pocketsphinx_continuous", "-infile", str(wav16)],
                            capture_output=True, text=True, check=False)
    return " ".join(result.stdout.split())


def synthesize(voice, text, wav):
    subprocess.run(["node", "web/bin/voxlet.mjs", "synth", "--voice", str(voice), "-o", str(wav), text],
                   check=True, capture_output=True)


def main(argv=None):
    work = Path(os.environ.get("VOXLET_VOICE_WORK", "build/voice"))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--voice", type=Path, default=Path("models/voxlet-en-us-slt/voice.json"))
    p.add_argument("--manifest", type=Path, default=work / "manifest.jsonl")
    p.add_argument("-n", type=int, default=5)
    p.add_argument("--no-teacher", action="store_true")
    args = p.parse_args(argv)
    rows = [json.loads(line) for line in open(args.manifest, encoding="utf-8")]
    heldout = [r for r in rows if r["split"] != "train"][:args.n]
    totals = {"ours": [0, 0], "teacher": [0, 0]}
    with tempfile.TemporaryDirectory() as tmp:
        for row in heldout:
            ours = Path(tmp) / "ours.wav"
            synthesize(args.voice, row["text"], ours)
            heard = {"ours": transcribe(ours, tmp)}
            if not args.no_teacher:
                heard["teacher"] = transcribe(args.manifest.parent / row["wav"], tmp)
            print(f"TEXT     {row['text']}")
            for who, hypothesis in heard.items():
                errors = word_errors(words(row["text"]), words(hypothesis))
                totals[who][0] += errors
                totals[who][1] += len(words(row["text"]))
                print(f"{who:8} {hypothesis}   [{errors} errors]")
    for who, (errors, count) in totals.items():
        if count:
            print(f"WER {who}: {100 * errors / count:.1f} % ({errors}/{count} words)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
