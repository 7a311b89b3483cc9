"""The engine's own front end, called in batch through scripts/voice/phonemize-batch.mjs.

Using the engine (not a Python G2P) is the point of the recipe: the model is trained
on the very ids the built-in front end produces at run time.
"""
import json
import subprocess
from pathlib import Path
from typing import Dict, Iterable, Tuple

from . import paths

HELPER = paths.VOICE_DIR / "phonemize-batch.mjs"


def phonemize_many(items: Iterable[Tuple[str, str]], voice_config: Path = None) -> Dict[str, dict]:
    """Phonemizes (id, text) pairs; returns id -> {sentences, diagnostics} or {error}."""
    lines = "".join(json.dumps({"id": key, "text": text}) + "\n" for key, text in items)
    config = str(voice_config or paths.voice_config())
    # --no-experimental-fetch: Emscripten 3.1.6 glue mistakes Node's fetch for a browser's.
    completed = subprocess.run(
        ["node", "--no-experimental-fetch", str(HELPER), config],
        input=lines, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"phonemize-batch failed: {completed.stderr.strip()}")
    results = {}
    for line in completed.stdout.splitlines():
        reply = json.loads(line)
        results[reply["id"]] = reply
    return results
