"""The reference portal at /portal: its built files (portal/dist), its configuration, and the
development sign-in (only with THAKSA_DEV_SIGNIN; 404 otherwise).

Built files: the hashed bundles under /portal/assets/ are cached for a year (their name changes
with their content); index.html, and every other path of the single-page application (answered
with index.html so that a bookmark or a reload of /portal/plan works), is revalidated each time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import anyio
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.api.rest.deps import DbSession, get_runtime
from app.domain.errors import NotFound
from app.services.people import dev_signin
from app.settings import Settings

ROOT = "/portal"
DEV_SIGNIN_PAGE = "signin/dev"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
SECURITY_HEADERS = {
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
NOT_BUILT = (
    "The portal is not built: `make run` builds it (or `npm ci && npm run build` in portal/)."
)


class DevSignIn(BaseModel):
    subject: str = Field(min_length=1, max_length=200)
    persona: str = Field("employee", max_length=20)


class PortalFiles(StaticFiles):
    """StaticFiles with a fallback to index.html for the application's own paths."""

    def __init__(self, directory: Path, settings: Settings) -> None:
        super().__init__(directory=directory, html=True, check_dir=False)
        self._settings = settings

    async def check_config(self) -> None:
        # an unbuilt portal answers 503 saying how to build it (get_response), not an error
        if await anyio.Path(str(self.directory)).is_dir():
            await super().check_config()

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path.strip("/") == DEV_SIGNIN_PAGE and not self._settings.dev_signin:
            return PlainTextResponse("Not Found", status_code=404)
        if not await (anyio.Path(str(self.directory)) / "index.html").is_file():
            return PlainTextResponse(NOT_BUILT, status_code=503)
        hashed = path.replace(os.sep, "/").startswith("assets/")
        try:
            response = await super().get_response(path, scope)
        except HTTPException as exc:
            # a missing file is 404; any other path is the application's, answered by index.html
            if exc.status_code != 404 or hashed or "." in path.rsplit("/", 1)[-1]:
                raise
            response = await super().get_response("index.html", scope)
        response.headers["Cache-Control"] = IMMUTABLE if hashed else REVALIDATE
        response.headers.update(SECURITY_HEADERS)
        return response


def _config(settings: Settings) -> dict[str, Any]:
    oidc = (
        {
            "issuer": settings.oidc_issuer,
            "clientId": settings.oidc_client_id,
            "scope": settings.oidc_scope,
        }
        if settings.oidc_issuer and settings.oidc_client_id
        else None
    )
    return {"graphql": "/graphql", "oidc": oidc, "devSignin": settings.dev_signin}


def _dev_only(request: Request) -> None:
    if not get_runtime(request).settings.dev_signin:
        raise HTTPException(404)


router = APIRouter(prefix=ROOT, include_in_schema=False)


@router.get("/config.json")
async def config(request: Request) -> JSONResponse:
    """What the portal needs to start: where GraphQL is, how to sign in."""
    return JSONResponse(
        _config(get_runtime(request).settings), headers={"Cache-Control": REVALIDATE}
    )


@router.get("/dev/personas")
async def personas(request: Request, session: DbSession) -> JSONResponse:
    """The people the development sign-in page offers."""
    _dev_only(request)
    found = await dev_signin.personas(session)
    return JSONResponse(
        {"items": [p.__dict__ for p in found], "personas": list(dev_signin.PERSONA_ROLES)},
        headers={"Cache-Control": "no-store"},
    )


@router.post("/dev/token")
async def token(request: Request, body: DevSignIn, session: DbSession) -> JSONResponse:
    """A user token for a person of the data (development sign-in)."""
    _dev_only(request)
    runtime = get_runtime(request)
    try:
        minted, person = await dev_signin.sign_in(
            session, runtime.tokens, body.subject, body.persona
        )
    except NotFound as exc:
        raise HTTPException(404, exc.detail) from exc
    return JSONResponse(
        {
            "access_token": minted,
            "token_type": "Bearer",
            "expires_in": runtime.settings.jwt_default_ttl_seconds,
            "person": person.__dict__,
            "persona": body.persona,
        },
        headers={"Cache-Control": "no-store"},
    )


def install(app: FastAPI, settings: Settings) -> None:
    """Routes first (configuration, development sign-in), then the files under /portal/."""
    app.include_router(router)

    @app.get(ROOT, include_in_schema=False)
    async def portal_root() -> RedirectResponse:
        return RedirectResponse(ROOT + "/", status_code=308)

    app.mount(ROOT, PortalFiles(settings.portal_dir, settings), name="portal")
