"""xAPI statements as an e-learning provider's LMS sends them (docs/xapi.md), for the load suite
(``XapiUser`` in ``locustfile.py``) and the fault suite (``tests/faults``).

Providers register the activity ids of their courses in the catalogue (``activity_ids``, docs/
learning.md); the seed's catalogue has none, so ``register_activity_ids`` gives a few national
courses the ids an LMS would use for them. A batch's statements each carry their own id (so the
provider can send the same batch again after a failure: the LRS stores each id once), are about
the people given by e-mail (``mbox``, matched to people by their e-mail address), and are mostly
progress on lessons, with about one in ten a completion or a pass of a catalogue course.
"""

from __future__ import annotations

import base64
import random
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

VERSION = {"X-Experience-API-Version": "1.0.3"}
SCOPES = ["statements:write", "statements:read"]
LMS = "https://learn.ocsc.go.th"
ADL = "http://adlnet.gov/expapi/verbs/"
# (verb, Thai display, share): what an LMS sends most is progress; few completions
PROGRESS = [(f"{ADL}launched", "เริ่มเรียน"), (f"{ADL}progressed", "เรียนต่อ")]
PROGRESS += [(f"{ADL}experienced", "ดูเนื้อหา"), (f"{ADL}answered", "ตอบคำถาม")]
DONE = [(f"{ADL}completed", "สำเร็จ"), (f"{ADL}passed", "ผ่าน")]
RECORDED = frozenset(verb for verb, _ in DONE)


def basic(api_key: str) -> dict[str, str]:
    """HTTP Basic credentials of an integration client (key id ``thk_<prefix>`` and secret), as
    xAPI clients authenticate, with the version header every request needs."""
    prefix, secret = api_key.removeprefix("thk_").split("_", 1)
    token = base64.b64encode(f"thk_{prefix}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}", **VERSION}


async def register_activity_ids(
    client: httpx.AsyncClient, admin: dict[str, str], count: int = 20
) -> list[str]:
    """Give up to ``count`` courses of the national provider ``ocsc`` an xAPI activity id
    (``{LMS}/course/<code>``) through the provider's bulk upsert; answers the ids (none when the
    catalogue is not loaded)."""
    listed = await client.get(
        "/api/v1/courses", params={"provider": "ocsc", "limit": count}, headers=admin
    )
    if listed.status_code != 200 or not listed.json()["items"]:
        return []
    kept = (
        *("code", "title_th", "title_en", "scope_th", "hours", "delivery_mode", "language"),
        *("url", "framework", "items", "groups", "methods", "source", "active"),
    )
    records = [
        {**{k: c[k] for k in kept}, "activity_ids": [f"{LMS}/course/{c['code']}"]}
        for c in listed.json()["items"]
    ]
    answer = await client.post(
        "/api/v1/course-providers/ocsc/courses/bulk", json=records, headers=admin
    )
    answer.raise_for_status()
    refused = [r for r in answer.json()["results"] if r.get("errors")]
    if refused:
        raise RuntimeError(f"activity ids refused: {refused[:3]}")
    return [r["activity_ids"][0] for r in records]


def batch(
    actors: list[str], courses: list[str], size: int, rng: random.Random | None = None
) -> list[dict[str, Any]]:
    """``size`` statements, each with its own id, about people picked from ``actors``
    (e-mail addresses): about one in ten completes or passes one of ``courses`` (activity
    ids), the others are progress on a lesson of one."""
    rng = rng or random.Random()
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    out = []
    for _ in range(size):
        email = rng.choice(actors)
        course = rng.choice(courses) if courses else f"{LMS}/course/unlisted-{rng.randrange(50)}"
        done = rng.random() < 0.1
        verb, display = rng.choice(DONE if done else PROGRESS)
        kind = "course" if done else "module"
        statement: dict[str, Any] = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "actor": {"objectType": "Agent", "mbox": f"mailto:{email}"},
            "verb": {"id": verb, "display": {"th": display}},
            "object": {
                "objectType": "Activity",
                "id": course if done else f"{course}/lesson/{rng.randrange(1, 13)}",
                "definition": {"type": f"http://adlnet.gov/expapi/activities/{kind}"},
            },
            "timestamp": now,
        }
        if done:
            statement["result"] = {"completion": True, "success": True, "duration": "PT2H"}
        else:
            statement["context"] = {"contextActivities": {"parent": [{"id": course}]}}
        out.append(statement)
    return out
