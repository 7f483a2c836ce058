"""All mapped tables; importing this module registers them on ``Base.metadata``."""

from app.db.models.audit import AuditEvent
from app.db.models.client import IntegrationClient

__all__ = ["AuditEvent", "IntegrationClient"]
