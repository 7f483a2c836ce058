"""xAPI statement storage and reads (docs/xapi.md)."""
