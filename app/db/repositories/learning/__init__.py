"""Persistence of the learning feature: the course catalogue and xAPI statements."""
