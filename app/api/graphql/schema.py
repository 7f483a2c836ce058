"""The GraphQL schema. Query and mutation fields live in one module per area."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import strawberry
from graphql.error import GraphQLError
from strawberry.types import ExecutionResult, Info
from strawberry.types.graphql import OperationType

from app.api.graphql.assessment.assessments import AssessmentMutation, AssessmentQuery
from app.api.graphql.context import Context
from app.api.graphql.errors import CodedErrors, coded, request_error
from app.api.graphql.framework.framework_queries import FrameworkQueries
from app.api.graphql.framework.framework_queries import types as framework_types
from app.api.graphql.guard import RequestGuard
from app.api.graphql.learning.courses import CourseMutation, CourseQuery
from app.api.graphql.learning.learning_records import LearningRecordQuery
from app.api.graphql.people.people import PeopleMutation, PeopleQuery
from app.api.graphql.planning.plans import PlanMutation, PlanQuery
from app.api.graphql.reporting.reports import ReportMutation, ReportQuery
from app.api.graphql.transport import GraphQLEndpoint
from app.api.graphql.types import DATE, Principal

SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


@strawberry.type
class Query(
    FrameworkQueries,
    PeopleQuery,
    AssessmentQuery,
    PlanQuery,
    CourseQuery,
    LearningRecordQuery,
    ReportQuery,
):
    @strawberry.field(description="The calling principal.")
    async def me(self, info: Info[Context, None]) -> Principal:
        return Principal.from_model(await info.context.principal())


@strawberry.type
class Mutation(PeopleMutation, AssessmentMutation, PlanMutation, CourseMutation, ReportMutation):
    pass


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Expected errors (coded) are the caller's business; CodedErrors logs the rest."""

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """Run the operation within ``THAKSA_GRAPHQL_TIMEOUT_SECONDS``; whatever failed, every
        error leaves coded (the request's own refusals are raised before ``CodedErrors`` could
        see them), without suggestions for a caller who may not have them."""
        runtime = getattr(context_value, "runtime", None)
        seconds = runtime.settings.graphql_timeout_seconds if runtime is not None else None
        try:
            async with asyncio.timeout(seconds or None):
                result = await super().execute(
                    query,
                    variable_values,
                    context_value,
                    root_value,
                    operation_name,
                    allowed_operation_types,
                    operation_extensions,
                )
        except TimeoutError:
            result = ExecutionResult(
                data=None,
                errors=[
                    request_error(
                        f"the operation took longer than {seconds:g} seconds and was stopped; "
                        "nothing was written",
                        "OPERATION_TIMEOUT",
                        limit="seconds",
                        max=seconds,
                    )
                ],
            )
        if result.errors:
            hide = getattr(context_value, "hide_suggestions", False)
            result.errors = [_final(err, hide_suggestions=hide) for err in result.errors]
        return result


def _final(error: GraphQLError, *, hide_suggestions: bool) -> GraphQLError:
    if not (error.extensions or {}).get("code"):
        error = coded(error)
    if hide_suggestions and "Did you mean" in error.message:
        error.message = SUGGESTION.sub("", error.message)
    return error


schema = Schema(
    query=Query,
    mutation=Mutation,
    types=framework_types(),
    scalar_overrides={date: DATE},
    extensions=[CodedErrors, RequestGuard],
)


def graphql_endpoint(*, graphiql: bool, answer_cache: int = 0) -> GraphQLEndpoint:
    return GraphQLEndpoint(schema, graphiql=graphiql, answer_cache=answer_cache)
