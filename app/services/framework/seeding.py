"""Loading ``seed/`` (the reviewed framework data shipped with the product) into the database.

Idempotent: content already held by a version is left alone, so a second run changes nothing.
A seed folder whose content changed becomes a new published version (the one it replaces is
retired, never modified). ``thaksa seed load`` and ``thaksa serve`` call ``load_all``.

Layout (``seed/FORMAT.md``): ``<key>/framework.json``, ``<key>/items.json``, optional
``<key>/role_profiles.json``; ``crosswalks/<from>__<to>.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.errors import FieldError, ValidationFailed
from app.domain.framework.native import parse_document, seed_document
from app.domain.principal import Principal
from app.services.framework.framework_admin import save_content


def _json(path: Path, errors: list[FieldError]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        errors.append(FieldError(f"/{path.parent.name}/{path.name}", "file", str(exc)))
        return None


def read_seed_dir(seed_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    """One native document per framework folder, crosswalk targets before their sources."""
    errors: list[FieldError] = []
    documents: dict[str, dict[str, Any]] = {}
    for folder in sorted(p for p in seed_dir.iterdir() if (p / "framework.json").is_file()):
        framework = _json(folder / "framework.json", errors)
        items = _json(folder / "items.json", errors)
        profiles_file = folder / "role_profiles.json"
        profiles = _json(profiles_file, errors) if profiles_file.exists() else []
        if framework is None or items is None or profiles is None:
            continue
        key = framework.get("key") if isinstance(framework, dict) else None
        if key != folder.name:
            errors.append(
                FieldError(
                    f"/{folder.name}/framework.json/key",
                    "const",
                    f"the key must be {folder.name!r}",
                )
            )
            continue
        documents[key] = seed_document(framework, items, profiles)
    for path in sorted((seed_dir / "crosswalks").glob("*.json")):
        crosswalk = _json(path, errors)
        if not isinstance(crosswalk, dict):
            continue
        source = crosswalk.get("from") or {}
        owner = documents.get(str(source.get("key")))
        if owner is None or owner["framework"].get("version") != source.get("version"):
            errors.append(
                FieldError(
                    f"/crosswalks/{path.name}/from",
                    "dangling-reference",
                    f"{source} is not a framework version of this seed",
                )
            )
            continue
        owner["crosswalks"].append({"to": crosswalk.get("to"), "links": crosswalk.get("links", [])})
    if errors:
        raise ValidationFailed(errors, detail=f"the seed in {seed_dir} cannot be read")
    return _ordered(documents)


def _ordered(documents: dict[str, dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    done: list[str] = []

    def visit(key: str, path: tuple[str, ...]) -> None:
        if key in done or key in path or key not in documents:
            return
        for c in documents[key]["crosswalks"]:
            visit(str((c.get("to") or {}).get("key")), (*path, key))
        done.append(key)

    for key in sorted(documents):
        visit(key, ())
    return [(k, documents[k]) for k in done]


async def load_all(session: AsyncSession, seed_dir: Path, actor: Principal) -> dict[str, Any]:
    """Load every framework of ``seed_dir``; return a report of what happened to each."""
    seed_dir = Path(seed_dir)
    documents = read_seed_dir(seed_dir)
    seeded: dict[str, tuple[str, str]] = {}  # key -> (label in the seed files, label in the db)
    entries = []
    for key, document in documents:
        for crosswalk in document["crosswalks"]:
            to = crosswalk.get("to") or {}
            target = seeded.get(str(to.get("key")))
            if target is not None and to.get("version") == target[0]:
                # The seed is one snapshot: its crosswalk points at the version its target
                # folder was loaded as (which may carry a revision suffix).
                crosswalk["to"] = {"key": to["key"], "version": target[1]}
        parsed = parse_document(document)
        try:
            outcome = await save_content(
                session, actor, parsed.content, publish=True, reinstate=False, errors=parsed.errors
            )
        except ValidationFailed as exc:
            errors = [
                FieldError(f"/{key}{e.pointer}", e.rule, e.message, e.extra) for e in exc.errors
            ]
            raise ValidationFailed(errors, detail=f"seed {key}: {exc.detail}") from exc
        seeded[key] = (str(document["framework"].get("version")), outcome.version.label)
        entries.append(
            {
                "framework": key,
                "version": outcome.version.label,
                "status": outcome.status,
                "version_status": outcome.version.status,
                "replaced": outcome.previous.label
                if outcome.previous and outcome.status == "created"
                else None,
                "changes": outcome.diff.counts if outcome.diff else None,
                "content_hash": outcome.version.content_hash,
            }
        )
    changed = any(e["status"] != "unchanged" for e in entries)
    return {
        "seed_dir": str(seed_dir),
        "changed": changed,
        "message": "loaded: "
        + ", ".join(f"{e['framework']} {e['version']} ({e['status']})" for e in entries)
        if changed
        else "nothing to do: every framework of the seed is already loaded",
        "frameworks": entries,
    }
