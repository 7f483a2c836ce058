"""Delta reads that never skip a change, while writes go on.

Every write stamps its row with ``change_seq`` (a PostgreSQL sequence) and ``change_xid`` (the
writing transaction's id). Sequence numbers are handed out before commit, so a reader ordering by
``change_seq`` alone could pass a number whose transaction commits later, and skip it for ever.
A reader therefore only returns rows written by transactions older than its snapshot's ``xmin``
(every transaction below ``xmin`` has finished), ordered by ``(change_xid, change_seq)``. Any
row that becomes visible later carries an xid at or above that ``xmin``, so it sorts after every
row already returned: a cursor over ``(change_xid, change_seq)`` misses nothing and repeats
nothing (a record written again comes back once more, with its new content).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, literal_column, or_, tuple_
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnClause

Column = ColumnElement[int] | InstrumentedAttribute[int]

SNAPSHOT_XMIN: ColumnClause[int] = literal_column(
    "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
)
OWN_XID: ColumnClause[int] = literal_column(
    "coalesce(pg_current_xact_id_if_assigned()::text::bigint, -1)"
)


def settled(xid: Column) -> ColumnElement[bool]:
    """Rows whose writing transaction has finished (or is the reader's own)."""
    return or_(xid < SNAPSHOT_XMIN, xid == OWN_XID)


def after(xid: Column, seq: Column, position: tuple[int, int] | None) -> ColumnElement[bool] | None:
    if position is None:
        return None
    return tuple_(xid, seq) > tuple_(*position)
