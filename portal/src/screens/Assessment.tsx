import { useMemo, useRef, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { request } from "../api";
import { graphql } from "../gql";
import type { AssessmentFormQuery, RatingInput } from "../gql/graphql";
import { useQuery } from "../hooks";
import { localized, useI18n } from "../i18n";
import { formatDate } from "../format";
import { ErrorBox, Screen, Status } from "../ui";

const AssessmentFormDocument = graphql(`
  query AssessmentForm($personId: ID!, $id: ID!) {
    assessmentForm(personId: $personId, id: $id) {
      itemCount
      selfRated
      supervisorRated
      assessment {
        id
        personId
        fiscalYear
        kind
        status
        stage
        presentProfiles
        futureProfiles
      }
      sections {
        component
        items {
          ...RatedItem
        }
        domains {
          code
          learningDimension
          title {
            th
            en
          }
          units {
            code
            title {
              th
              en
            }
            item {
              ...RatedItem
            }
            elements {
              code
              title {
                th
                en
              }
              criteria {
                ...RatedItem
              }
            }
          }
        }
      }
    }
  }
  fragment RatedItem on FormItem {
    code
    level
    title {
      th
      en
    }
    selfRating {
      value
      note
      evidenceUrl
    }
    supervisorRating {
      value
      note
      evidenceUrl
    }
    evidence {
      course
      title
      on
      outcome
    }
  }
`);

const RateDocument = graphql(`
  mutation Rate($personId: ID!, $id: ID!, $ratings: [RatingInput!]!) {
    rateAssessment(personId: $personId, id: $id, ratings: $ratings) {
      id
      status
    }
  }
`);

const ReviewDocument = graphql(`
  mutation Review($personId: ID!, $id: ID!, $ratings: [RatingInput!]!) {
    reviewAssessment(personId: $personId, id: $id, ratings: $ratings) {
      id
      status
    }
  }
`);

const SubmitDocument = graphql(`
  mutation SubmitAssessment($personId: ID!, $id: ID!) {
    submitAssessment(personId: $personId, id: $id) {
      id
      status
    }
  }
`);

const FinalizeDocument = graphql(`
  mutation FinalizeAssessment($personId: ID!, $id: ID!) {
    finalizeAssessment(personId: $personId, id: $id) {
      id
      status
    }
  }
`);

type Form = AssessmentFormQuery["assessmentForm"];
type Item = Form["sections"][number]["items"][number];
type Rating = { value: string; note: string; evidenceUrl: string };
type Mode = "self" | "review";

/** Every rated item of a section, in form order. */
export function itemsOf(section: Form["sections"][number]): Item[] {
  const out: Item[] = [];
  for (const domain of section.domains) {
    for (const unit of domain.units) {
      if (unit.item) out.push(unit.item);
      for (const element of unit.elements) out.push(...element.criteria);
    }
  }
  out.push(...section.items);
  return out;
}

const anchor = (code: string) => `item-${code.replace(/[^A-Za-z0-9_-]/g, "_")}`;

export function AssessmentScreen({ mode }: { mode: Mode }) {
  const { personId = "", id = "" } = useParams();
  const [loaded, reload] = useQuery(() => request(AssessmentFormDocument, { personId, id }), [personId, id]);
  return (
    <Screen loaded={loaded} reload={reload}>
      {(data) => <AssessmentForm form={data.assessmentForm} mode={mode} onDone={reload} />}
    </Screen>
  );
}

export function AssessmentForm({ form, mode, onDone }: { form: Form; mode: Mode; onDone: () => void }) {
  const { t, lang } = useI18n();
  const a = form.assessment;
  const all = useMemo(() => form.sections.flatMap(itemsOf), [form]);
  const initial = useMemo(() => {
    const map: Record<string, Rating> = {};
    for (const item of all) {
      const r = mode === "self" ? item.selfRating : item.supervisorRating;
      if (r) map[item.code] = { value: r.value, note: r.note ?? "", evidenceUrl: r.evidenceUrl ?? "" };
    }
    return map;
  }, [all, mode]);
  const [ratings, setRatings] = useState<Record<string, Rating>>(initial);
  const [saveState, setSaveState] = useState<"idle" | "saving" | "saved" | "failed">("idle");
  const [error, setError] = useState<Error | null>(null);
  const [unrated, setUnrated] = useState<Item[]>([]);
  const unratedRef = useRef<HTMLDivElement>(null);
  const editable = mode === "self" ? a.status === "draft" : a.status === "submitted";

  const save = async (list: RatingInput[]) => {
    setSaveState("saving");
    try {
      const vars = { personId: a.personId, id: a.id, ratings: list };
      if (mode === "self") await request(RateDocument, vars);
      else await request(ReviewDocument, vars);
      setSaveState("saved");
    } catch (e) {
      setSaveState("failed");
      setError(e as Error);
    }
  };
  const input = (code: string, r: Rating): RatingInput => ({
    code,
    value: r.value,
    note: r.note.trim() || null,
    evidenceUrl: r.evidenceUrl.trim() || null,
  });
  const rate = (code: string, value: string) => {
    const next = { note: "", evidenceUrl: "", ...ratings[code], value };
    setRatings((m) => ({ ...m, [code]: next }));
    setUnrated((u) => u.filter((i) => i.code !== code));
    void save([input(code, next)]);
  };
  const edit = (code: string, field: "note" | "evidenceUrl", text: string) =>
    setRatings((m) => ({ ...m, [code]: { value: "", note: "", evidenceUrl: "", ...m[code], [field]: text } }));
  const commit = (code: string) => {
    const r = ratings[code];
    if (r?.value) void save([input(code, r)]);
  };
  const markAll = (items: Item[]) => {
    const list = items.filter((i) => !ratings[i.code]?.value);
    if (list.length === 0) return;
    const next = { ...ratings };
    for (const i of list) next[i.code] = { note: "", evidenceUrl: "", ...ratings[i.code], value: "has" };
    setRatings(next);
    setUnrated((u) => u.filter((i) => !list.includes(i)));
    void save(list.map((i) => input(i.code, next[i.code]!)));
  };
  const submit = async () => {
    const missing = all.filter((i) => !ratings[i.code]?.value);
    setUnrated(missing);
    if (missing.length > 0) {
      requestAnimationFrame(() => unratedRef.current?.focus());
      return;
    }
    try {
      if (mode === "self") await request(SubmitDocument, { personId: a.personId, id: a.id });
      else await request(FinalizeDocument, { personId: a.personId, id: a.id });
      onDone();
    } catch (e) {
      setError(e as Error);
    }
  };

  const ratedCount = all.filter((i) => ratings[i.code]?.value).length;
  const disagreements =
    mode === "review"
      ? all.filter((i) => i.selfRating && ratings[i.code]?.value && ratings[i.code]!.value !== i.selfRating.value)
      : [];

  const itemRow = (item: Item) => {
    const r = ratings[item.code];
    const self = item.selfRating;
    const differs = mode === "review" && self && r?.value && r.value !== self.value;
    const title = localized(item.title, lang);
    return (
      <li key={item.code} id={anchor(item.code)} className={`item${differs ? " differs" : ""}`} tabIndex={-1}>
        <fieldset disabled={!editable}>
          <legend>
            <span className="code">{item.code}</span> {title}
          </legend>
          <EvidenceList evidence={item.evidence} />
          {mode === "review" && (
            <p className="self">
              {t("selfRating")}:{" "}
              <strong>{self ? (self.value === "has" ? t("has") : t("hasNot")) : "—"}</strong>
              {self?.note && <span> · {self.note}</span>}
              {self?.evidenceUrl && (
                <>
                  {" "}
                  ·{" "}
                  <a href={self.evidenceUrl} target="_blank" rel="noreferrer noopener">
                    {t("evidence")}
                  </a>
                </>
              )}
              {differs && <span className="badge badge-differs"> {t("disagreement")}</span>}
            </p>
          )}
          <div className="choices" role="radiogroup" aria-label={`${mode === "review" ? t("supervisorRating") : t("selfRating")}: ${item.code}`}>
            {(["has", "has_not"] as const).map((value) => (
              <label key={value}>
                <input
                  type="radio"
                  name={`rating-${item.code}`}
                  value={value}
                  checked={r?.value === value}
                  onChange={() => rate(item.code, value)}
                />
                {value === "has" ? t("has") : t("hasNot")}
              </label>
            ))}
          </div>
          <div className="extras">
            <label>
              {t("note")}
              <input
                type="text"
                value={r?.note ?? ""}
                onChange={(e) => edit(item.code, "note", e.target.value)}
                onBlur={() => commit(item.code)}
              />
            </label>
            <label>
              {t("evidence")}
              <input
                type="url"
                inputMode="url"
                placeholder="https://"
                value={r?.evidenceUrl ?? ""}
                onChange={(e) => edit(item.code, "evidenceUrl", e.target.value)}
                onBlur={() => commit(item.code)}
              />
            </label>
          </div>
        </fieldset>
      </li>
    );
  };

  return (
    <>
      <h1>
        {mode === "self" ? t("formTitle") : t("reviewTitle")} · {t("fiscalYear")} {a.fiscalYear}
      </h1>
      <p>
        <Status value={a.status} /> · {t("rated")}{" "}
        <span data-testid="rated-count">
          {ratedCount}/{form.itemCount}
        </span>{" "}
        {t("items")} ·{" "}
        <span role="status" aria-live="polite" data-testid="save-state">
          {saveState === "saving" ? t("saving") : saveState === "saved" ? t("saved") : saveState === "failed" ? t("saveFailed") : ""}
        </span>
      </p>
      {error && <ErrorBox error={error} />}
      {unrated.length > 0 && (
        <div className="alert" role="alert" tabIndex={-1} ref={unratedRef} data-testid="unrated">
          <strong>
            {t("unratedTitle")} ({unrated.length})
          </strong>
          <ul className="unrated">
            {unrated.slice(0, 50).map((i) => (
              <li key={i.code}>
                <a href={`#${anchor(i.code)}`}>{i.code}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {mode === "review" && (
        <p>
          {t("disagreements")}: <strong data-testid="disagreements">{disagreements.length}</strong>
        </p>
      )}
      {form.sections.map((section) => {
        const items = itemsOf(section);
        return (
          <section key={section.component} className="card" aria-labelledby={`c-${section.component}`}>
            <h2 id={`c-${section.component}`}>
              {t("component")}: {section.component}
            </h2>
            {editable && (
              <button type="button" className="secondary" onClick={() => markAll(items)}>
                {t("markAllHas")}
              </button>
            )}
            {section.domains.map((domain) => (
              <section key={domain.code} aria-labelledby={`d-${domain.code}`}>
                <h3 id={`d-${domain.code}`}>
                  {t("skillSet")} {domain.code} {localized(domain.title, lang)}
                </h3>
                {domain.units.map((unit) => (
                  <div key={unit.code} className="unit">
                    <h4>
                      {t("unit")} {unit.code} {localized(unit.title, lang)}
                    </h4>
                    <ul className="items">{unit.item && itemRow(unit.item)}</ul>
                    {unit.elements.map((element) => (
                      <div key={element.code} className="element">
                        <h5>
                          {t("element")} {element.code} {localized(element.title, lang)}
                        </h5>
                        <ul className="items">{element.criteria.map(itemRow)}</ul>
                      </div>
                    ))}
                  </div>
                ))}
              </section>
            ))}
            {section.items.length > 0 && <ul className="items">{section.items.map(itemRow)}</ul>}
          </section>
        );
      })}
      <div className="actions sticky">
        {editable && (
          <button type="button" onClick={() => void submit()}>
            {mode === "self" ? t("submit") : t("finalize")}
          </button>
        )}
        <Link to="/">{t("back")}</Link>
      </div>
    </>
  );
}

/** Courses completed that develop an item: shown beside it, read-only; they never set the rating. */
export function EvidenceList({ evidence }: { evidence: Item["evidence"] }) {
  const { t, lang } = useI18n();
  if (evidence.length === 0) return null;
  return (
    <div className="evidence" data-testid="evidence">
      <span className="muted">{t("evidenceCompleted")}:</span>
      <ul>
        {evidence.map((e) => (
          <li key={`${e.course}-${e.on}`}>
            {e.title} <span className="muted">({e.course} · {formatDate(e.on, lang)})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
