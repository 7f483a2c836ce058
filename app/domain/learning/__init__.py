"""Learning: the course catalogue, recommendations for a person's gaps and drafted plans, and
xAPI statements from e-learning providers."""
