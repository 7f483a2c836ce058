import { useState } from "react";
import { request } from "../api";
import { useSession } from "../App";
import { graphql } from "../gql";
import type { MaturityStage, StageScreenQuery } from "../gql/graphql";
import { useQuery } from "../hooks";
import { useI18n, type MessageKey } from "../i18n";
import { fiscalYearBE, formatDate, formatDateTime } from "../format";
import { ErrorBox, Screen, useProfileLabels } from "../ui";
import { HeatMapPanel, KpiPanel } from "./Kpis";

const StageScreenDocument = graphql(`
  query StageScreen($agencyCode: String!, $fiscalYear: Int!) {
    agency(code: $agencyCode) {
      code
      nameTh
      nameEn
      stage(fiscalYear: $fiscalYear) {
        fiscalYear
        stage
        declaredByAgency
        inherited
        presentTarget
        futureTarget
      }
    }
    agencyKpis(code: $agencyCode, fiscalYear: $fiscalYear) {
      ...KpiReportFields
    }
    agencyHeatMap(code: $agencyCode, fiscalYear: $fiscalYear) {
      ...HeatMapFields
    }
    domains(framework: "ocsc") {
      code
      nameTh
      nameEn
    }
    stageDeclarations(agencyCode: $agencyCode) {
      fiscalYear
      stage
      announcedOn
      declaredBy
      declaredAt
      note
    }
  }
`);

const DeclareStageDocument = graphql(`
  mutation DeclareStage($agencyCode: String!, $fiscalYear: Int!, $stage: MaturityStage!, $announcedOn: Date!, $note: String) {
    declareStage(agencyCode: $agencyCode, fiscalYear: $fiscalYear, stage: $stage, announcedOn: $announcedOn, note: $note) {
      fiscalYear
      stage
    }
  }
`);

export const STAGES: [MaturityStage, MessageKey][] = [
  ["EARLY", "stageEarly"],
  ["DEVELOPING", "stageDeveloping"],
  ["MATURE", "stageMature"],
];

export function StageScreen() {
  const { me } = useSession();
  const { t } = useI18n();
  const fiscalYear = fiscalYearBE();
  const agencyCode = me.agency ?? "";
  const [loaded, reload] = useQuery(() => request(StageScreenDocument, { agencyCode, fiscalYear }), [agencyCode]);
  if (!me.agency) return <p>{t("noAgency")}</p>;
  return (
    <Screen loaded={loaded} reload={reload}>
      {(data) => <StageView data={data} agencyCode={agencyCode} fiscalYear={fiscalYear} reload={reload} />}
    </Screen>
  );
}

export function StageView({
  data,
  agencyCode,
  fiscalYear,
  reload,
}: {
  data: StageScreenQuery;
  agencyCode: string;
  fiscalYear: number;
  reload: () => void;
}) {
  const { t, lang } = useI18n();
  const label = useProfileLabels();
  const [year, setYear] = useState(String(fiscalYear));
  const [stage, setStage] = useState<MaturityStage>(data.agency?.stage.stage ?? "EARLY");
  const [announced, setAnnounced] = useState(`${fiscalYear - 1}-10-01`);
  const [note, setNote] = useState("");
  const [error, setError] = useState<Error | null>(null);
  const [done, setDone] = useState("");
  const stageName = (s: MaturityStage | null | undefined) => (s ? t(STAGES.find(([v]) => v === s)![1]) : "—");
  const declare = () =>
    request(DeclareStageDocument, { agencyCode, fiscalYear: Number(year), stage, announcedOn: announced, note: note || null }).then(
      () => {
        setDone(`${t("declared")}: ${stageName(stage)} · ${t("fiscalYear")} ${year}`);
        setError(null);
        reload();
      },
      setError,
    );
  const inForce = data.agency?.stage;
  return (
    <>
      <h1>{t("stageTitle")}</h1>
      <p>
        {t("agency")}: {data.agency ? (lang === "en" && data.agency.nameEn ? data.agency.nameEn : data.agency.nameTh) : agencyCode} ({agencyCode})
      </p>
      <section className="card" aria-labelledby="in-force">
        <h2 id="in-force">
          {t("stageInForce")} {fiscalYear}
        </h2>
        <p data-testid="stage-in-force">
          <strong>{stageName(inForce?.stage)}</strong>
          {inForce?.inherited && ` (${t("inherited")} ${inForce.declaredByAgency ?? ""})`}
        </p>
      </section>
      <KpiPanel report={data.agencyKpis} />
      <HeatMapPanel
        cells={data.agencyHeatMap}
        minGroupSize={data.agencyKpis.minGroupSize}
        domainName={(code) => {
          const d = data.domains.find((x) => x.code === code);
          return d ? `${code} ${lang === "en" ? (d.nameEn ?? d.nameTh) : d.nameTh}` : code;
        }}
        groupName={label.group}
      />
      <section className="card" aria-labelledby="declare">
        <h2 id="declare">{t("declare")}</h2>
        {error && <ErrorBox error={error} />}
        <p role="status" aria-live="polite">{done}</p>
        <form
          className="fields"
          onSubmit={(e) => {
            e.preventDefault();
            void declare();
          }}
        >
          <div className="field">
            <label htmlFor="fy">{t("fiscalYear")}</label>
            <input id="fy" type="number" min={2500} max={2700} value={year} onChange={(e) => setYear(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor="stage">{t("stage")}</label>
            <select id="stage" value={stage} onChange={(e) => setStage(e.target.value as MaturityStage)}>
              {STAGES.map(([v, k]) => (
                <option key={v} value={v}>
                  {t(k)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="announced">{t("announcedOn")}</label>
            <input id="announced" type="text" inputMode="numeric" pattern="\d{4}-\d{2}-\d{2}" value={announced} onChange={(e) => setAnnounced(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor="note">{t("note")}</label>
            <input id="note" type="text" value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <div className="actions">
            <button type="submit">{t("declare")}</button>
          </div>
        </form>
      </section>
      <section className="card" aria-labelledby="history">
        <h2 id="history">{t("declarations")}</h2>
        <table>
          <caption className="visually-hidden">{t("declarations")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("fiscalYear")}</th>
              <th scope="col">{t("stage")}</th>
              <th scope="col">{t("announcedOn")}</th>
              <th scope="col">{t("signedBy")}</th>
            </tr>
          </thead>
          <tbody>
            {data.stageDeclarations.map((d) => (
              <tr key={d.fiscalYear}>
                <td>{d.fiscalYear}</td>
                <td>{stageName(d.stage)}</td>
                <td>{formatDate(d.announcedOn, lang)}</td>
                <td>
                  {d.declaredBy} · {formatDateTime(d.declaredAt, lang)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
