"""All mapped tables; importing this module registers them on ``Base.metadata``."""

from app.db.models.audit import AuditEvent
from app.db.models.client import IntegrationClient
from app.db.models.framework import (
    CrosswalkLinkRow,
    Framework,
    FrameworkItem,
    FrameworkVersion,
    RoleProfileRequirement,
    RoleProfileRow,
)

__all__ = [
    "AuditEvent",
    "CrosswalkLinkRow",
    "Framework",
    "FrameworkItem",
    "FrameworkVersion",
    "IntegrationClient",
    "RoleProfileRequirement",
    "RoleProfileRow",
]
