"""Drawings: timeline, route maps (folium and matplotlib), claim matrix. Each returns its
Axes or Map and never saves.
"""
