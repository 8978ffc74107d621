"""Exports of figures and tables (with captions and a manifest) and the report."""
