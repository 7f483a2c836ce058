"""Entity tags for single-record reads and conditional writes (``ETag`` / ``If-Match``).

A record's version is its change sequence number, which every write advances.
"""

from __future__ import annotations

from app.domain.errors import PreconditionFailed


def etag(version: int) -> str:
    return f'"{version}"'


def check_if_match(if_match: str | None, version: int | None) -> None:
    """412 unless ``If-Match`` is absent, ``*`` on an existing record, or names ``version``."""
    if if_match is None:
        return
    tags = [t.strip().removeprefix("W/") for t in if_match.split(",") if t.strip()]
    if version is None:
        raise PreconditionFailed("the record does not exist, so If-Match cannot match")
    if "*" in tags or etag(version) in tags:
        return
    raise PreconditionFailed(
        f"the record has changed: its current version is {etag(version)}",
        current_etag=etag(version),
    )
