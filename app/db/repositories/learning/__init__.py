"""Persistence of the learning feature: the course catalogue."""
