"""Frameworks: versions, content, CASE exchange, seed loading."""
