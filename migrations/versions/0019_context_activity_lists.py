"""Stored statements give each kind of context activity as an array.

xAPI-Data §2.4.6.2: an LRS returns a single context Activity sent as an object as an array of
one. Statements are now stored that way (``with_context_activity_lists``); this rewrites those
stored before, in ``context`` and in a SubStatement's ``context``. Their comparison is
unchanged (it always read a single Activity as an array of one).

Revision ID: 0019_context_activity_lists
Revises: 0018_reference_changes
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019_context_activity_lists"
down_revision: str | None = "0018_reference_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A row is rewritten only when some kind is not an array, so the aggregate is never empty.
_AS_LISTS = """
UPDATE xapi_statement SET body = jsonb_set(body, '{path}', (
    SELECT jsonb_object_agg(
        key, CASE jsonb_typeof(value) WHEN 'array' THEN value ELSE jsonb_build_array(value) END
    )
    FROM jsonb_each(body #> '{path}')
))
WHERE jsonb_typeof(body #> '{path}') = 'object'
  AND EXISTS (
    SELECT 1 FROM jsonb_each(body #> '{path}') WHERE jsonb_typeof(value) <> 'array'
  )
"""


def upgrade() -> None:
    for path in ("{context,contextActivities}", "{object,context,contextActivities}"):
        op.execute(_AS_LISTS.replace("{path}", path))


def downgrade() -> None:
    # An array of one is what the specification returns for either form: nothing to undo.
    pass
