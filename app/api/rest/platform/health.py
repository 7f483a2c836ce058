from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.api.rest.deps import get_runtime
from app.api.rest.inputs import InputRoute
from app.db.migrate import current_revision, head_revision

router = APIRouter(tags=["health"], route_class=InputRoute)


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The database answers and its schema is at the migration head",
    responses={
        503: {
            "description": "Not ready: the readiness body, for load balancers and orchestrators",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
async def readyz(request: Request) -> JSONResponse:
    runtime = get_runtime(request)
    head = head_revision()
    try:
        async with runtime.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            current = await current_revision(conn)
    except Exception as exc:  # any failure to reach the database means "not ready"
        return JSONResponse(
            {"status": "unavailable", "database": "unreachable", "error": type(exc).__name__},
            status_code=503,
        )
    ready = current == head
    return JSONResponse(
        {"status": "ok" if ready else "migrations-pending", "migration": current, "head": head},
        status_code=200 if ready else 503,
    )
