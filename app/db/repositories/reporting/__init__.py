"""Reporting reads: documents' look-ups, exports' streamed rows and export jobs."""
