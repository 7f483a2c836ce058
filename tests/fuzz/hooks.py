"""Schemathesis checks of our own, loaded through SCHEMATHESIS_HOOKS by tests/fuzz/run.py."""

from __future__ import annotations

import json
import re
from typing import Any, get_args

import schemathesis
from pydantic_core.core_schema import ErrorType

# The rule ids of shape errors: pydantic's error types, which is what FastAPI reports when a
# parameter or body does not have the shape the route declares. A domain rule (a reference to a
# record that does not exist, a rule across fields or across records, a state) has its own id.
SHAPE_RULES = frozenset(get_args(ErrorType)) | {"json_invalid"}


def _rules(body: Any) -> set[str]:
    errors = body.get("errors") if isinstance(body, dict) else None
    return {e.get("rule") for e in errors or [] if isinstance(e, dict)} - {None}


def _breaks_a_header_pattern(case: Any) -> bool:
    """Whether a header sent breaks its declared pattern: the coverage phase draws header values
    from letters and digits only, so for a pattern it cannot meet (an entity tag is quoted) it
    sends a placeholder while still calling the case positive. Such a case is not schema-valid."""
    sent = {k.lower(): v for k, v in (case.headers or {}).items()}
    for parameter in case.operation.definition.raw.get("parameters", []):
        pattern = parameter.get("schema", {}).get("pattern")
        value = sent.get(parameter.get("name", "").lower())
        in_header = parameter.get("in") == "header" and isinstance(value, str)
        if in_header and pattern and re.search(pattern, value) is None:
            return True
    return False


@schemathesis.check
def shape_rules_are_in_the_schema(ctx: Any, response: Any, case: Any) -> bool | None:
    """A request the schema calls valid is never refused for its shape.

    `positive_data_acceptance` is configured to accept 422 for schema-valid requests, because a
    domain rule (an unknown agency, a plan that breaks a seed rule) is not something JSON Schema
    can state. This check keeps the part of it that matters for an honest contract: when the 422
    names a shape rule, the schema failed to state a constraint the server enforces.
    """
    meta = getattr(case, "meta", None)
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    if _breaks_a_header_pattern(case):
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    shape = _rules(body) & SHAPE_RULES
    if shape:
        raise AssertionError(
            "A schema-valid request was refused for its shape: the schema does not state the "
            f"rule(s) {sorted(shape)}: {body.get('detail')}"
        )
    return None
