import { useState } from "react";
import { request } from "../api";
import { graphql } from "../gql";
import type { GroupsScreenQuery, StaffGroup } from "../gql/graphql";
import { useQuery } from "../hooks";
import { useI18n, type MessageKey } from "../i18n";
import { fiscalYearBE } from "../format";
import { ErrorBox, Screen, Status } from "../ui";

// The people the officer reaches (their line), each with this year's assignment, and the
// assignments awaiting the officer's own approval: one round trip.
const GroupsScreenDocument = graphql(`
  query GroupsScreen($fiscalYear: Int!) {
    groupAssignmentsAwaitingMe {
      id
      personId
      fiscalYear
      state
      awaiting
      groups {
        group
        scope
      }
    }
    myReports(direct: false) {
      id
      firstNameTh
      lastNameTh
      positionTitle
      agencyCode
      groupAssignments(fiscalYear: $fiscalYear) {
        id
        state
        awaiting
        groups {
          group
          scope
        }
      }
    }
  }
`);

const ProposeDocument = graphql(`
  mutation ProposeGroups($personId: ID!, $fiscalYear: Int!, $groups: [GroupShareInput!]!) {
    proposeGroupAssignment(personId: $personId, fiscalYear: $fiscalYear, groups: $groups) {
      id
      state
      awaiting
    }
  }
`);

const APPROVE = graphql(`
  mutation ApproveFromGroups($id: ID!) {
    approveGroupAssignment(id: $id) {
      id
      state
    }
  }
`);

export const GROUPS: StaffGroup[] = ["EXECUTIVE", "MANAGEMENT", "ACADEMIC", "SERVICE", "TECHNOLOGIST", "OTHERS"];

export function GroupsScreen() {
  const fiscalYear = fiscalYearBE();
  const [loaded, reload] = useQuery(() => request(GroupsScreenDocument, { fiscalYear }), []);
  return (
    <Screen loaded={loaded} reload={reload}>
      {(data) => <GroupsView data={data} fiscalYear={fiscalYear} reload={reload} />}
    </Screen>
  );
}

export function GroupsView({ data, fiscalYear, reload }: { data: GroupsScreenQuery; fiscalYear: number; reload: () => void }) {
  const { t } = useI18n();
  const [choice, setChoice] = useState<Record<string, StaffGroup>>({});
  const [error, setError] = useState<Error | null>(null);
  const names = new Map(data.myReports.map((p) => [p.id, `${p.firstNameTh ?? ""} ${p.lastNameTh ?? ""}`.trim()]));
  const groupName = (g: StaffGroup) => t(`group${g}` as MessageKey);
  const act = (work: Promise<unknown>) => work.then(() => { setError(null); reload(); }, setError);
  return (
    <>
      <h1>{t("groupsTitle")}</h1>
      <p className="muted">
        {t("fiscalYear")} {fiscalYear}
      </p>
      {error && <ErrorBox error={error} />}
      <section className="card" aria-labelledby="g-awaiting">
        <h2 id="g-awaiting">{t("groupsAwaiting")}</h2>
        {data.groupAssignmentsAwaitingMe.length === 0 ? (
          <p className="muted">{t("queueEmpty")}</p>
        ) : (
          <ul>
            {data.groupAssignmentsAwaitingMe.map((g) => (
              <li key={g.id}>
                {names.get(g.personId) ?? g.personId} · {g.groups.map((x) => groupName(x.group)).join(", ")}{" "}
                <button type="button" onClick={() => void act(request(APPROVE, { id: g.id }))}>
                  {t("approve")}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="g-people">
        <h2 id="g-people">{t("groupsPeople")}</h2>
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t("groupsPeople")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("person")}</th>
                <th scope="col">{t("position")}</th>
                <th scope="col">{t("groupState")}</th>
                <th scope="col">{t("propose")}</th>
              </tr>
            </thead>
            <tbody>
              {data.myReports.slice(0, 200).map((p) => {
                const current = p.groupAssignments[0];
                const name = names.get(p.id) ?? p.id;
                return (
                  <tr key={p.id}>
                    <td>{name}</td>
                    <td>{p.positionTitle ?? ""}</td>
                    <td>
                      {current ? (
                        <>
                          {current.groups.map((x) => groupName(x.group)).join(", ")} <Status value={current.state} />
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td>
                      <label className="visually-hidden" htmlFor={`g-${p.id}`}>
                        {t("groups")} {name}
                      </label>
                      <select
                        id={`g-${p.id}`}
                        value={choice[p.id] ?? current?.groups[0]?.group ?? "OTHERS"}
                        onChange={(e) => setChoice((c) => ({ ...c, [p.id]: e.target.value as StaffGroup }))}
                      >
                        {GROUPS.map((g) => (
                          <option key={g} value={g}>
                            {groupName(g)}
                          </option>
                        ))}
                      </select>{" "}
                      <button
                        type="button"
                        className="secondary small"
                        onClick={() =>
                          void act(
                            request(ProposeDocument, {
                              personId: p.id,
                              fiscalYear,
                              groups: [{ group: choice[p.id] ?? current?.groups[0]?.group ?? "OTHERS", scope: "WHOLE" }],
                            }),
                          )
                        }
                      >
                        {t("propose")} <span className="visually-hidden">{name}</span>
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
