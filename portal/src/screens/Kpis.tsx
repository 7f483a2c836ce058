import { useState } from "react";
import { openPdf } from "../api";
import { graphql } from "../gql";
import type { HeatMapFieldsFragment, KpiReportFieldsFragment } from "../gql/graphql";
import { useI18n, type MessageKey } from "../i18n";
import { formatDate } from "../format";
import { ErrorBox } from "../ui";

// The agency's G1-G3 and its gap heat map: asked for inside the HR officer's screen document.
graphql(`
  fragment KpiReportFields on AgencyKpiReport {
    agency
    fiscalYear
    snapshotDate
    minGroupSize
    pdfUrl
    subtree {
      code
      nameTh
      kpis {
        code
        numerator
        denominator
        percent
        targetPercent
        meetsTarget
        suppressed
      }
    }
  }
`);

graphql(`
  fragment HeatMapFields on HeatMapCell {
    staffGroup
    domainCode
    required
    notMet
    notMetPercent
    people
    suppressed
  }
`);

const KPI_NAMES: Record<string, MessageKey> = { G1: "kpiG1", G2: "kpiG2", G3: "kpiG3" };

const pct = (value: number | null | undefined) => (value == null ? "—" : `${Math.round(value * 10) / 10}%`);

export function KpiPanel({ report }: { report: KpiReportFieldsFragment }) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<Error | null>(null);
  const kpis = report.subtree.kpis;
  const anySuppressed = kpis.some((k) => k.suppressed);
  return (
    <section className="card" aria-labelledby="kpis" data-testid="kpis">
      <h2 id="kpis">
        {t("kpis")} · {t("fiscalYear")} {report.fiscalYear}
      </h2>
      <p className="muted">{formatDate(report.snapshotDate, lang)}</p>
      <div className="table-scroll">
        <table>
          <caption className="sr-only">{t("kpis")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("kpi")}</th>
              <th scope="col">{t("numerator")}</th>
              <th scope="col">{t("denominator")}</th>
              <th scope="col">{t("percent")}</th>
              <th scope="col">{t("target")}</th>
            </tr>
          </thead>
          <tbody>
            {kpis.map((k) => (
              <tr key={k.code} data-testid={`kpi-${k.code}`}>
                <th scope="row">{KPI_NAMES[k.code] ? t(KPI_NAMES[k.code]!) : k.code}</th>
                <td>{k.suppressed ? <span title={t("suppressedCell")}>—</span> : (k.numerator ?? "—")}</td>
                <td>{k.suppressed ? <span title={t("suppressedCell")}>—</span> : (k.denominator ?? "—")}</td>
                <td>
                  {k.suppressed ? <span title={t("suppressedCell")}>—</span> : pct(k.percent)}
                  {!k.suppressed && k.meetsTarget != null && (
                    <span className="muted"> ({k.meetsTarget ? t("meetsTarget") : t("belowTarget")})</span>
                  )}
                </td>
                <td>{k.targetPercent}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {anySuppressed && <p className="muted">{t("suppressedNote").replace("{n}", String(report.minGroupSize))}</p>}
      {error && <ErrorBox error={error} />}
      <button type="button" onClick={() => void openPdf(report.pdfUrl).then(() => setError(null), setError)}>
        {t("printKpiReport")}
      </button>
    </section>
  );
}

export function HeatMapPanel({
  cells,
  minGroupSize,
  domainName,
  groupName,
}: {
  cells: HeatMapFieldsFragment[];
  minGroupSize: number;
  domainName: (code: string) => string;
  groupName: (group: string) => string;
}) {
  const { t } = useI18n();
  const domains = [...new Set(cells.map((c) => c.domainCode))];
  const groups = [...new Set(cells.map((c) => c.staffGroup))];
  const at = new Map(cells.map((c) => [`${c.domainCode}|${c.staffGroup}`, c]));
  const anySuppressed = cells.some((c) => c.suppressed);
  return (
    <section className="card" aria-labelledby="heat-map" data-testid="heat-map">
      <h2 id="heat-map">{t("heatMap")}</h2>
      {cells.length === 0 ? (
        <p className="muted">{t("heatMapNone")}</p>
      ) : (
        <div className="table-scroll">
          <table className="heat-map">
            <caption>{t("heatMapCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("domain")}</th>
                {groups.map((g) => (
                  <th scope="col" key={g}>
                    {groupName(g)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {domains.map((d) => (
                <tr key={d}>
                  <th scope="row">{domainName(d)}</th>
                  {groups.map((g) => {
                    const c = at.get(`${d}|${g}`);
                    if (!c) return <td key={g}>—</td>;
                    if (c.suppressed)
                      return (
                        <td key={g} className="suppressed" title={t("suppressedCell")}>
                          —<span className="sr-only"> {t("suppressedCell")}</span>
                        </td>
                      );
                    const share = c.notMetPercent ?? 0;
                    return (
                      <td key={g} className={`heat heat-${Math.min(4, Math.floor(share / 20))}`}>
                        {pct(c.notMetPercent)}
                        <span className="muted">
                          {" "}
                          ({c.notMet ?? "—"}/{c.required ?? "—"})
                        </span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {anySuppressed && <p className="muted">{t("suppressedNote").replace("{n}", String(minGroupSize))}</p>}
    </section>
  );
}
