"""Learning records: xAPI statements from e-learning providers and what they count for."""
