"""GraphQL for portals: Strawberry schema, per-request context and DataLoaders."""
