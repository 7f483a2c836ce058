from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base


class ReferenceChange(Base):
    """How many writing statements each reference table has seen (frameworks, the catalogue,
    agencies and their policies): one row a table, bumped by a statement-level trigger on the
    table (migration 0018), so that an answer computed from reference data can be recognised as
    still current by reading this small table (``app/db/repositories/assessment/stamps.py``)."""

    __tablename__ = "reference_change"

    table_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, nullable=False)
