"""Persistence: SQLAlchemy models, repositories, sessions, embedded PostgreSQL, migrations."""
