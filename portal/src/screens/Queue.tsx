import { useState } from "react";
import { Link } from "react-router-dom";
import { request } from "../api";
import { graphql } from "../gql";
import type { QueueQuery } from "../gql/graphql";
import { useQuery } from "../hooks";
import { useI18n, type MessageKey } from "../i18n";
import { formatDateTime } from "../format";
import { ErrorBox, Screen, Status } from "../ui";

// Everything awaiting the caller, in one round trip.
const QueueDocument = graphql(`
  query Queue {
    assessmentsAwaitingMe {
      personNameTh
      assessment {
        id
        personId
        fiscalYear
        status
        submittedAt
      }
    }
    planQueue {
      personId
      planId
      fiscalYear
      revision
      personName
      state
      awaiting
    }
    groupAssignmentsAwaitingMe {
      ...AssignmentFields
    }
  }
  fragment AssignmentFields on StaffGroupAssignment {
    id
    personId
    fiscalYear
    state
    awaiting
    note
    proposedBy
    proposedAt
    groups {
      group
      scope
      items
    }
  }
`);

const ApproveDocument = graphql(`
  mutation ApproveGroups($id: ID!) {
    approveGroupAssignment(id: $id) {
      ...AssignmentFields
    }
  }
`);

const RejectDocument = graphql(`
  mutation RejectGroups($id: ID!, $note: String) {
    rejectGroupAssignment(id: $id, note: $note) {
      ...AssignmentFields
    }
  }
`);

export function QueueScreen() {
  const [loaded, reload] = useQuery(() => request(QueueDocument), []);
  return (
    <Screen loaded={loaded} reload={reload}>
      {(data) => <QueueView data={data} reload={reload} />}
    </Screen>
  );
}

const AWAITING: Record<string, MessageKey> = {
  acknowledge: "acknowledge",
  evaluate: "evaluationTitle",
  acknowledge_evaluation: "acknowledgeEvaluation",
};

export function QueueView({ data, reload }: { data: QueueQuery; reload: () => void }) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<Error | null>(null);
  const decide = (work: Promise<unknown>) => work.then(reload, setError);
  return (
    <>
      <h1>{t("queueTitle")}</h1>
      {error && <ErrorBox error={error} />}
      <section className="card" aria-labelledby="q-assessments">
        <h2 id="q-assessments">{t("queueAssessments")}</h2>
        {data.assessmentsAwaitingMe.length === 0 ? (
          <p className="muted">{t("queueEmpty")}</p>
        ) : (
          <table>
            <caption className="visually-hidden">{t("queueAssessments")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("person")}</th>
                <th scope="col">{t("fiscalYear")}</th>
                <th scope="col">{t("statusSubmitted")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("review")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.assessmentsAwaitingMe.map((q) => (
                <tr key={q.assessment.id}>
                  <td>{q.personNameTh}</td>
                  <td>{q.assessment.fiscalYear}</td>
                  <td>{formatDateTime(q.assessment.submittedAt, lang)}</td>
                  <td>
                    <Link to={`/reviews/${q.assessment.personId}/${q.assessment.id}`}>
                      {t("review")} <span className="visually-hidden">{q.personNameTh}</span>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card" aria-labelledby="q-plans">
        <h2 id="q-plans">{t("queuePlans")}</h2>
        {data.planQueue.length === 0 ? (
          <p className="muted">{t("queueEmpty")}</p>
        ) : (
          <ul>
            {data.planQueue.map((p) => (
              <li key={`${p.planId}-${p.awaiting}`}>
                <Link to={`/plans/${p.personId}/${p.planId}`}>
                  {p.personName} · {t("fiscalYear")} {p.fiscalYear}
                </Link>{" "}
                <Status value={p.state} /> · {t("awaiting")}: {AWAITING[p.awaiting] ? t(AWAITING[p.awaiting]!) : p.awaiting}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="q-groups">
        <h2 id="q-groups">{t("queueGroups")}</h2>
        {data.groupAssignmentsAwaitingMe.length === 0 ? (
          <p className="muted">{t("queueEmpty")}</p>
        ) : (
          <ul>
            {data.groupAssignmentsAwaitingMe.map((g) => (
              <li key={g.id}>
                {g.groups.map((x) => t(`group${x.group}` as MessageKey)).join(", ")} · {t("fiscalYear")} {g.fiscalYear} ·{" "}
                {g.proposedBy}{" "}
                <button type="button" onClick={() => void decide(request(ApproveDocument, { id: g.id }))}>
                  {t("approve")}
                </button>{" "}
                <button type="button" className="secondary" onClick={() => void decide(request(RejectDocument, { id: g.id, note: null }))}>
                  {t("reject")}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
