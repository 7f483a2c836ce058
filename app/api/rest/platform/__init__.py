"""Access, audit, idempotency, integration clients and other cross-feature plumbing."""
