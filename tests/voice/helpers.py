"""Shared set-up for the voice recipe tests: import path and tool checks."""
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(REPO / "scripts" / "voice"))


def missing_tools():
    """What the end-to-end test needs but this machine lacks (empty list = all there)."""
    missing = [tool for tool in ("festival", "sox", "node") if not shutil.which(tool)]
    if not (REPO / "web" / "dist" / "engine").is_dir():
        missing.append("web/dist (run scripts/build)")
    if not Path("/usr/share/festival/voices/us/cmu_us_slt_arctic_hts").is_dir():
        missing.append("festvox-us-slt-hts")
    return missing
