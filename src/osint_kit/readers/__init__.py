"""Readers that turn files into validated frames: the case bundle, travel exports, event
exports. Import analysis, io and the core.
"""
