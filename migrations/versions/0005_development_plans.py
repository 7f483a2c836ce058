"""Individual development plans: plans, revisions, actual effort, agencies' planning policies.

A revision other than a plan's current one is never changed: a trigger refuses updates and
deletes of old revisions (and every delete of a revision).

Revision ID: 0005_development_plans
Revises: 0004_assessments
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_development_plans"
down_revision: str | None = "0004_assessments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UUID = postgresql.UUID(as_uuid=True)
NOW = sa.func.now()


def upgrade() -> None:
    op.create_table(
        "development_plan",
        sa.Column("person_id", UUID, nullable=False),
        sa.Column("id", UUID, nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("current_revision", sa.Integer(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("person_id", "id", name=op.f("pk_development_plan")),
        sa.UniqueConstraint(
            "person_id", "fiscal_year", name=op.f("uq_development_plan_person_id_fiscal_year")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_development_plan_person_id_person")
        ),
    )
    op.create_index("ix_development_plan_id", "development_plan", ["id"])

    op.create_table(
        "plan_revision",
        sa.Column("person_id", UUID, nullable=False),
        sa.Column("plan_id", UUID, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("revised_from", sa.Integer()),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("document", postgresql.JSONB(), nullable=False),
        sa.Column("baseline_assessment_id", UUID),
        sa.Column("framework_version_id", UUID),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("owner_ack_by", sa.String(200)),
        sa.Column("owner_ack_at", sa.DateTime(timezone=True)),
        sa.Column("supervisor_ack_by", sa.String(200)),
        sa.Column("supervisor_ack_at", sa.DateTime(timezone=True)),
        sa.Column("evaluation", postgresql.JSONB()),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("person_id", "plan_id", "revision", name=op.f("pk_plan_revision")),
        sa.ForeignKeyConstraint(
            ["person_id", "plan_id"],
            ["development_plan.person_id", "development_plan.id"],
            name="fk_plan_revision_plan",
        ),
        sa.CheckConstraint(
            "state IN ('draft', 'submitted', 'acknowledged', 'in_progress', 'evaluated')",
            name=op.f("ck_plan_revision_state"),
        ),
    )
    op.create_index("ix_plan_revision_state", "plan_revision", ["state"])
    op.execute(
        """
        CREATE FUNCTION plan_revision_is_kept() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'plan revisions are kept, never deleted'
              USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          IF OLD.revision <> (SELECT current_revision FROM development_plan
                              WHERE person_id = OLD.person_id AND id = OLD.plan_id) THEN
            RAISE EXCEPTION 'revision % of plan % is not its current revision: it never changes',
              OLD.revision, OLD.plan_id
              USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          IF NEW.person_id <> OLD.person_id OR NEW.plan_id <> OLD.plan_id
             OR NEW.revision <> OLD.revision THEN
            RAISE EXCEPTION 'a plan revision keeps its key'
              USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN NEW;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER plan_revision_kept BEFORE UPDATE OR DELETE ON plan_revision"
        " FOR EACH ROW EXECUTE FUNCTION plan_revision_is_kept()"
    )

    op.create_table(
        "plan_effort",
        sa.Column("person_id", UUID, nullable=False),
        sa.Column("plan_id", UUID, nullable=False),
        sa.Column("activity_id", sa.String(64), nullable=False),
        sa.Column("id", UUID, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Numeric(8, 2), nullable=False),
        sa.Column("on", sa.Date()),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint(
            "person_id", "plan_id", "activity_id", "id", name=op.f("pk_plan_effort")
        ),
        sa.ForeignKeyConstraint(
            ["person_id", "plan_id"],
            ["development_plan.person_id", "development_plan.id"],
            name="fk_plan_effort_plan",
        ),
        sa.CheckConstraint(
            "source IN ('manual', 'completion')", name=op.f("ck_plan_effort_source")
        ),
        sa.CheckConstraint("hours > 0", name=op.f("ck_plan_effort_hours")),
    )

    op.create_table(
        "planning_policy",
        sa.Column("agency_id", UUID, nullable=False),
        sa.Column("overrides", postgresql.JSONB(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=NOW, nullable=False),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_planning_policy")),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_planning_policy_agency_id_agency")
        ),
    )


def downgrade() -> None:
    op.drop_table("planning_policy")
    op.drop_table("plan_effort")
    op.execute("DROP TRIGGER plan_revision_kept ON plan_revision")
    op.execute("DROP FUNCTION plan_revision_is_kept()")
    op.drop_table("plan_revision")
    op.drop_table("development_plan")
