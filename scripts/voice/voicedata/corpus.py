"""Step `corpus`: English sentences from text shipped in Debian packages.

Sources are the fortune files of the Debian packages `fortunes` and `fortunes-min`
(plus Festival's own example texts when present). Passages are cleaned, split into
sentences by the engine's own segmenter, filtered by the rules below, deduplicated,
and a seeded, kind-stratified selection is written to scripts/voice/data/corpus.tsv.
"""
import argparse
import hashlib
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from . import front_end, paths

FORTUNE_DIR = Path("/usr/share/games/fortunes")
# Left out: pictures, non-English text, program listings, and the files most
# likely to hold slurs or crude jokes (a voice should not learn from those).
SKIPPED_FORTUNE_FILES = {"art", "ascii-art", "translate-me", "perl", "ethnic",
                         "men-women", "drugs", "linux", "linuxcookie"}
FESTIVAL_TEXTS = [Path("/usr/share/doc/festival/examples/intro.text"),
                  Path("/usr/share/doc/festival/examples/spintro.text")]

MIN_WORDS, MAX_WORDS = 3, 25
MAX_SPOKEN_WORDS = 32          # after number expansion ("1984" -> four words)
MAX_OUT_OF_LEXICON = 1         # letter-to-sound guesses are where the front end errs
DEFAULT_SIZE, DEFAULT_HELD_OUT, DEFAULT_SEED = 3300, 300, 20240603
# Share of each kind in the selection, so the voice hears every intonation pattern.
KIND_QUOTAS = {"question": 0.16, "exclamation": 0.08, "number": 0.10, "name": 0.26}

ASCII_REPLACEMENTS = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                      "\u2013": "-", "\u2014": " -- ", "\u00a0": " ", "\t": " "}


# --- reading sources -------------------------------------------------------

def read_fortune_entries(text: str) -> List[str]:
    """A fortune file is entries separated by lines holding only '%'."""
    entries, current = [], []
    for line in text.splitlines():
        if line.strip() == "%":
            entries.append("\n".join(current))
            current = []
        else:
            current.append(line)
    entries.append("\n".join(current))
    return [entry for entry in entries if entry.strip()]


def passage_from_entry(entry: str) -> str:
    """Joins a hard-wrapped entry into one line, dropping '-- Author' attributions."""
    lines = [line for line in entry.splitlines() if not re.match(r"^\s*--", line)]
    return " ".join(" ".join(lines).split())


def clean_passage(passage: str) -> str:
    """Maps typography to ASCII and removes quoting, which the voice does not speak."""
    for old, new in ASCII_REPLACEMENTS.items():
        passage = passage.replace(old, new)
    passage = passage.replace("``", "").replace("''", "").replace('"', "")
    # A dash pair marks a pause; say it as a comma pause rather than dropping it.
    passage = re.sub(r"\s*--+\s*", ", ", passage)
    passage = re.sub(r",\s*([.!?,;:])", r"\1", passage)
    return " ".join(passage.split())


def source_passages() -> Iterable[Tuple[str, str]]:
    """Yields (source name, passage) from every installed source, in a fixed order."""
    for path in sorted(FORTUNE_DIR.glob("*.u8")):
        if path.stem in SKIPPED_FORTUNE_FILES:
            continue
        for entry in read_fortune_entries(path.read_text("utf-8", errors="replace")):
            yield f"fortunes/{path.stem}", clean_passage(passage_from_entry(entry))
    for path in FESTIVAL_TEXTS:
        if path.exists():
            for paragraph in path.read_text("utf-8", errors="replace").split("\n\n"):
                yield f"festival/{path.name}", clean_passage(" ".join(paragraph.split()))


# --- rules on one sentence -------------------------------------------------

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'.,$%-]*")
TEXT_RULES = [  # (reason, pattern that rejects), checked in order
    ("non-ascii", re.compile(r"[^\x20-\x7e]")),
    ("url-or-email", re.compile(r"://|www\.|\.(com|org|net|edu)\b|@", re.I)),
    ("code-or-markup", re.compile(r"[{}<>\[\]|\\_=#*~^`/+]")),
    ("parenthesis", re.compile(r"[()]")),
    ("fragment", re.compile(r"^[^A-Z0-9]")),
    ("no-final-punctuation", re.compile(r"[^.!?]$")),
    ("repeated-punctuation", re.compile(r"[!?]{2,}|[!?][.]|,,|;;|::|\.\.(?!\.)")),
    ("dialog-label", re.compile(r"^[A-Za-z]+( [A-Z][a-z]+)?:")),
    ("mixed-letters-digits", re.compile(r"\b(?=\w*[A-Za-z])(?=\w*\d)\w+\b")),
    ("all-caps", re.compile(r"\b[A-Z]{4,}\b")),
    ("stray-quote", re.compile(r"(^|\s)'|'(\s|$)")),
]


def count_words(sentence: str) -> int:
    return len(WORD.findall(sentence))


def rejection_reason(sentence: str) -> Optional[str]:
    """Why a written sentence is unfit for the corpus, or None when it is fit."""
    for reason, pattern in TEXT_RULES:
        if pattern.search(sentence):
            return reason
    words = count_words(sentence)
    if words < MIN_WORDS:
        return "too-short"
    if words > MAX_WORDS:
        return "too-long"
    return None


def front_end_rejection(reply: dict) -> Optional[str]:
    """Why the engine cannot speak a sentence well, from its phonemize reply."""
    if "error" in reply:
        return "front-end-error"
    if len(reply["sentences"]) != 1:
        return "not-one-sentence"
    diagnostics = reply["diagnostics"]
    if diagnostics["skipped_characters"] or diagnostics["unknown_phonemes"] or diagnostics["invalid_utf8"]:
        return "unspeakable-characters"
    if diagnostics["out_of_lexicon_words"] > MAX_OUT_OF_LEXICON:
        return "out-of-lexicon"
    if len(reply["sentences"][0]["words"]) > MAX_SPOKEN_WORDS:
        return "too-long-spoken"
    return None


def dedup_key(sentence: str) -> str:
    """Sentences differing only in case, spacing or punctuation count as one."""
    return " ".join(re.findall(r"[a-z0-9']+", sentence.lower()))


def sentence_kind(sentence: str) -> str:
    """Coarse kind used to stratify the selection."""
    if sentence.endswith("?"):
        return "question"
    if sentence.endswith("!"):
        return "exclamation"
    if re.search(r"\d", sentence):
        return "number"
    # A capitalized word after a plain word (not after punctuation, which may
    # start a verse line or a quotation) is most likely a name.
    if re.search(r"[a-z] (?!I\b)[A-Z][a-z]+", sentence):
        return "name"
    return "statement"


def sentence_id(sentence: str) -> str:
    """Content-derived id: stable when the selection changes, so teacher work is reused."""
    return "s" + hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:10]


# --- selection ---------------------------------------------------------------

def select(candidates: List[dict], size: int, held_out: int, seed: int) -> List[dict]:
    """Seeded, kind-stratified choice of `size` rows; `held_out` of them become 'test'."""
    rng = random.Random(seed)
    by_kind = defaultdict(list)
    for row in sorted(candidates, key=lambda row: row["id"]):
        by_kind[row["kind"]].append(row)
    for rows in by_kind.values():
        rng.shuffle(rows)
    chosen = []
    for kind, share in KIND_QUOTAS.items():
        chosen += by_kind[kind][: round(size * share)]
    leftovers = [row for kind, rows in sorted(by_kind.items())
                 for row in (rows if kind not in KIND_QUOTAS else rows[round(size * KIND_QUOTAS[kind]):])]
    rng.shuffle(leftovers)
    statements = [row for row in leftovers if row["kind"] == "statement"]
    others = [row for row in leftovers if row["kind"] != "statement"]
    chosen += (statements + others)[: max(0, size - len(chosen))]
    return assign_splits(chosen, held_out, rng)


def assign_splits(rows: List[dict], held_out: int, rng: random.Random) -> List[dict]:
    """Every kind contributes to the test split in proportion to its share."""
    order = list(rows)
    rng.shuffle(order)
    order.sort(key=lambda row: row["kind"])  # stable: shuffled within each kind
    step = len(order) / held_out if held_out else float("inf")
    test_ids = {order[int(k * step)]["id"] for k in range(held_out)}
    for row in rows:
        row["split"] = "test" if row["id"] in test_ids else "train"
    return sorted(rows, key=lambda row: (row["split"] != "train", row["id"]))


def write_tsv(rows: List[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write("id\tsplit\tkind\tsource\ttext\n")
        for row in rows:
            out.write(f"{row['id']}\t{row['split']}\t{row['kind']}\t{row['source']}\t{row['text']}\n")


def read_tsv(path: Path) -> List[dict]:
    lines = path.read_text("utf-8").splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t", len(header) - 1))) for line in lines[1:] if line]


# --- the step ------------------------------------------------------------------

def split_passages(passages: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
    """Sentences as the engine's segmenter cuts them: (source, sentence text)."""
    replies = front_end.phonemize_many((str(k), text) for k, (_, text) in enumerate(passages))
    sentences = []
    for k, (source, _) in enumerate(passages):
        for sentence in replies.get(str(k), {}).get("sentences", []):
            sentences.append((source, sentence["text"].strip()))
    return sentences


def build_candidates(sentences: List[Tuple[str, str]], reasons: Counter) -> List[dict]:
    """Applies the text rules, deduplication and the front-end rules."""
    seen, fit = set(), []
    for source, sentence in sentences:
        reason = rejection_reason(sentence)
        key = dedup_key(sentence)
        if reason is None and key in seen:
            reason = "duplicate"
        reasons[reason or "kept-by-text-rules"] += 1
        if reason is None:
            seen.add(key)
            fit.append({"id": sentence_id(sentence), "source": source, "text": sentence,
                        "kind": sentence_kind(sentence)})
    replies = front_end.phonemize_many((row["id"], row["text"]) for row in fit)
    candidates = []
    for row in fit:
        reason = front_end_rejection(replies.get(row["id"], {"error": "missing"}))
        reasons[reason or "candidate"] += 1
        if reason is None:
            candidates.append(row)
    return candidates


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=paths.CORPUS_TSV)
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE)
    parser.add_argument("--held-out", type=int, default=DEFAULT_HELD_OUT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    passages = [(source, text) for source, text in source_passages() if text]
    if not passages:
        print(f"corpus: no source text; install the Debian packages fortunes and fortunes-min", file=sys.stderr)
        return 1
    reasons = Counter()
    candidates = build_candidates(split_passages(passages), reasons)
    if len(candidates) < args.size:
        print(f"corpus: only {len(candidates)} usable sentences, {args.size} wanted", file=sys.stderr)
        return 1
    rows = select(candidates, args.size, args.held_out, args.seed)
    write_tsv(rows, args.out)
    kinds = Counter(row["kind"] for row in rows)
    print(f"corpus: {len(passages)} passages; " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
    print(f"corpus: wrote {len(rows)} sentences ({args.held_out} test) to {args.out}; kinds: "
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
