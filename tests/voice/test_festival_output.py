"""Reading Festival's printed timings, and the Scheme the teacher step writes."""
import unittest

from helpers import FIXTURES
from voicedata import teacher


class ParseFestivalOutputTest(unittest.TestCase):
    def test_recorded_sample(self):
        """festival-output.txt was printed by Festival 2.5 for 'hi, bob.' and a failing save."""
        results = teacher.parse_festival_output((FIXTURES / "festival-output.txt").read_text())
        self.assertEqual(set(results), {"a1", "b2"})
        self.assertTrue(results["a1"]["ok"])
        self.assertEqual(results["a1"]["segments"], [
            ["pau", 0.175, ""], ["hh", 0.255, "hi"], ["ay", 0.415, "hi"], ["b", 0.485, "bob"],
            ["aa", 0.675, "bob"], ["b", 0.745, "bob"], ["pau", 0.955, ""]])
        self.assertFalse(results["b2"]["ok"])

    def test_noise_ignored_and_missing_done_is_not_ok(self):
        output = ("Warning: something odd\nSEG\tx\tpau\t0.2\t0\nSEG\tx\tk\t0.3\tcat\n"
                  "SEG\ty\tpau\t0.1\t0\nDONE\ty\nnot\ta\tsegment\n")
        results = teacher.parse_festival_output(output)
        self.assertFalse(results["x"]["ok"])       # printed segments but never finished
        self.assertEqual(len(results["x"]["segments"]), 2)
        self.assertTrue(results["y"]["ok"])

    def test_done_without_segments_is_not_ok(self):
        self.assertFalse(teacher.parse_festival_output("DONE\tz\n")["z"]["ok"])


class SchemeTest(unittest.TestCase):
    def test_string_escaping(self):
        self.assertEqual(teacher.scheme_string('say "hi" \\ now'), '"say \\"hi\\" \\\\ now"')

    def test_each_sentence_is_guarded_and_named(self):
        script = teacher.scheme_script([
            {"id": "a", "spoken": "one.", "raw_wav": "/tmp/a.wav"},
            {"id": "b", "spoken": "two.", "raw_wav": "/tmp/b.wav"}])
        self.assertIn(teacher.VOICE, script)
        self.assertEqual(script.count("(unwind-protect (voxlet_say"), 2)
        self.assertIn('(voxlet_say "b" "two." "/tmp/b.wav")', script)

    def test_festival_text_is_ascii(self):
        self.assertEqual(teacher.festival_text("wait\u2026 no\u2014yes"), "wait... no, yes")


if __name__ == "__main__":
    unittest.main()
