"""Step `align`: the teacher's phones and timings mapped onto the ENGINE's phoneme ids.

For every sentence the engine's id sequence (as fed at run time) gets one duration in
frames per id (hop 256 samples at 22,050 Hz); pads get 0, pauses go to the nearest
boundary symbol (BOS, EOS, punctuation, space), and the durations add up to the
audio's frame count. Sentences whose alignment costs too much are rejected.
"""
import argparse
import json
import math
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from . import corpus, front_end, paths, phones

SAMPLE_RATE, HOP = 22050, 256
MAX_COST_PER_PHONE = 0.25   # ~ one unrelated phone in five: the teacher said something else
DELETE_PHONE, INSERT_PHONE, INSERT_PAUSE = 1.0, 1.0, 0.5
# A pause prefers, in this order: the sentence edges, punctuation, a word space.
PAUSE_ON = {"bos": 0.0, "eos": 0.0, "punct": 0.01, "space": 0.02}
INF = float("inf")


@dataclass
class Token:
    """One non-pad symbol of the engine's sequence."""
    kind: str      # bos | eos | space | punct | phone
    symbol: str
    id_index: int  # position in the engine's id array


def token_kind(symbol: str) -> str:
    if symbol == "^":
        return "bos"
    if symbol == "$":
        return "eos"
    if symbol == " ":
        return "space"
    return "phone" if phones.engine_base(symbol) else "punct"


def engine_tokens(sentence: dict, pad_id: int = 0) -> List[Token]:
    """Pairs the sentence's phonemes with their (non-pad) positions in its ids."""
    positions = [k for k, value in enumerate(sentence["ids"]) if value != pad_id]
    if len(positions) != len(sentence["phonemes"]):
        raise ValueError(f"{len(positions)} non-pad ids but {len(sentence['phonemes'])} phonemes")
    return [Token(token_kind(symbol), symbol, position)
            for symbol, position in zip(sentence["phonemes"], positions)]


# --- the dynamic programme ---------------------------------------------------------

def match_cost(token: Token, teacher_phone: str) -> float:
    if phones.is_pause(teacher_phone):
        return PAUSE_ON.get(token.kind, INF)
    return phones.substitution_cost(token.symbol, teacher_phone) if token.kind == "phone" else INF


def skip_token_cost(token: Token) -> float:
    """An engine symbol the teacher did not realize: free unless it is a phone."""
    return DELETE_PHONE if token.kind == "phone" else 0.0


def skip_segment_cost(teacher_phone: str) -> float:
    """A teacher segment with no engine counterpart: its time goes to a neighbour."""
    return INSERT_PAUSE if phones.is_pause(teacher_phone) else INSERT_PHONE


def align_sequences(tokens: Sequence[Token], teacher: Sequence[str]) -> Tuple[float, List[Tuple[Optional[int], Optional[int]]]]:
    """Minimum-cost alignment; returns (cost, path of (token index|None, segment index|None))."""
    n, m = len(tokens), len(teacher)
    cost = [[INF] * (m + 1) for _ in range(n + 1)]
    move = [[""] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == INF:
                continue
            if i < n and j < m:
                relax(cost, move, i + 1, j + 1, here + match_cost(tokens[i], teacher[j]), "match")
            if i < n:
                relax(cost, move, i + 1, j, here + skip_token_cost(tokens[i]), "token")
            if j < m:
                relax(cost, move, i, j + 1, here + skip_segment_cost(teacher[j]), "segment")
    return cost[n][m], backtrace(move, n, m)


def relax(cost, move, i, j, candidate, kind):
    if candidate < cost[i][j]:
        cost[i][j], move[i][j] = candidate, kind


def backtrace(move, i, j):
    path = []
    while i or j:
        kind = move[i][j]
        if kind == "match":
            i, j = i - 1, j - 1
            path.append((i, j))
        elif kind == "token":
            i -= 1
            path.append((i, None))
        else:
            j -= 1
            path.append((None, j))
    return path[::-1]


# --- durations ---------------------------------------------------------------------

def segment_frames(ends_s: Sequence[float], n_frames: int) -> List[int]:
    """Frames per teacher segment from end times; the last end is pinned to the audio."""
    boundaries, previous = [], 0
    for end in ends_s:
        frame = min(max(previous, round(end * SAMPLE_RATE / HOP)), n_frames)
        boundaries.append(frame)
        previous = frame
    if boundaries:
        boundaries[-1] = n_frames  # absorbs rounding and any tail the timings missed
    return [b - a for a, b in zip([0] + boundaries[:-1], boundaries)]


def owner_of_segments(path, tokens: Sequence[Token], teacher: Sequence[str]) -> Dict[int, int]:
    """Segment index -> token index that receives its frames.

    A matched segment goes to its token. An extra segment joins the nearest matched
    token before it (after it at the start) that can carry it: any token for a pause,
    a phone for a phone, so speech time never lands on a silent symbol.
    """
    matched = [(t, s) for t, s in path if t is not None and s is not None]
    owners = {s: t for t, s in matched}
    for position, (t, s) in enumerate(path):
        if t is not None or s is None:
            continue
        wants_phone = not phones.is_pause(teacher[s])
        fits = lambda token_index: not wants_phone or tokens[token_index].kind == "phone"
        before = [tt for tt, _ in reversed(path[:position]) if tt is not None and fits(tt) and _ is not None]
        after = [tt for tt, _ in path[position + 1:] if tt is not None and fits(tt) and _ is not None]
        candidates = before[:1] + after[:1]
        owners[s] = candidates[0] if candidates else nearest_phone(tokens)
    return owners


def nearest_phone(tokens: Sequence[Token]) -> int:
    return next((k for k, token in enumerate(tokens) if token.kind == "phone"), 0)


def give_every_phone_a_frame(durations: List[int], tokens: Sequence[Token]) -> None:
    """A phone the teacher skipped still needs ≥ 1 frame: take it from the richer neighbour."""
    for k, token in enumerate(tokens):
        if token.kind != "phone" or durations[token.id_index] > 0:
            continue
        neighbours = [tokens[j].id_index for j in (k - 1, k + 1) if 0 <= j < len(tokens)]
        donor = max(neighbours, key=lambda index: durations[index], default=None)
        if donor is not None and durations[donor] > 1:
            durations[donor] -= 1
            durations[token.id_index] += 1


def durations_for(sentence: dict, segments: Sequence[Sequence], n_frames: int, pad_id: int = 0):
    """Per-id frame counts for one sentence; returns (durations, cost per phone)."""
    tokens = engine_tokens(sentence, pad_id)
    teacher = [segment[0] for segment in segments]
    cost, path = align_sequences(tokens, teacher)
    frames = segment_frames([segment[1] for segment in segments], n_frames)
    durations = [0] * len(sentence["ids"])
    for segment, token in owner_of_segments(path, tokens, teacher).items():
        durations[tokens[token].id_index] += frames[segment]
    give_every_phone_a_frame(durations, tokens)
    n_phones = sum(token.kind == "phone" for token in tokens)
    return durations, cost / max(1, n_phones)


def frames_of(samples: int) -> int:
    """Frame count for a clip; trainers zero-pad the audio to frames * HOP samples."""
    return math.ceil(samples / HOP)


def silent_words(sentence: dict, durations: Sequence[int]) -> List[str]:
    return [word["text"] for word in sentence["words"]
            if sum(durations[word["ids"][0]:word["ids"][1]]) == 0]


# --- the step ------------------------------------------------------------------------

def align_one(row: dict, reply: dict, timings: dict, max_cost: float) -> Tuple[Optional[dict], str, float]:
    """Returns (manifest entry or None, reason, cost per phone)."""
    if "error" in reply or len(reply.get("sentences", [])) != 1:
        return None, "not-one-sentence", INF
    sentence = reply["sentences"][0]
    n_frames = frames_of(timings["samples"])
    durations, cost = durations_for(sentence, timings["segments"], n_frames)
    if cost > max_cost:
        return None, "alignment-cost", cost
    if silent_words(sentence, durations):
        return None, "silent-word", cost
    assert sum(durations) == n_frames
    return {"id": row["id"], "split": row["split"], "text": row["text"],
            "ids": sentence["ids"], "durations": durations, "wav": f"teacher/{row['id']}.wav",
            "n_frames": n_frames, "sample_rate": SAMPLE_RATE, "hop": HOP,
            "cost": round(cost, 4)}, "ok", cost


def run(rows: List[dict], work: Path, max_cost: float = MAX_COST_PER_PHONE) -> Counter:
    teacher_dir = work / "teacher"
    ready = [row for row in rows if (teacher_dir / f"{row['id']}.json").exists()]
    replies = front_end.phonemize_many((row["id"], row["text"]) for row in ready)
    outcomes = Counter()
    with (work / "manifest.jsonl").open("w") as manifest, (work / "align-rejects.jsonl").open("w") as rejects:
        for row in ready:
            timings = json.loads((teacher_dir / f"{row['id']}.json").read_text())
            entry, reason, cost = align_one(row, replies.get(row["id"], {"error": "missing"}), timings, max_cost)
            outcomes[reason] += 1
            if entry:
                manifest.write(json.dumps(entry) + "\n")
            else:
                rejects.write(json.dumps({"id": row["id"], "reason": reason, "cost": cost if cost != INF else None,
                                          "text": row["text"], "teacher": " ".join(s[0] for s in timings["segments"])}) + "\n")
    outcomes["missing-teacher"] = len(rows) - len(ready)
    return outcomes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="align teacher timings to engine ids")
    parser.add_argument("--corpus", type=Path, default=paths.CORPUS_TSV)
    parser.add_argument("--work", type=Path, default=None, help="default: VOXLET_VOICE_WORK or build/voice")
    parser.add_argument("--max-cost", type=float, default=MAX_COST_PER_PHONE)
    args = parser.parse_args(argv)
    work = args.work or paths.work_dir()
    outcomes = run(corpus.read_tsv(args.corpus), work, args.max_cost)
    aligned = sum(outcomes.values()) - outcomes["missing-teacher"]
    rejected = aligned - outcomes["ok"]
    print(f"align: {outcomes['ok']} aligned, {rejected} rejected ({100 * rejected / max(1, aligned):.1f}%: "
          + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()) if k not in ("ok", "missing-teacher"))
          + f"), {outcomes['missing-teacher']} without teacher audio; manifest {work / 'manifest.jsonl'}")
    return 0 if outcomes["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
