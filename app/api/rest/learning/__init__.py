"""REST resources of the learning feature: the course catalogue, recommendations, drafted plans."""
