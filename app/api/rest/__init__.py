"""REST API under /api/v1: one router module per resource."""

from fastapi import APIRouter

from app.api.rest.assessment import assessments
from app.api.rest.framework import framework_admin, frameworks
from app.api.rest.learning import catalogue as course_catalogue
from app.api.rest.learning import learning_records
from app.api.rest.learning import recommendations as course_recommendations
from app.api.rest.people import agencies, group_assignments, people
from app.api.rest.planning import plans
from app.api.rest.platform import audit, clients, me
from app.api.rest.reporting import documents, exports, reports

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(me.router)
api_router.include_router(clients.router)
api_router.include_router(audit.router)
api_router.include_router(frameworks.router)
api_router.include_router(framework_admin.router)
api_router.include_router(agencies.router)
api_router.include_router(people.router)
api_router.include_router(plans.router)
api_router.include_router(assessments.router)
api_router.include_router(group_assignments.router)
api_router.include_router(course_catalogue.router)
api_router.include_router(course_recommendations.router)
api_router.include_router(learning_records.router)
api_router.include_router(reports.router)
api_router.include_router(documents.router)
api_router.include_router(exports.router)
