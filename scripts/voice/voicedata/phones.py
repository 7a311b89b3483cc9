"""Phone classes and the substitution costs used to align Festival's phones (radio
phone set, no stress) with the engine's ARPAbet (CMUdict phones with stress 0/1/2).
"""
import re
from typing import Optional

VOWELS = {"aa", "ae", "ah", "ao", "aw", "ax", "axr", "ay", "eh", "er", "ey", "ih", "ix",
          "iy", "ow", "oy", "uh", "uw"}
PAUSES = {"pau", "h#", "brth", "sil"}

# Pairs a teacher and our lexicon plausibly disagree on (reductions, flaps,
# voicing, merged vowels). Cheaper than an arbitrary substitution, dearer than a match.
NEAR_PAIRS = {frozenset(pair) for pair in [
    ("ax", "ih"), ("ax", "eh"), ("ax", "uh"), ("ax", "aa"), ("ax", "er"), ("ah", "aa"),
    ("aa", "ao"), ("ih", "iy"), ("ih", "eh"), ("eh", "ae"), ("uh", "uw"), ("ow", "ao"),
    ("ey", "eh"), ("er", "r"), ("iy", "y"), ("uw", "w"), ("ow", "ah"),
    ("t", "d"), ("s", "z"), ("th", "dh"), ("n", "ng"), ("f", "v"), ("k", "g"), ("p", "b"),
    ("ch", "sh"), ("jh", "zh"), ("sh", "zh"), ("ch", "t"), ("jh", "d"), ("n", "m")]}

MATCH, REDUCED_STRESSED, NEAR, VOWEL_VOWEL, CONSONANT_CONSONANT, ACROSS_CLASSES = (
    0.0, 0.2, 0.5, 0.8, 1.0, 1.5)


def engine_base(phoneme: str) -> Optional[str]:
    """'AH0' -> 'ah'; None for symbols that are not phones (pads, spaces, punctuation)."""
    match = re.fullmatch(r"([A-Z]{1,2})[0-2]?", phoneme)
    return match.group(1).lower() if match else None


def engine_stress(phoneme: str) -> Optional[int]:
    return int(phoneme[-1]) if phoneme[-1:].isdigit() else None


def is_vowel(phone: str) -> bool:
    return phone in VOWELS


def is_pause(teacher_phone: str) -> bool:
    return teacher_phone in PAUSES


def substitution_cost(engine_phoneme: str, teacher_phone: str) -> float:
    """Cost of saying that the teacher's phone realizes the engine's phoneme."""
    base = engine_base(engine_phoneme)
    if base == teacher_phone:
        return MATCH
    if teacher_phone == "ax" and base == "ah":  # radio's schwa is CMUdict's AH0
        return MATCH if engine_stress(engine_phoneme) == 0 else REDUCED_STRESSED
    if frozenset((base, teacher_phone)) in NEAR_PAIRS:
        return NEAR
    if is_vowel(base) and is_vowel(teacher_phone):
        return VOWEL_VOWEL
    if not is_vowel(base) and not is_vowel(teacher_phone):
        return CONSONANT_CONSONANT
    return ACROSS_CLASSES
