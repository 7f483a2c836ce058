"""GraphQL of the learning feature: courses, recommended courses, drafted plans."""
