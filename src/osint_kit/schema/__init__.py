"""The case-bundle format and the output frames, declared once."""
