"""Learning records: xAPI statements from e-learning providers (docs/xapi.md)."""
