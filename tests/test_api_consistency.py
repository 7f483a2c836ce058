"""The API reads as one product: checks over every route and schema, so that a new endpoint
cannot bring back a second date rule, list shape, policy shape or PUT rule."""

from __future__ import annotations

import types
import typing
from datetime import date
from typing import Any

import pydantic
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from app.api.graphql.schema import schema
from app.domain import dates


def _api_routes(app: FastAPI) -> list[APIRoute]:
    """Every route under /api (FastAPI includes routers lazily: ``app.routes`` holds the included
    routers, whose routes are reached through their contexts)."""
    routes = [
        context.original_route
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute) and (context.path or "").startswith("/api/")
    ]
    assert len(routes) > 50, "the routes of the included routers are not reached"
    return routes


def _rule(meta: list[Any]) -> bool:
    return any(getattr(m, "func", None) is dates._validate for m in meta)


def _bare_field(field: Any, seen: set[int]) -> bool:
    """A field's ``Annotated`` metadata is kept apart from its annotation by pydantic."""
    if field.annotation is date:
        return not _rule(field.metadata)
    return _bare_dates(field.annotation, seen)


def _bare_dates(annotation: Any, seen: set[int]) -> bool:
    """Whether ``annotation`` holds a ``date`` that is not :data:`ThaiDate`."""
    if annotation is date:
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        if base is date:
            return not _rule(meta)
        return _bare_dates(base, seen)
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        if id(annotation) in seen:
            return False
        seen.add(id(annotation))
        return any(_bare_field(f, seen) for f in annotation.model_fields.values())
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        return any(_bare_dates(a, seen) for a in typing.get_args(annotation))
    return False


def test_every_date_of_every_rest_schema_and_query_follows_the_one_date_rule(
    app: FastAPI,
) -> None:
    import app.api.rest as rest  # every schema module, through the routers

    models: set[type[pydantic.BaseModel]] = set()
    stack: list[type[pydantic.BaseModel]] = [rest.schemas.ApiModel]
    while stack:
        model = stack.pop()
        models.add(model)
        stack.extend(model.__subclasses__())
    bare = sorted(m.__qualname__ for m in models if _bare_dates(m, set()))
    assert bare == [], "use app.domain.dates.ThaiDate for these date fields"

    params = [
        f"{route.path} {p.name}"
        for route in _api_routes(app)
        for p in route.dependant.query_params + route.dependant.path_params
        if _bare_field(p.field_info, set())
    ]
    assert params == []


def test_the_graphql_date_scalar_is_the_one_date_rule() -> None:
    date_type = schema._schema.type_map["Date"]
    assert date_type.parse_value("2567-02-29") == date(2024, 2, 29)  # type: ignore[union-attr]
    assert date_type.serialize(date(2024, 2, 29)) == "2024-02-29"  # type: ignore[union-attr]


def test_every_openapi_component_is_named_as_its_class_alone(app: FastAPI) -> None:
    """No module paths (``app__api__..._PolicyOut``) and no ``-Input``/``-Output`` twins: two
    schemas of one name in two features must get distinct names."""
    names = list(app.openapi()["components"]["schemas"])
    assert [n for n in names if not n.isalnum()] == []
    assert {"PlanningPolicyOut", "AssessmentPolicyOut"} <= set(names)


def _is_list_answer(fields: set[str]) -> bool:
    """A list's answer, as opposed to a record that has items of its own (a plan, a diff)."""
    paging = {"next_cursor", "poll_cursor", "has_more", "cursor"}
    return "items" in fields and (bool(fields & paging) or fields <= {"items", "total"})


def test_every_list_answers_items_and_next_cursor(app: FastAPI) -> None:
    """No route answers a bare JSON array; every answer with `items` is a page."""
    from app.api.rest.schemas import Page

    bare, unpaged = [], []
    for route in _api_routes(app):
        model = route.response_model
        if model is None:
            continue
        if typing.get_origin(model) in (list, tuple, set) or model in (list, tuple, set):
            bare.append(f"{route.methods} {route.path}")
        elif (
            isinstance(model, type)
            and issubclass(model, pydantic.BaseModel)
            and _is_list_answer(set(model.model_fields))
            and not issubclass(model, Page)
        ):
            unpaged.append(f"{route.methods} {route.path}")
    assert bare == []
    assert unpaged == []


def test_a_list_that_pages_takes_limit_and_cursor_and_every_page_names_its_list(
    app: FastAPI,
) -> None:
    from app.api.rest.schemas import Page

    for route in _api_routes(app):
        model = route.response_model
        if not (isinstance(model, type) and issubclass(model, Page)):
            continue
        params = {p.name for p in route.dependant.query_params}
        assert model.__name__.endswith(("Page", "Changes", "Out")), model
        if "cursor" in params:
            assert "limit" in params, route.path
