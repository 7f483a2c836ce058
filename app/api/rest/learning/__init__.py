"""REST resources of the learning feature: the course catalogue, recommendations, drafted plans,
and the xAPI Statement resource (/xapi)."""
