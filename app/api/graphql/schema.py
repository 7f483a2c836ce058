"""The GraphQL schema. Query and mutation fields live in one module per area."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from graphql.error import GraphQLError
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.fastapi import GraphQLRouter
from strawberry.types import Info

from app.api.graphql.assessment.assessments import AssessmentMutation, AssessmentQuery
from app.api.graphql.context import Context, get_context
from app.api.graphql.errors import CodedErrors
from app.api.graphql.framework.framework_queries import FrameworkQueries
from app.api.graphql.framework.framework_queries import types as framework_types
from app.api.graphql.people.people import PeopleMutation, PeopleQuery
from app.api.graphql.planning.plans import PlanMutation, PlanQuery
from app.api.graphql.types import DATE, Principal


@strawberry.type
class Query(FrameworkQueries, PeopleQuery, AssessmentQuery, PlanQuery):
    @strawberry.field(description="The calling principal.")
    async def me(self, info: Info[Context, None]) -> Principal:
        return Principal.from_model(await info.context.principal())


@strawberry.type
class Mutation(PeopleMutation, AssessmentMutation, PlanMutation):
    pass


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Expected errors (coded) are the caller's business; CodedErrors logs the rest."""


schema = Schema(
    query=Query,
    mutation=Mutation,
    types=framework_types(),
    scalar_overrides={date: DATE},
    extensions=[
        CodedErrors,
        lambda: QueryDepthLimiter(max_depth=12),
        lambda: MaxAliasesLimiter(max_alias_count=30),
        lambda: MaxTokensLimiter(max_token_count=4000),
    ],
)


def graphql_router(*, graphiql: bool) -> GraphQLRouter[Context, None]:
    return GraphQLRouter(
        schema,
        context_getter=get_context,  # type: ignore[arg-type]
        graphql_ide="graphiql" if graphiql else None,
        allow_queries_via_get=False,
    )
