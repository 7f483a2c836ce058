"""Self and supervisor assessment: the required set, ratings, scoring, the form and its rules.

Pure domain code (no I/O). The framework and role-profile code resolves a person's targets into
``items.RequiredItem`` values; ``plan.ScoringPlan`` compiles them once per required set, and
``scoring.score`` turns the self and supervisor ratings of one assessment into readiness, gaps and
strengths; ``comparison.compare`` sets a reflection against its baseline; ``form`` builds the form
and checks input. The rules are described in ``docs/assessment.md``.
"""
