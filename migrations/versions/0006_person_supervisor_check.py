"""The reporting line's reference check, once per statement instead of once per row.

``person.supervisor_id`` loses its foreign key (a per-row check that cost about 40% of a bulk
sync's insert time) and gains statement-level triggers that enforce the same rule with one
indexed lookup per statement: every supervisor named by inserted or updated rows exists, and
no person removed by a statement is still somebody's supervisor. The error is the foreign key's
(SQLSTATE 23503).

Revision ID: 0006_person_supervisor_check
Revises: 0005_development_plans
Create Date: 2026-11-21
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006_person_supervisor_check"
down_revision: str | None = "0005_development_plans"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK_WRITTEN = """
CREATE FUNCTION person_supervisors_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  wanted uuid[];
  found bigint;
BEGIN
  SELECT array_agg(DISTINCT supervisor_id) INTO wanted
  FROM written WHERE supervisor_id IS NOT NULL;
  IF wanted IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT count(*) INTO found FROM person WHERE id = ANY(wanted);
  IF found <> cardinality(wanted) THEN
    RAISE EXCEPTION 'person.supervisor_id names a person that does not exist'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$
"""

CHECK_REMOVED = """
CREATE FUNCTION person_removed_is_no_supervisor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM person p
    WHERE p.supervisor_id = ANY(ARRAY(
      SELECT r.id FROM removed r WHERE NOT EXISTS (SELECT 1 FROM person q WHERE q.id = r.id)))
  ) THEN
    RAISE EXCEPTION 'a removed person is still the supervisor of another person'
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.drop_constraint("fk_person_supervisor_id_person", "person", type_="foreignkey")
    op.execute(CHECK_WRITTEN)
    op.execute(CHECK_REMOVED)
    op.execute(
        "CREATE TRIGGER person_inserted_supervisors AFTER INSERT ON person"
        " REFERENCING NEW TABLE AS written"
        " FOR EACH STATEMENT EXECUTE FUNCTION person_supervisors_exist()"
    )
    op.execute(
        "CREATE TRIGGER person_updated_supervisors AFTER UPDATE ON person"
        " REFERENCING NEW TABLE AS written"
        " FOR EACH STATEMENT EXECUTE FUNCTION person_supervisors_exist()"
    )
    op.execute(
        "CREATE TRIGGER person_updated_ids AFTER UPDATE ON person"
        " REFERENCING OLD TABLE AS removed"
        " FOR EACH STATEMENT EXECUTE FUNCTION person_removed_is_no_supervisor()"
    )
    op.execute(
        "CREATE TRIGGER person_deleted AFTER DELETE ON person"
        " REFERENCING OLD TABLE AS removed"
        " FOR EACH STATEMENT EXECUTE FUNCTION person_removed_is_no_supervisor()"
    )


def downgrade() -> None:
    for trigger in (
        "person_deleted",
        "person_updated_ids",
        "person_updated_supervisors",
        "person_inserted_supervisors",
    ):
        op.execute(f"DROP TRIGGER {trigger} ON person")
    op.execute("DROP FUNCTION person_removed_is_no_supervisor()")
    op.execute("DROP FUNCTION person_supervisors_exist()")
    op.create_foreign_key(
        "fk_person_supervisor_id_person", "person", "person", ["supervisor_id"], ["id"]
    )
