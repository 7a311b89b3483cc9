"""Where the recipe reads and writes; every location can be overridden."""
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
VOICE_DIR = REPO / "scripts" / "voice"
CORPUS_TSV = VOICE_DIR / "data" / "corpus.tsv"
DEFAULT_VOICE_CONFIG = REPO / "models" / "voxlet-test-arpabet" / "voice.json"


def work_dir() -> Path:
    """Outputs too large for git live here (VOXLET_VOICE_WORK, default build/voice)."""
    return Path(os.environ.get("VOXLET_VOICE_WORK", REPO / "build" / "voice"))


def voice_config() -> Path:
    """The voice whose phoneme_id_map defines the ids (VOXLET_VOICE_CONFIG)."""
    return Path(os.environ.get("VOXLET_VOICE_CONFIG", DEFAULT_VOICE_CONFIG))
