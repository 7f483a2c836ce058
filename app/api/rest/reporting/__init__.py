"""Agency reporting over REST: exports and printed documents."""
