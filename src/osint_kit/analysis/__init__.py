"""Normalisers of values (dates, places, names, documents) and the analyses (travel legs,
relays, corroboration, ACH). Imports io and the core.
"""
