"""Reference tables count their writes, so that a cached answer can be checked as current.

``reference_change`` holds one row a reference table (frameworks, the catalogue, agencies, their
policies, clients: every table ``app/db/distribution.py`` places as reference) with the number of
statements that wrote to it; a statement-level trigger on each such table bumps its row, once per
``INSERT``, ``UPDATE``, ``DELETE`` or ``TRUNCATE`` statement (not per row). These tables are
written by administrators and providers, rarely; the bump takes the row's lock until the writing
transaction ends, so two transactions writing the same reference table take turns at that row.

Person-owned data needs no counter: a row's ``xmin`` and ``ctid`` change on every write, so the
answer stamp reads them directly (``app/db/repositories/assessment/stamps.py``).
``tests/integration/test_answer_stamps.py`` fails when a reference table has no trigger.

Revision ID: 0018_reference_changes
Revises: 0017_xapi_documents
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_reference_changes"
down_revision: str | None = "0017_xapi_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The reference tables as of this revision (a later migration that adds one adds its trigger).
TABLES = (
    "agency",
    "agency_version",
    "stage_declaration",
    "assessment_policy",
    "planning_policy",
    "reporting_policy",
    "framework",
    "framework_version",
    "framework_item",
    "crosswalk_link",
    "role_profile",
    "role_profile_requirement",
    "course_provider",
    "course",
    "course_activity",
    "course_item",
    "course_revision",
    "xapi_account_home",
    "integration_client",
)

BUMP = """
CREATE FUNCTION reference_change_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO reference_change AS c (table_name, n) VALUES (TG_TABLE_NAME, 1)
    ON CONFLICT (table_name) DO UPDATE SET n = c.n + 1;
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    op.create_table(
        "reference_change",
        sa.Column("table_name", sa.String(63), primary_key=True),
        sa.Column("n", sa.BigInteger(), nullable=False),
    )
    op.execute(BUMP)
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER reference_change_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
            f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION reference_change_bump()"
        )


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS reference_change_bump ON {table}")
    op.execute("DROP FUNCTION IF EXISTS reference_change_bump()")
    op.drop_table("reference_change")
