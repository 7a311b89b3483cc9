"""Data steps of the Voxlet voice recipe: corpus, teacher audio, alignment.

Run through scripts/voice/recipe; each module also has a main() for one step.
Standard library only, so Debian's /usr/bin/python3 needs no extra packages.
"""
