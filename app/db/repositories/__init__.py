"""Every query lives in a repository function; bulk paths are set-based (unnest, ON CONFLICT)."""
