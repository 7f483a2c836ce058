"""Self and supervisor assessment, targets, results and policies."""
