"""Reporting: employment categories, digital-skill-target designations, reporting policies, and
the stored results of final assessments.

* ``person.employment_category``: the HRIS's category (KPIs G1/G2, 004:902-908).
* ``digital_target_designation``: a unit's decision, per person and fiscal year, that the person
  is a digital-skill development target (G2, 004:906-908).
* ``reporting_policy``: an agency's own KPI targets and small-group threshold (inherited).
* ``assessment_result`` / ``assessment_result_requirement``: what a final assessment scored,
  written at finalisation. Existing final assessments are scored here once, with the policy
  recorded on them, by the same domain code the service uses.

Revision ID: 0013_reporting
Revises: 0012_xapi_statements
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013_reporting"
down_revision: str | None = "0012_xapi_statements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = (
    "employment_category IN ('ordinary_civil_servant', 'teacher_education',"
    " 'permanent_employee', 'government_employee', 'other')"
)


def upgrade() -> None:
    op.add_column("person", sa.Column("employment_category", sa.String(32), nullable=True))
    op.create_check_constraint(op.f("ck_person_employment_category"), "person", CATEGORIES)

    op.create_table(
        "digital_target_designation",
        sa.Column("person_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("designated", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column(
            "decided_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_digital_target_designation_person_id_person"),
        ),
        sa.PrimaryKeyConstraint(
            "person_id", "fiscal_year", name=op.f("pk_digital_target_designation")
        ),
    )
    op.create_index(
        "ix_digital_target_designation_year",
        "digital_target_designation",
        ["fiscal_year", "person_id"],
    )

    op.create_table(
        "reporting_policy",
        sa.Column("agency_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("overrides", postgresql.JSONB(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_reporting_policy_agency_id_agency")
        ),
        sa.PrimaryKeyConstraint("agency_id", name=op.f("pk_reporting_policy")),
    )

    op.create_table(
        "assessment_result",
        sa.Column("person_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("assessment_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("agency_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(16), nullable=True),
        sa.Column("groups", postgresql.ARRAY(sa.String(64)), nullable=False),
        sa.Column("present_met", sa.Integer(), nullable=True),
        sa.Column("present_required", sa.Integer(), nullable=True),
        sa.Column("future_met", sa.Integer(), nullable=True),
        sa.Column("future_required", sa.Integer(), nullable=True),
        sa.Column("finalized_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id", "assessment_id"],
            ["assessment.person_id", "assessment.id"],
            name=op.f("fk_assessment_result_assessment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "assessment_id", name=op.f("pk_assessment_result")),
    )
    op.create_index(
        "ix_assessment_result_year_agency",
        "assessment_result",
        ["fiscal_year", "agency_id", "kind"],
    )
    op.create_table(
        "assessment_result_requirement",
        sa.Column("person_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("assessment_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("agency_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("component", sa.String(16), nullable=False),
        sa.Column("domain_code", sa.String(64), nullable=True),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("future", sa.Boolean(), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id", "assessment_id"],
            ["assessment_result.person_id", "assessment_result.assessment_id"],
            name=op.f("fk_assessment_result_requirement_result"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "person_id", "assessment_id", "code", name=op.f("pk_assessment_result_requirement")
        ),
    )
    op.create_index(
        "ix_assessment_result_requirement_year_agency",
        "assessment_result_requirement",
        ["fiscal_year", "agency_id", "kind"],
    )
    _backfill()


def _backfill() -> None:
    """Score every final assessment once, with the policy recorded on it (pure domain code)."""
    from app.domain.assessment.items import Rating
    from app.domain.assessment.scoring import score
    from app.domain.assessment.stored import stored_result
    from app.domain.assessment.vocabulary import RatingValue
    from app.services.assessment.assessment_items import plan_for, plan_key
    from app.services.assessment.assessment_policies import policy_of_json

    bind = op.get_bind()
    finals = bind.execute(
        sa.text(
            "SELECT person_id, id, agency_id, fiscal_year, kind, framework_version_id, targets,"
            " required_items, policy, finalized_at FROM assessment WHERE status = 'final'"
        )
    ).all()
    for person_id, a_id, agency_id, year, kind, version, targets, items, policy, at in finals:
        ratings = bind.execute(
            sa.text(
                "SELECT item_code, self_value, supervisor_value FROM assessment_rating"
                " WHERE person_id = :p AND assessment_id = :a"
            ),
            {"p": person_id, "a": a_id},
        ).all()
        own = {c: Rating(RatingValue(s)) for c, s, _ in ratings if s is not None}
        boss = {c: Rating(RatingValue(v)) for c, _, v in ratings if v is not None}
        plan = plan_for(plan_key(version, targets), items)
        result = stored_result(score(plan, own, boss, policy_of_json(policy)))
        bind.execute(
            sa.text(
                "INSERT INTO assessment_result (person_id, assessment_id, agency_id, fiscal_year,"
                " kind, stage, groups, present_met, present_required, future_met,"
                " future_required, finalized_at) VALUES (:p, :a, :ag, :y, :k, :s, :g, :pm, :pr,"
                " :fm, :fr, :at)"
            ),
            {
                "p": person_id,
                "a": a_id,
                "ag": agency_id,
                "y": year,
                "k": kind,
                "s": targets.get("stage"),
                "g": [str(g["group"]) for g in targets.get("groups", ())],
                "pm": result.present_met,
                "pr": result.present_required,
                "fm": result.future_met,
                "fr": result.future_required,
                "at": at,
            },
        )
        if result.requirements:
            bind.execute(
                sa.text(
                    "INSERT INTO assessment_result_requirement (person_id, assessment_id, code,"
                    " agency_id, fiscal_year, kind, component, domain_code, present, future, met)"
                    " VALUES (:p, :a, :c, :ag, :y, :k, :comp, :d, :pre, :fut, :met)"
                ),
                [
                    {
                        "p": person_id,
                        "a": a_id,
                        "c": r.code,
                        "ag": agency_id,
                        "y": year,
                        "k": kind,
                        "comp": r.component,
                        "d": r.domain_code,
                        "pre": r.present,
                        "fut": r.future,
                        "met": r.met,
                    }
                    for r in result.requirements
                ],
            )


def downgrade() -> None:
    op.drop_table("assessment_result_requirement")
    op.drop_table("assessment_result")
    op.drop_table("reporting_policy")
    op.drop_index("ix_digital_target_designation_year", "digital_target_designation")
    op.drop_table("digital_target_designation")
    op.drop_constraint(op.f("ck_person_employment_category"), "person")
    op.drop_column("person", "employment_category")
