"""Competency frameworks: items, role profiles and their resolution, versions, diffs, CASE."""
