"""The bash entry point: step names, usage and refusals."""
import subprocess
import unittest

from helpers import REPO

RECIPE = str(REPO / "scripts" / "voice" / "recipe")


def recipe(*args):
    return subprocess.run([RECIPE, *args], capture_output=True, text=True, check=False)


class RecipeEntryTest(unittest.TestCase):
    def test_no_step_prints_usage(self):
        result = recipe()
        self.assertEqual(result.returncode, 2)
        self.assertIn("corpus", result.stdout)

    def test_unknown_step_names_the_valid_ones(self):
        result = recipe("bogus")
        self.assertEqual(result.returncode, 2)
        self.assertIn("expected one of", result.stderr)
        self.assertIn("align", result.stderr)

    def test_evaluate_step_is_wired(self):
        result = recipe("evaluate", "--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("--limit", result.stdout)


if __name__ == "__main__":
    unittest.main()
