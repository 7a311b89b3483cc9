"""The Voxlet acoustic model + DDSP vocoder: features, model, DSP, losses, data."""
