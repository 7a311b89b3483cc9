"""Teacher + align on two real sentences: Festival, sox and the WASM engine together."""
import json
import tempfile
import unittest
import wave
from pathlib import Path

from helpers import FIXTURES, missing_tools
from voicedata import align, corpus, front_end, teacher

MISSING = missing_tools()


@unittest.skipIf(MISSING, f"needs {', '.join(MISSING)} (Debian: festival festvox-us-slt-hts sox)")
class TeacherAlignEndToEndTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.TemporaryDirectory(prefix="voxlet-voice-test-")
        cls.work = Path(cls.scratch.name)
        cls.rows = corpus.read_tsv(FIXTURES / "tiny-corpus.tsv")[:2]
        cls.first = teacher.run(cls.rows, cls.work / "teacher", batch_size=2, log=lambda *a, **k: None)
        cls.outcomes = align.run(cls.rows, cls.work)
        cls.manifest = [json.loads(line) for line in (cls.work / "manifest.jsonl").read_text().splitlines()]

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def test_teacher_wrote_22k_mono_audio_and_timings(self):
        self.assertEqual(self.first["new"], 2)
        for row in self.rows:
            with wave.open(str(self.work / "teacher" / f"{row['id']}.wav")) as wav:
                self.assertEqual((wav.getframerate(), wav.getnchannels()), (22050, 1))
            timings = json.loads((self.work / "teacher" / f"{row['id']}.json").read_text())
            self.assertEqual(timings["segments"][0][0], "pau")
            self.assertGreater(len(timings["segments"]), 5)

    def test_teacher_resumes_without_redoing_work(self):
        again = teacher.run(self.rows, self.work / "teacher", log=lambda *a, **k: None)
        self.assertEqual((again["new"], again["pending"]), (0, 0))

    def test_both_sentences_aligned(self):
        self.assertEqual(self.outcomes["ok"], 2, dict(self.outcomes))
        self.assertEqual([entry["id"] for entry in self.manifest], [row["id"] for row in self.rows])

    def test_frame_totals_match_the_wav_length(self):
        for entry in self.manifest:
            with wave.open(str(self.work / entry["wav"])) as wav:
                samples = wav.getnframes()
            self.assertEqual(entry["n_frames"], -(-samples // 256))
            self.assertEqual(sum(entry["durations"]), entry["n_frames"])
            self.assertEqual(len(entry["durations"]), len(entry["ids"]))

    def test_every_word_gets_frames_and_ids_are_the_engines(self):
        replies = front_end.phonemize_many((row["id"], row["text"]) for row in self.rows)
        for entry in self.manifest:
            spoken = replies[entry["id"]]["sentences"][0]
            self.assertEqual(entry["ids"], spoken["ids"])
            for word in spoken["words"]:
                begin, end = word["ids"]
                self.assertGreater(sum(entry["durations"][begin:end]), 0, word["text"])
            pads = [d for i, d in zip(entry["ids"], entry["durations"]) if i == 0]
            self.assertEqual(sum(pads), 0)


if __name__ == "__main__":
    unittest.main()
