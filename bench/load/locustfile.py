"""The load suite's virtual users (Locust). Run through ``python -m bench.load`` (``make load``),
which starts the server, loads demo data and writes ``LOAD_USERS_FILE``: the people to play,
their tokens and the HRIS key.

The mix, by weight: employees (their dashboard through a persisted GraphQL query, ``/me``, the
assessment form, rating in batches and submitting, plan validation and saves), supervisors (the
review queue in GraphQL, the plan queue, reviewing their reports' submitted assessments),
framework readers (REST and CASE), an HRIS (bulk people re-syncs with an Idempotency-Key), and
an e-learning provider's LMS (batches of xAPI statements, each with its own id, now and then the
same batch again as after a lost answer, and reads by agent).
Every answer other than the expected status counts as a failure.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import threading
import uuid
from typing import Any

from locust import HttpUser, between, task

from bench.load import statements

with open(os.environ["LOAD_USERS_FILE"], encoding="utf-8") as _f:
    PLAN: dict[str, Any] = json.load(_f)

YEAR: int = PLAN["fiscal_year"]
_lock = threading.Lock()
_employees = itertools.cycle(PLAN["employees"])
_supervisors = itertools.cycle(PLAN["supervisors"] or PLAN["employees"])
_batches = itertools.cycle(PLAN["hris_batches"])

DASHBOARD = """query Dashboard($year: Int!) { myDashboard(fiscalYear: $year) {
  personId nameTh fiscalYear stage groups presentProfiles futureProfiles
  latestAssessment { id status version } assessmentInProgress { id status version }
  readiness { target overall { met required ratio } byComponent { key met required ratio } }
  topGaps { requirement { code title { th } } itemsNotMet }
  pendingReviews { assessment { id personId status } personNameTh }
  currentPlan { plan { id state inForce etag items { id topic } } progress { plannedHours } }
} }"""
QUEUE = "{ assessmentsAwaitingMe { assessment { id personId status } personNameTh } }"


def _persisted(query: str) -> dict[str, Any]:
    digest = hashlib.sha256(query.encode()).hexdigest()
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def _codes(form: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for section in form["sections"]:
        out.extend(i["code"] for i in section["items"])
        for domain in section["domains"]:
            for unit in domain["units"]:
                out.extend([unit["item"]["code"]] if unit["item"] else [])
                out.extend(c["code"] for e in unit["elements"] for c in e["criteria"])
    return out


class Portal(HttpUser):
    abstract = True
    # a person reads a page, fills in part of a form: seconds between two clicks
    wait_time = between(5, 15)
    headers: dict[str, str]

    def gql(self, query: str, name: str, **variables: Any) -> dict[str, Any]:
        """A persisted query, registered on first use (as Apollo clients do)."""
        body = {"extensions": _persisted(query), "variables": variables}
        with self.client.post(
            "/graphql", json=body, headers=self.headers, name=f"graphql {name}", catch_response=True
        ) as r:
            answer = r.json() if r.status_code == 200 else {}
            codes = [e["extensions"]["code"] for e in answer.get("errors", [])]
            if codes == ["PERSISTED_QUERY_NOT_FOUND"]:
                r.success()
                with self.client.post(
                    "/graphql",
                    json={**body, "query": query},
                    headers=self.headers,
                    name=f"graphql {name} (register)",
                    catch_response=True,
                ) as again:
                    answer = again.json() if again.status_code == 200 else {}
                    if again.status_code != 200 or "errors" in answer:
                        again.failure(f"{again.status_code} {again.text[:300]}")
                    return answer.get("data") or {}
            if r.status_code != 200 or codes:
                r.failure(f"{r.status_code} {r.text[:300]}")
            return answer.get("data") or {}


class Employee(Portal):
    """A civil servant: their page, their self-assessment, their development plan."""

    weight = 12

    def on_start(self) -> None:
        with _lock:
            me = next(_employees)
        self.me = me
        self.headers = {"Authorization": f"Bearer {me['token']}"}
        self.base = f"/api/v1/people/{me['person_id']}"
        r = self.client.post(
            f"{self.base}/assessments",
            json={"fiscal_year": YEAR, "kind": "baseline"},
            headers=self.headers,
            name="POST assessments (open)",
        )
        a = r.json()
        self.assessment = f"{self.base}/assessments/{a['id']}"
        self.assessment_id = a["id"]
        self.submitted = a["status"] != "draft"
        form = self.client.get(f"{self.assessment}/form", headers=self.headers, name="GET form")
        self.codes = _codes(form.json())
        self.rated = 0
        self.plan_url: str | None = None
        self.etag: str | None = None

    @task(5)
    def dashboard(self) -> None:
        self.gql(DASHBOARD, "myDashboard", year=YEAR)

    @task(2)
    def me_rest(self) -> None:
        self.client.get("/api/v1/me", headers=self.headers, name="GET /me")

    @task(2)
    def form(self) -> None:
        self.client.get(f"{self.assessment}/form", headers=self.headers, name="GET form")

    @task(4)
    def rate(self) -> None:
        if self.submitted:
            self.client.get(f"{self.assessment}/results", headers=self.headers, name="GET results")
            return
        batch = self.codes[self.rated : self.rated + 10]
        if not batch:
            self.client.post(f"{self.assessment}/submit", headers=self.headers, name="POST submit")
            self.submitted = True
            return
        ratings = [{"code": c, "value": random.choice(("has", "has", "has_not"))} for c in batch]
        self.client.patch(
            f"{self.assessment}/ratings",
            json={"ratings": ratings},
            headers=self.headers,
            name="PATCH ratings",
        )
        self.rated += len(batch)

    def _items(self) -> list[dict[str, Any]]:
        picked = self.codes[:3] or ["DLit100"]
        return [
            {
                "priority": n + 1,
                "framework_items": [code],
                "reason": "gap",
                "topic": f"หัวข้อการพัฒนา {n + 1}",
                "activities": [
                    {"method": "on_the_job_training", "planned_hours": 28},
                    {"method": "coaching", "planned_hours": 8},
                    {"method": "classroom_training", "planned_hours": 4, "lecture_share": 50},
                ],
                "application": "งานบริการข้อมูลของกอง",
                "period": {"quarters": [1, 2]},
                "evaluation_methods": ["self", "supervisor"],
            }
            for n, code in enumerate(picked)
        ]

    @task(2)
    def validate_plan(self) -> None:
        self.client.post(
            f"{self.base}/plans/validate",
            json={"fiscal_year": YEAR, "items": self._items()},
            headers=self.headers,
            name="POST plans/validate",
        )

    @task(1)
    def save_plan(self) -> None:
        if self.plan_url is None:
            r = self.client.post(
                f"{self.base}/plans",
                json={
                    "fiscal_year": YEAR,
                    "baseline_assessment_id": self.assessment_id,
                    "items": self._items(),
                },
                headers=self.headers,
                name="POST plans (create)",
            )
            if r.status_code == 201:
                self.plan_url = f"{self.base}/plans/{r.json()['id']}"
                self.etag = r.headers.get("etag")
            return
        items = self._items()
        items[0]["topic"] = f"หัวข้อการพัฒนา {random.randint(1, 99)}"
        r = self.client.put(
            self.plan_url,
            json={"items": items},
            headers={**self.headers, "If-Match": self.etag or "*"},
            name="PUT plan (save)",
        )
        if r.status_code == 200:
            self.etag = r.headers.get("etag")


class Supervisor(Portal):
    """A first-line supervisor: the queues, and reviews of their reports' assessments."""

    weight = 3

    def on_start(self) -> None:
        with _lock:
            me = next(_supervisors)
        self.headers = {"Authorization": f"Bearer {me['token']}"}

    @task(3)
    def review_queue(self) -> None:
        queue = self.gql(QUEUE, "assessmentsAwaitingMe").get("assessmentsAwaitingMe") or []
        if not queue:
            return
        entry = random.choice(queue)["assessment"]
        url = f"/api/v1/people/{entry['personId']}/assessments/{entry['id']}"
        form = self.client.get(f"{url}/form", headers=self.headers, name="GET form (review)")
        codes = _codes(form.json())[:10]
        self.client.post(
            f"{url}/review",
            json={"ratings": [{"code": c, "value": "has"} for c in codes]},
            headers=self.headers,
            name="POST review",
        )

    @task(2)
    def plan_queue(self) -> None:
        self.client.get("/api/v1/me/plan-queue", headers=self.headers, name="GET plan-queue")

    @task(1)
    def dashboard(self) -> None:
        self.gql(DASHBOARD, "myDashboard", year=YEAR)


class FrameworkReader(Portal):
    """A learning provider or an agency's portal reading the framework."""

    weight = 2

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Bearer {PLAN['reader_token']}"}

    @task
    def frameworks(self) -> None:
        self.client.get("/api/v1/frameworks", headers=self.headers, name="GET frameworks")

    @task
    def case_documents(self) -> None:
        self.client.get("/ims/case/v1p1/CFDocuments", headers=self.headers, name="GET CASE docs")

    @task
    def methods(self) -> None:
        self.client.get("/api/v1/planning/methods", headers=self.headers, name="GET methods")


class Hris(HttpUser):
    """An agency's HR system re-syncing its people (most unchanged, some edited)."""

    weight = 1
    fixed_count = 2
    wait_time = between(10, 20)

    @task
    def sync(self) -> None:
        with _lock:
            source, records = next(_batches)
        edited = [
            {**r, "position_level": random.choice(("ปฏิบัติการ", "ชำนาญการ"))}
            if random.random() < 0.1
            else r
            for r in records
        ]
        self.client.post(
            f"/api/v1/people/bulk?source={source}",
            json=edited,
            headers={"X-API-Key": PLAN["hris_key"], "Idempotency-Key": str(uuid.uuid4())},
            name="POST people/bulk",
        )


class XapiUser(HttpUser):
    """An e-learning provider's LMS (the OCSC learning portal, a national key) sending what the
    demo people learn as batches of xAPI statements (HTTP Basic, the version header), each
    statement with its own id; now and then it sends the last batch again, as after an answer
    lost on the way (the LRS stores each id once and answers the same ids), and reads a
    person's statements by agent."""

    weight = 1
    fixed_count = 2
    wait_time = between(10, 20)

    def on_start(self) -> None:
        self.headers = PLAN["xapi_headers"]
        self.last: list[dict[str, Any]] = []

    def _post(self, batch: list[dict[str, Any]], name: str) -> None:
        with self.client.post(
            "/xapi/statements", json=batch, headers=self.headers, name=name, catch_response=True
        ) as r:
            if r.status_code != 200 or r.json() != [s["id"] for s in batch]:
                r.failure(f"{r.status_code} {r.text[:300]}")

    @task(6)
    def send(self) -> None:
        actors, activities = PLAN["xapi_actors"], PLAN["xapi_activities"]
        self.last = statements.batch(actors, activities, random.randint(50, 100))
        self._post(self.last, "POST xapi statements")

    @task(1)
    def send_again(self) -> None:
        if self.last:
            self._post(self.last, "POST xapi statements (resent)")

    @task(2)
    def by_agent(self) -> None:
        agent = json.dumps({"mbox": f"mailto:{random.choice(PLAN['xapi_actors'])}"})
        self.client.get(
            "/xapi/statements",
            params={"agent": agent, "limit": 50},
            headers=self.headers,
            name="GET xapi statements by agent",
        )
