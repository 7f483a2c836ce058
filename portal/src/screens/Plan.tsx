import { useMemo, useState, type ReactNode } from "react";
import { Link, useParams } from "react-router-dom";
import { ApiError, openPdf, request } from "../api";
import { graphql } from "../gql";
import type { PlanFieldsFragment, PlanScreenQuery } from "../gql/graphql";
import { useQuery } from "../hooks";
import { useI18n, type MessageKey } from "../i18n";
import { formatDateTime, hours } from "../format";
import { at, documentOf, emptyItem, mixOf, planWide, toDocument, type Activity, type Finding, type Item } from "../planning";
import { ErrorBox, Screen, Status } from "../ui";

const PlanScreenDocument = graphql(`
  query PlanScreen($personId: ID!, $planId: ID!) {
    plan(personId: $personId, planId: $planId) {
      ...PlanFields
    }
    planningMethods {
      code
      nameTh
      nameEn
      bucket
      hasLectureShare
    }
  }
  fragment PlanFields on Plan {
    id
    personId
    fiscalYear
    revision
    latestRevision
    state
    relation
    allowedActions
    etag
    idp1Url
    idp2Url
    personName
    position
    unit
    baselineAssessmentId
    submittedAt
    items {
      id
      priority
      frameworkItems
      reason
      reasonNote
      target
      topic
      courseRef
      application
      evaluationMethods
      period {
        quarters
        start
        end
      }
      activities {
        id
        method
        plannedHours
        lectureShare
        description
      }
    }
    ownerAck {
      by
      at
    }
    supervisorAck {
      by
      at
    }
    findings {
      rule
      severity
      pointer
      messageTh
      messageEn
    }
    evaluation {
      acknowledged
      items {
        itemId
        outcome
        nextStep
        narrative
        suggestions
      }
      ownerAck {
        by
        at
      }
      supervisorAck {
        by
        at
      }
    }
    evaluationFindings {
      rule
      severity
      pointer
      messageTh
      messageEn
    }
  }
`);

const UpdatePlanDocument = graphql(`
  mutation UpdatePlan($personId: ID!, $planId: ID!, $items: JSON!, $baseline: String, $ifMatch: String) {
    updatePlan(personId: $personId, planId: $planId, items: $items, baselineAssessmentId: $baseline, ifMatch: $ifMatch) {
      ...PlanFields
    }
  }
`);

const ValidatePlanDocument = graphql(`
  mutation ValidatePlan($personId: ID!, $planId: ID!, $items: JSON!, $baseline: String) {
    validatePlan(personId: $personId, planId: $planId, items: $items, baselineAssessmentId: $baseline) {
      rule
      severity
      pointer
      messageTh
      messageEn
    }
  }
`);

const SubmitPlanDocument = graphql(`
  mutation SubmitPlan($personId: ID!, $planId: ID!) {
    submitPlan(personId: $personId, planId: $planId) {
      ...PlanFields
    }
  }
`);

const AcknowledgePlanDocument = graphql(`
  mutation AcknowledgePlan($personId: ID!, $planId: ID!) {
    acknowledgePlan(personId: $personId, planId: $planId) {
      ...PlanFields
    }
  }
`);

const WithdrawPlanDocument = graphql(`
  mutation WithdrawPlan($personId: ID!, $planId: ID!) {
    withdrawPlan(personId: $personId, planId: $planId) {
      ...PlanFields
    }
  }
`);

const ReturnPlanDocument = graphql(`
  mutation ReturnPlan($personId: ID!, $planId: ID!) {
    returnPlan(personId: $personId, planId: $planId) {
      ...PlanFields
    }
  }
`);

const EvaluatePlanDocument = graphql(`
  mutation EvaluatePlan($personId: ID!, $planId: ID!, $rows: JSON!) {
    evaluatePlan(personId: $personId, planId: $planId, rows: $rows) {
      ...PlanFields
    }
  }
`);

const AcknowledgeEvaluationDocument = graphql(`
  mutation AcknowledgeEvaluation($personId: ID!, $planId: ID!) {
    acknowledgeEvaluation(personId: $personId, planId: $planId) {
      ...PlanFields
    }
  }
`);

type Methods = PlanScreenQuery["planningMethods"];

export function PlanScreen() {
  const { personId = "", planId = "" } = useParams();
  const [loaded, reload] = useQuery(() => request(PlanScreenDocument, { personId, planId }), [personId, planId]);
  return (
    <Screen loaded={loaded} reload={reload}>
      {(data) => <PlanEditor initial={data.plan} methods={data.planningMethods} />}
    </Screen>
  );
}

/** A field with the findings that point at it, announced with it (aria-describedby). */
function Field({
  id,
  label,
  findings,
  children,
}: {
  id: string;
  label: string;
  findings: Finding[];
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
}) {
  const { lang } = useI18n();
  const described = findings.length ? `${id}-findings` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(described, findings.some((f) => f.severity === "error"))}
      {findings.length > 0 && <FindingList id={described} findings={findings} lang={lang} />}
    </div>
  );
}

function FindingList({ id, findings, lang }: { id?: string; findings: Finding[]; lang: "th" | "en" }) {
  if (findings.length === 0) return null;
  return (
    <ul id={id} className="findings">
      {findings.map((f, n) => (
        <li key={`${f.rule}-${n}`} className={`finding ${f.severity}`} data-rule={f.rule}>
          <code>{f.rule}</code> {lang === "en" ? f.messageEn : f.messageTh}
        </li>
      ))}
    </ul>
  );
}

const REASONS: [Item["reason"], MessageKey][] = [
  ["gap", "reasonGap"],
  ["strength", "reasonStrength"],
  ["position_required", "reasonPosition"],
];
const EVALUATORS: [Item["evaluation_methods"][number], MessageKey][] = [
  ["self", "evalSelf"],
  ["supervisor", "evalSupervisor"],
  ["peer", "evalPeer"],
];

export function PlanEditor({ initial, methods }: { initial: PlanFieldsFragment; methods: Methods }) {
  const { t, lang } = useI18n();
  const [plan, setPlan] = useState(initial);
  const [items, setItems] = useState<Item[]>(() => documentOf(initial));
  const [error, setError] = useState<Error | null>(null);
  const [notice, setNotice] = useState("");
  const can = (action: string) => plan.allowedActions.includes(action);
  const editable = can("edit");
  const bucketOf = useMemo(() => new Map(methods.map((m) => [m.code, m.bucket])), [methods]);
  const lectureMethods = useMemo(() => new Set(methods.filter((m) => m.hasLectureShare).map((m) => m.code)), [methods]);
  const { total, mix } = mixOf(items, bucketOf);
  const findings: Finding[] = plan.findings ?? [];
  const shown = new Set<string>();
  const f = (pointer: string) => {
    shown.add(pointer);
    return at(findings, pointer);
  };

  const run = async (work: () => Promise<PlanFieldsFragment>, done: MessageKey, keepItems = false) => {
    setError(null);
    try {
      const next = await work();
      setPlan(next);
      if (!keepItems) setItems(documentOf(next));
      setNotice(t(done));
    } catch (e) {
      setError(e as Error);
      if (e instanceof ApiError && e.problems.length) {
        setPlan((p) => ({
          ...p,
          findings: e.problems.map((x) => ({ rule: x.rule, severity: "error", pointer: x.pointer, messageTh: x.message, messageEn: x.message })),
        }));
      }
    }
  };
  const ids = { personId: plan.personId, planId: plan.id };
  const save = () =>
    request(UpdatePlanDocument, { ...ids, items: toDocument(items), baseline: plan.baselineAssessmentId ?? null, ifMatch: plan.etag }).then(
      (r) => r.updatePlan,
    );
  const setItem = (i: number, change: Partial<Item>) =>
    setItems((list) => list.map((item, n) => (n === i ? { ...item, ...change } : item)));
  const setActivity = (i: number, j: number, change: Partial<Activity>) =>
    setItems((list) =>
      list.map((item, n) =>
        n === i ? { ...item, activities: item.activities.map((a, m) => (m === j ? { ...a, ...change } : a)) } : item,
      ),
    );
  const firstMethod = methods[0]?.code ?? "";
  const methodName = (code: string) => {
    const m = methods.find((x) => x.code === code);
    return m ? `${lang === "en" ? m.nameEn : m.nameTh} (${m.bucket})` : code;
  };

  const editor = items.map((item, i) => {
    const base = `/items/${i}`;
    const quarters = item.period && "quarters" in item.period ? item.period.quarters : [];
    return (
      <section key={item.id ?? `new-${i}`} className="card plan-item" aria-labelledby={`item-${i}-title`}>
        <h3 id={`item-${i}-title`}>
          {t("planItem")} {i + 1}
        </h3>
        <FindingList findings={f(base)} lang={lang} />
        <div className="fields">
          <Field id={`i${i}-priority`} label={t("priority")} findings={f(`${base}/priority`)}>
            {(d, bad) => (
              <input id={`i${i}-priority`} type="number" min={1} value={item.priority} disabled={!editable}
                aria-describedby={d} aria-invalid={bad}
                onChange={(e) => setItem(i, { priority: Number(e.target.value) })} />
            )}
          </Field>
          <Field id={`i${i}-codes`} label={t("frameworkItems")} findings={[...f(`${base}/framework_items`), ...item.framework_items.flatMap((_, k) => f(`${base}/framework_items/${k}`))]}>
            {(d, bad) => (
              <input id={`i${i}-codes`} type="text" value={item.framework_items.join(", ")} disabled={!editable}
                aria-describedby={d} aria-invalid={bad}
                onChange={(e) => setItem(i, { framework_items: e.target.value.split(/[,\s]+/).filter(Boolean) })} />
            )}
          </Field>
          <Field id={`i${i}-reason`} label={t("reason")} findings={f(`${base}/reason`)}>
            {(d) => (
              <select id={`i${i}-reason`} value={item.reason} disabled={!editable} aria-describedby={d}
                onChange={(e) => setItem(i, { reason: e.target.value as Item["reason"] })}>
                {REASONS.map(([v, k]) => <option key={v} value={v}>{t(k)}</option>)}
              </select>
            )}
          </Field>
          <Field id={`i${i}-reason-note`} label={t("reasonNote")} findings={f(`${base}/reason_note`)}>
            {(d, bad) => (
              <input id={`i${i}-reason-note`} type="text" value={item.reason_note} disabled={!editable}
                aria-describedby={d} aria-invalid={bad} onChange={(e) => setItem(i, { reason_note: e.target.value })} />
            )}
          </Field>
          <Field id={`i${i}-target`} label={t("target")} findings={f(`${base}/target`)}>
            {(d) => (
              <select id={`i${i}-target`} value={item.target} disabled={!editable} aria-describedby={d}
                onChange={(e) => setItem(i, { target: e.target.value as Item["target"] })}>
                <option value="present">{t("present")}</option>
                <option value="future">{t("future")}</option>
              </select>
            )}
          </Field>
          <Field id={`i${i}-topic`} label={t("topic")} findings={f(`${base}/topic`)}>
            {(d, bad) => (
              <input id={`i${i}-topic`} type="text" value={item.topic} disabled={!editable}
                aria-describedby={d} aria-invalid={bad} onChange={(e) => setItem(i, { topic: e.target.value })} />
            )}
          </Field>
          <Field id={`i${i}-application`} label={t("application")} findings={f(`${base}/application`)}>
            {(d, bad) => (
              <input id={`i${i}-application`} type="text" value={item.application} disabled={!editable}
                aria-describedby={d} aria-invalid={bad} onChange={(e) => setItem(i, { application: e.target.value })} />
            )}
          </Field>
        </div>
        <fieldset className="inline" disabled={!editable}>
          <legend>{t("period")}</legend>
          {[1, 2, 3, 4].map((q) => (
            <label key={q}>
              <input type="checkbox" checked={quarters.includes(q)}
                onChange={(e) => setItem(i, { period: { quarters: e.target.checked ? [...quarters, q].sort() : quarters.filter((x) => x !== q) } })} />
              {t("quarter")}{q}
            </label>
          ))}
          <FindingList findings={f(`${base}/period`)} lang={lang} />
        </fieldset>
        <fieldset className="inline" disabled={!editable}>
          <legend>{t("evaluationMethods")}</legend>
          {EVALUATORS.map(([v, k]) => (
            <label key={v}>
              <input type="checkbox" checked={item.evaluation_methods.includes(v)}
                onChange={(e) => setItem(i, { evaluation_methods: e.target.checked ? [...item.evaluation_methods, v] : item.evaluation_methods.filter((x) => x !== v) })} />
              {t(k)}
            </label>
          ))}
          <FindingList findings={f(`${base}/evaluation_methods`)} lang={lang} />
        </fieldset>
        <h4>{t("activities")}</h4>
        <FindingList findings={f(`${base}/activities`)} lang={lang} />
        <ul className="activities">
          {item.activities.map((a, j) => {
            const ab = `${base}/activities/${j}`;
            return (
              <li key={a.id ?? `new-${j}`} className="activity">
                <Field id={`i${i}a${j}-method`} label={t("method")} findings={f(`${ab}/method`)}>
                  {(d) => (
                    <select id={`i${i}a${j}-method`} value={a.method} disabled={!editable} aria-describedby={d}
                      onChange={(e) => setActivity(i, j, { method: e.target.value })}>
                      {methods.map((m) => <option key={m.code} value={m.code}>{methodName(m.code)}</option>)}
                    </select>
                  )}
                </Field>
                <Field id={`i${i}a${j}-hours`} label={t("hoursLabel")} findings={f(`${ab}/planned_hours`)}>
                  {(d, bad) => (
                    <input id={`i${i}a${j}-hours`} type="number" min={0} step="0.5" value={a.planned_hours} disabled={!editable}
                      aria-describedby={d} aria-invalid={bad}
                      onChange={(e) => setActivity(i, j, { planned_hours: Number(e.target.value) })} />
                  )}
                </Field>
                {(lectureMethods.has(a.method) || a.lecture_share !== null) && (
                  <Field id={`i${i}a${j}-lecture`} label={t("lectureShare")} findings={f(`${ab}/lecture_share`)}>
                    {(d, bad) => (
                      <input id={`i${i}a${j}-lecture`} type="number" min={0} max={100} value={a.lecture_share ?? ""} disabled={!editable}
                        aria-describedby={d} aria-invalid={bad}
                        onChange={(e) => setActivity(i, j, { lecture_share: e.target.value === "" ? null : Number(e.target.value) })} />
                    )}
                  </Field>
                )}
                <Field id={`i${i}a${j}-desc`} label={t("description")} findings={f(`${ab}/description`)}>
                  {(d) => (
                    <input id={`i${i}a${j}-desc`} type="text" value={a.description} disabled={!editable} aria-describedby={d}
                      onChange={(e) => setActivity(i, j, { description: e.target.value })} />
                  )}
                </Field>
                {editable && (
                  <button type="button" className="secondary small"
                    onClick={() => setItem(i, { activities: item.activities.filter((_, m) => m !== j) })}>
                    {t("removeActivity")}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
        {editable && (
          <div className="actions">
            <button type="button" className="secondary"
              onClick={() => setItem(i, { activities: [...item.activities, { method: firstMethod, planned_hours: 0, lecture_share: null, description: "" }] })}>
              {t("addActivity")}
            </button>
            <button type="button" className="secondary" onClick={() => setItems((list) => list.filter((_, n) => n !== i))}>
              {t("removeItem")}
            </button>
          </div>
        )}
      </section>
    );
  });
  const rest = planWide(findings, shown);

  return (
    <>
      <h1>
        {t("planTitle")} · {t("fiscalYear")} {plan.fiscalYear}
      </h1>
      <p>
        {plan.personName} · {plan.position} · {plan.unit} · {t("revision")} {plan.revision} ·{" "}
        <span data-testid="plan-state"><Status value={plan.state} /></span>
      </p>
      <dl className="facts">
        <dt>{t("ownerAck")}</dt>
        <dd data-testid="owner-ack">{plan.ownerAck ? `${t("signedBy")} ${plan.ownerAck.by} · ${formatDateTime(plan.ownerAck.at, lang)}` : t("notSigned")}</dd>
        <dt>{t("supervisorAck")}</dt>
        <dd data-testid="supervisor-ack">{plan.supervisorAck ? `${t("signedBy")} ${plan.supervisorAck.by} · ${formatDateTime(plan.supervisorAck.at, lang)}` : t("notSigned")}</dd>
      </dl>
      <PrintLinks idp1Url={plan.idp1Url} idp2Url={plan.idp2Url} onError={setError} />
      {error && <ErrorBox error={error} />}
      <p role="status" aria-live="polite" className="muted">{notice}</p>

      <section className="card mix" aria-labelledby="mix-title">
        <h2 id="mix-title">{t("mix")}</h2>
        <p>
          {t("totalHours")}: <strong data-testid="total-hours">{hours(total)}</strong>
        </p>
        <ul className="mix-bars" data-testid="mix">
          {mix.map((m) => (
            <li key={m.bucket} data-bucket={m.bucket}>
              <span className="chart-label">{m.bucket}</span>
              <span className="chart-track" aria-hidden="true">
                <span className="chart-fill" style={{ width: `${m.percent}%` }} />
                <span className="chart-target" style={{ left: `${m.target}%` }} />
              </span>
              <span className="chart-value">
                <span data-testid={`mix-${m.bucket}`}>{m.percent}%</span> ({hours(m.hours)} {t("hoursLabel")}) · {t("mixTarget")} {m.target}%
              </span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="findings-title" className="card">
        <h2 id="findings-title">{t("findings")}</h2>
        {findings.length === 0 ? <p className="muted" data-testid="no-findings">{t("findingsNone")}</p> : (
          <>
            <h3>{t("planWide")}</h3>
            <FindingList findings={rest} lang={lang} />
          </>
        )}
      </section>

      {editor}

      <div className="actions sticky">
        {editable && (
          <>
            <button type="button" className="secondary"
              onClick={() => setItems((list) => [...list, emptyItem(list.length + 1, firstMethod)])}>
              {t("addItem")}
            </button>
            <button type="button" className="secondary"
              onClick={() => void run(async () => {
                const found = await request(ValidatePlanDocument, { ...ids, items: toDocument(items), baseline: plan.baselineAssessmentId ?? null });
                return { ...plan, findings: found.validatePlan };
              }, "checked", true)}>
              {t("check")}
            </button>
            <button type="button" onClick={() => void run(save, "saved")}>{t("saveDraft")}</button>
          </>
        )}
        {can("submit") && (
          <button type="button"
            onClick={() => void run(async () => {
              await save();
              return (await request(SubmitPlanDocument, ids)).submitPlan;
            }, "statusSubmitted")}>
            {t("submitPlan")}
          </button>
        )}
        {can("acknowledge") && (
          <button type="button" onClick={() => void run(async () => (await request(AcknowledgePlanDocument, ids)).acknowledgePlan, "statusAcknowledged")}>
            {t("acknowledge")}
          </button>
        )}
        {can("withdraw") && (
          <button type="button" className="secondary" onClick={() => void run(async () => (await request(WithdrawPlanDocument, ids)).withdrawPlan, "statusDraft")}>
            {t("withdraw")}
          </button>
        )}
        {can("return") && (
          <button type="button" className="secondary" onClick={() => void run(async () => (await request(ReturnPlanDocument, ids)).returnPlan, "statusDraft")}>
            {t("returnPlan")}
          </button>
        )}
        <Link to="/">{t("back")}</Link>
      </div>

      {(can("evaluate") || can("acknowledge_evaluation") || plan.evaluation) && (
        <Evaluation plan={plan} onChange={(work, done) => void run(work, done)} />
      )}
    </>
  );
}

type Row = { item_id: string; outcome: string | null; next_step: string | null; narrative: string; suggestions: string };

function Evaluation({
  plan,
  onChange,
}: {
  plan: PlanFieldsFragment;
  onChange: (work: () => Promise<PlanFieldsFragment>, done: MessageKey) => void;
}) {
  const { t, lang } = useI18n();
  const [rows, setRows] = useState<Row[]>(() =>
    plan.items.map((item) => {
      const r = plan.evaluation?.items.find((x) => x.itemId === item.id);
      return {
        item_id: item.id,
        outcome: r?.outcome ?? null,
        next_step: r?.nextStep ?? null,
        narrative: r?.narrative ?? "",
        suggestions: r?.suggestions ?? "",
      };
    }),
  );
  const editable = plan.allowedActions.includes("evaluate");
  const ids = { personId: plan.personId, planId: plan.id };
  const set = (i: number, change: Partial<Row>) => setRows((list) => list.map((r, n) => (n === i ? { ...r, ...change } : r)));
  const findings = plan.evaluationFindings;
  return (
    <section className="card" aria-labelledby="idp2-title">
      <h2 id="idp2-title">{t("evaluationTitle")}</h2>
      <FindingList findings={at(findings, "/items")} lang={lang} />
      {rows.map((row, i) => {
        const item = plan.items[i];
        return (
          <fieldset key={row.item_id} disabled={!editable} className="evaluation-row">
            <legend>
              {t("planItem")} {i + 1}: {item?.topic}
            </legend>
            <div className="inline" role="radiogroup" aria-label={`${t("outcome")} ${i + 1}`}>
              {[["as_planned", "asPlanned"], ["not_as_planned", "notAsPlanned"]].map(([v, k]) => (
                <label key={v}>
                  <input type="radio" name={`outcome-${i}`} checked={row.outcome === v} onChange={() => set(i, { outcome: v! })} />
                  {t(k as MessageKey)}
                </label>
              ))}
            </div>
            <div className="inline" role="radiogroup" aria-label={`${t("nextStep")} ${i + 1}`}>
              {[["continue", "continue"], ["revise", "revise"]].map(([v, k]) => (
                <label key={v}>
                  <input type="radio" name={`next-${i}`} checked={row.next_step === v} onChange={() => set(i, { next_step: v! })} />
                  {t(k as MessageKey)}
                </label>
              ))}
            </div>
            <FindingList findings={[...at(findings, `/items/${i}/outcome`), ...at(findings, `/items/${i}/next_step`)]} lang={lang} />
            <Field id={`e${i}-narrative`} label={t("narrative")} findings={at(findings, `/items/${i}/narrative`)}>
              {(d, bad) => (
                <textarea id={`e${i}-narrative`} value={row.narrative} aria-describedby={d} aria-invalid={bad}
                  onChange={(e) => set(i, { narrative: e.target.value })} />
              )}
            </Field>
            <Field id={`e${i}-suggestions`} label={t("suggestions")} findings={[]}>
              {() => (
                <textarea id={`e${i}-suggestions`} value={row.suggestions} onChange={(e) => set(i, { suggestions: e.target.value })} />
              )}
            </Field>
          </fieldset>
        );
      })}
      <div className="actions">
        {editable && (
          <button type="button" onClick={() => onChange(async () => (await request(EvaluatePlanDocument, { ...ids, rows })).evaluatePlan, "saved")}>
            {t("saveEvaluation")}
          </button>
        )}
        {plan.allowedActions.includes("acknowledge_evaluation") && (
          <button type="button" onClick={() => onChange(async () => (await request(AcknowledgeEvaluationDocument, ids)).acknowledgeEvaluation, "statusEvaluated")}>
            {t("acknowledgeEvaluation")}
          </button>
        )}
      </div>
    </section>
  );
}

/** The printable IDP1 and IDP2: fetched with the bearer token and opened from a blob. */
export function PrintLinks({ idp1Url, idp2Url, onError }: { idp1Url: string; idp2Url: string; onError: (e: Error) => void }) {
  const { t } = useI18n();
  return (
    <nav aria-label={t("printable")} className="actions" data-testid="print-links">
      <button type="button" className="secondary" onClick={() => void openPdf(idp1Url).catch(onError)}>
        {t("printIdp1")}
      </button>{" "}
      <button type="button" className="secondary" onClick={() => void openPdf(idp2Url).catch(onError)}>
        {t("printIdp2")}
      </button>
    </nav>
  );
}
