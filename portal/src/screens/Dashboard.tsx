import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { request } from "../api";
import { useSession } from "../App";
import { graphql } from "../gql";
import type { MyDashboardQuery } from "../gql/graphql";
import { useQuery } from "../hooks";
import { localized, useI18n } from "../i18n";
import { formatDate, formatDateTime, hours } from "../format";
import { BarChart, ErrorBox, Screen, Status, useProfileLabels } from "../ui";

// One round trip: the dashboard, and the names of the skill sets its readiness is counted in.
const MyDashboardDocument = graphql(`
  query MyDashboard {
    myDashboard(topGaps: 5) {
      personId
      nameTh
      fiscalYear
      stage
      groups
      presentProfiles
      futureProfiles
      latestAssessment {
        id
        fiscalYear
        kind
        status
        finalizedAt
      }
      assessmentInProgress {
        id
        status
        itemCount
      }
      readiness {
        target
        overall {
          met
          required
          ratio
        }
        byDomain {
          key
          met
          required
          ratio
        }
      }
      topGaps {
        requirement {
          code
          component
          domain
          title {
            th
            en
          }
        }
        itemsNotMet
        unratedItems
      }
      pendingReviews {
        personNameTh
        assessment {
          id
          personId
          submittedAt
        }
      }
      currentPlan {
        plan {
          id
          personId
          revision
          state
          fiscalYear
        }
        progress {
          plannedHours
          actualHours
          buckets {
            bucket
            plannedHours
            actualHours
            plannedPercent
            actualPercent
          }
        }
      }
      learning {
        completions
        learningHours
        towardsPlan
      }
    }
    recommendedCourses {
      course {
        id
        provider
        code
        titleTh
        titleEn
        hours
        url
      }
      why {
        gap
        gapTitleTh
        item
        target
      }
    }
    myLearningRecords(first: 5) {
      items {
        statementId
        course
        courseTitle
        outcome
        hours
        on
        voided
      }
    }
    domains(framework: "ocsc") {
      code
      nameTh
      nameEn
    }
  }
`);

const OpenAssessmentDocument = graphql(`
  mutation OpenAssessment($personId: ID!, $fiscalYear: Int!) {
    openAssessment(personId: $personId, fiscalYear: $fiscalYear) {
      id
      personId
    }
  }
`);

const CreatePlanDocument = graphql(`
  mutation CreatePlan($personId: ID!, $fiscalYear: Int!, $baseline: String) {
    createPlan(personId: $personId, fiscalYear: $fiscalYear, items: [], baselineAssessmentId: $baseline) {
      id
      personId
    }
  }
`);

export function Dashboard() {
  const [loaded, reload] = useQuery(() => request(MyDashboardDocument), []);
  return (
    <Screen loaded={loaded} reload={reload}>
      {(data) => <DashboardView data={data} />}
    </Screen>
  );
}

type Data = MyDashboardQuery;

export function DashboardView({ data }: { data: Data }) {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const navigate = useNavigate();
  const label = useProfileLabels();
  const [error, setError] = useState<Error | null>(null);
  const d = data.myDashboard;
  const domainName = new Map(data.domains.map((x) => [x.code, lang === "en" ? x.nameEn ?? x.nameTh : x.nameTh]));
  if (!d.personId) {
    return (
      <section>
        <h1>{me.name ?? me.subject}</h1>
        <p>{t("notLinked")}</p>
      </section>
    );
  }
  const personId = d.personId;
  const inProgress = d.assessmentInProgress;
  const openAssessment = () =>
    request(OpenAssessmentDocument, { personId, fiscalYear: d.fiscalYear }).then(
      (a) => navigate(`/assessments/${a.openAssessment.personId}/${a.openAssessment.id}`),
      setError,
    );
  const baseline = d.latestAssessment?.id ?? inProgress?.id ?? null;
  const createPlan = () =>
    request(CreatePlanDocument, { personId, fiscalYear: d.fiscalYear, baseline }).then(
      (p) => navigate(`/plans/${p.createPlan.personId}/${p.createPlan.id}`),
      setError,
    );
  const plan = d.currentPlan;
  return (
    <>
      <h1>{d.nameTh ?? me.name}</h1>
      {error && <ErrorBox error={error} />}
      <div className="grid">
        <section className="card" aria-labelledby="profiles">
          <h2 id="profiles">
            {t("fiscalYear")} {d.fiscalYear}
          </h2>
          <dl className="facts">
            <dt>{t("stage")}</dt>
            <dd>{label.stage(d.stage)}</dd>
            <dt>{t("groups")}</dt>
            <dd>{d.groups.map(label.group).join(", ") || t("none")}</dd>
            <dt>{t("presentProfiles")}</dt>
            <dd>{d.presentProfiles.map(label.profile).join(", ") || t("none")}</dd>
            <dt>{t("futureProfiles")}</dt>
            <dd>{d.futureProfiles.map(label.profile).join(", ") || t("none")}</dd>
          </dl>
        </section>

        <section className="card" aria-labelledby="assessment">
          <h2 id="assessment">{t("myAssessment")}</h2>
          {d.latestAssessment && (
            <p>
              {t("assessmentLatest")}: <Status value={d.latestAssessment.status} />{" "}
              {formatDateTime(d.latestAssessment.finalizedAt, lang)}
            </p>
          )}
          {inProgress ? (
            <p>
              <Status value={inProgress.status} />{" "}
              <Link to={`/assessments/${personId}/${inProgress.id}`}>
                {inProgress.status === "draft" ? t("assessmentContinue") : t("assessmentView")}
              </Link>
            </p>
          ) : (
            !d.latestAssessment && (
              <button type="button" onClick={() => void openAssessment()}>
                {t("assessmentStart")}
              </button>
            )
          )}
        </section>
      </div>

      <section className="card" aria-labelledby="readiness">
        <h2 id="readiness">{t("readiness")}</h2>
        {d.readiness.length === 0 && <p className="muted">{t("readinessNone")}</p>}
        {d.readiness.map((r) => (
          <div key={r.target} className="readiness" data-testid={`readiness-${r.target}`}>
            <h3>
              {r.target === "present" ? t("present") : r.target === "future" ? t("future") : r.target} —{" "}
              {t("readinessOverall")} {Math.round(r.overall.ratio * 100)}%
            </h3>
            <BarChart
              title={`${t("chartOf")} ${t("readiness")} (${r.target === "present" ? t("present") : t("future")})`}
              bars={r.byDomain.map((b) => ({
                label: (b.key && domainName.get(b.key)) ?? b.key ?? "—",
                ratio: b.ratio,
                detail: `${b.met} ${t("of")} ${b.required}`,
              }))}
            />
          </div>
        ))}
      </section>

      <section className="card" aria-labelledby="gaps">
        <h2 id="gaps">{t("topGaps")}</h2>
        {d.topGaps.length === 0 ? (
          <p className="muted">{t("topGapsNone")}</p>
        ) : (
          <ol className="gaps">
            {d.topGaps.map((g) => (
              <li key={g.requirement.code}>
                <strong>{g.requirement.code}</strong> {localized(g.requirement.title, lang)}
                {g.itemsNotMet.length > 0 && (
                  <span className="muted">
                    {" "}
                    — {t("itemsNotMet")}: {g.itemsNotMet.join(", ")}
                  </span>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="card" aria-labelledby="plan">
        <h2 id="plan">{t("myPlan")}</h2>
        {plan ? (
          <>
            <p>
              {t("revision")} {plan.plan.revision} · <Status value={plan.plan.state} />{" "}
              <Link to={`/plans/${plan.plan.personId}/${plan.plan.id}`}>{t("planOpen")}</Link>
            </p>
            <h3>{t("planProgress")}</h3>
            <p>
              {t("actualHours")} {hours(plan.progress.actualHours)} / {t("plannedHours")}{" "}
              {hours(plan.progress.plannedHours)}
            </p>
            <BarChart
              title={`${t("chartOf")} ${t("planProgress")}`}
              bars={plan.progress.buckets.map((b) => ({
                label: `${b.bucket}`,
                ratio: b.plannedHours > 0 ? b.actualHours / b.plannedHours : 0,
                detail: `${hours(b.actualHours)} / ${hours(b.plannedHours)} ${t("hoursLabel")}`,
              }))}
            />
          </>
        ) : (
          <>
            <p className="muted">{t("planNone")}</p>
            <button type="button" onClick={() => void createPlan()}>
              {t("planCreate")}
            </button>
          </>
        )}
      </section>

      <div className="grid">
        <RecommendedPanel courses={data.recommendedCourses} />
        <LearningPanel summary={d.learning} records={data.myLearningRecords.items} />
      </div>

      {d.pendingReviews.length > 0 && (
        <section className="card" aria-labelledby="reviews">
          <h2 id="reviews">{t("pendingReviews")}</h2>
          <ul>
            {d.pendingReviews.map((q) => (
              <li key={q.assessment.id}>
                <Link to={`/reviews/${q.assessment.personId}/${q.assessment.id}`}>
                  {t("review")}: {q.personNameTh}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

export function RecommendedPanel({ courses }: { courses: Data["recommendedCourses"] }) {
  const { t, lang } = useI18n();
  return (
    <section className="card" aria-labelledby="recommended" data-testid="recommended">
      <h2 id="recommended">{t("recommended")}</h2>
      {courses.length === 0 ? (
        <p className="muted">{t("recommendedNone")}</p>
      ) : (
        <ul className="courses">
          {courses.map(({ course, why }) => {
            const title = lang === "en" && course.titleEn ? course.titleEn : course.titleTh;
            return (
              <li key={course.id}>
                <strong>{course.url ? <a href={course.url}>{title}</a> : title}</strong>
                <br />
                <span className="muted">
                  {t("provider")}: {course.provider}
                  {course.hours != null && ` · ${hours(course.hours)} ${t("hoursLabel")}`}
                </span>
                {why.length > 0 && (
                  <p>
                    {t("recommendedWhy")}:{" "}
                    {why.map((w) => `${w.gap} ${w.gapTitleTh}${w.item !== w.gap ? ` (${w.item})` : ""}`).join("; ")}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function LearningPanel({
  summary,
  records,
}: {
  summary: Data["myDashboard"]["learning"];
  records: Data["myLearningRecords"]["items"];
}) {
  const { t, lang } = useI18n();
  return (
    <section className="card" aria-labelledby="my-learning" data-testid="my-learning">
      <h2 id="my-learning">{t("myLearning")}</h2>
      <dl className="facts">
        <dt>{t("completions")}</dt>
        <dd>{summary.completions}</dd>
        <dt>{t("learningHours")}</dt>
        <dd>{hours(summary.learningHours)}</dd>
        <dt>{t("towardsPlan")}</dt>
        <dd>{summary.towardsPlan}</dd>
      </dl>
      {records.length === 0 ? (
        <p className="muted">{t("learningNone")}</p>
      ) : (
        <>
          <h3>{t("learningRecent")}</h3>
          <ul>
            {records.map((r) => (
              <li key={r.statementId}>
                {r.voided ? <s>{r.courseTitle ?? r.course ?? "—"}</s> : (r.courseTitle ?? r.course ?? "—")}{" "}
                <span className="muted">
                  · <Status value={r.outcome} /> · {formatDate(r.on, lang)}
                  {r.voided && ` · ${t("voided")}`}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
