from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class RateLimitBucket(Base):
    """One credential's token bucket, shared by every worker and host that serves the API.

    ``tokens`` is what was left at ``stamp``; a hit refills it for the time since (the limit a
    minute, spread evenly), takes the tokens asked for when they are there, and records in
    ``taken`` how many it took (0: refused), in one atomic upsert
    (``app/services/platform/ratelimit.py``). A bucket untouched for a minute is full again, the
    same as no row: such rows are deleted now and then.
    """

    __tablename__ = "rate_limit_bucket"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float, nullable=False)
    stamp: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)
    taken: Mapped[int] = mapped_column(SmallInteger, nullable=False)
