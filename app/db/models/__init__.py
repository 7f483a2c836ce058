"""All mapped tables; importing this module registers them on ``Base.metadata``."""

from app.db.models.agency import Agency, AgencyVersion, StageDeclaration
from app.db.models.assessment import (
    Assessment,
    AssessmentPolicyRow,
    AssessmentRating,
    AssessmentResult,
    AssessmentResultRequirement,
)
from app.db.models.audit import AuditEvent
from app.db.models.changes import ReferenceChange
from app.db.models.client import IntegrationClient
from app.db.models.exports import ExportJob
from app.db.models.framework import (
    CrosswalkLinkRow,
    Framework,
    FrameworkItem,
    FrameworkVersion,
    RoleProfileRequirement,
    RoleProfileRow,
)
from app.db.models.idempotency import IdempotencyKey
from app.db.models.learning import (
    Course,
    CourseActivity,
    CourseItem,
    CourseProvider,
    CourseRevision,
)
from app.db.models.learning_records import LearningRecord
from app.db.models.person import Person, StaffGroupAssignment
from app.db.models.planning import DevelopmentPlan, PlanEffort, PlanningPolicyRow, PlanRevision
from app.db.models.ratelimit import RateLimitBucket
from app.db.models.reporting import DigitalTargetDesignation, ReportingPolicyRow
from app.db.models.statements import XapiAccountHome, XapiDocument, XapiStatement

__all__ = [
    "Agency",
    "AgencyVersion",
    "Assessment",
    "AssessmentPolicyRow",
    "AssessmentRating",
    "AssessmentResult",
    "AssessmentResultRequirement",
    "AuditEvent",
    "Course",
    "CourseActivity",
    "CourseItem",
    "CourseProvider",
    "CourseRevision",
    "CrosswalkLinkRow",
    "DevelopmentPlan",
    "DigitalTargetDesignation",
    "ExportJob",
    "Framework",
    "FrameworkItem",
    "FrameworkVersion",
    "IdempotencyKey",
    "IntegrationClient",
    "LearningRecord",
    "Person",
    "PlanEffort",
    "PlanRevision",
    "PlanningPolicyRow",
    "RateLimitBucket",
    "ReferenceChange",
    "ReportingPolicyRow",
    "RoleProfileRequirement",
    "RoleProfileRow",
    "StaffGroupAssignment",
    "StageDeclaration",
    "XapiAccountHome",
    "XapiDocument",
    "XapiStatement",
]
