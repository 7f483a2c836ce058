import type { ReactNode } from "react";
import { messages, useI18n, type MessageKey } from "./i18n";
import { percent } from "./format";
import type { Loaded } from "./hooks";

export function Loading() {
  const { t } = useI18n();
  return (
    <p role="status" className="muted">
      {t("loading")}
    </p>
  );
}

export function ErrorBox({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div role="alert" className="alert">
      <strong>{t("error")}:</strong> {error.message}
      {onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          {t("retry")}
        </button>
      )}
    </div>
  );
}

/** Loading, error or the screen itself. */
export function Screen<T>({
  loaded,
  reload,
  children,
}: {
  loaded: Loaded<T>;
  reload: () => void;
  children: (data: T) => ReactNode;
}) {
  if (loaded.state === "loading") return <Loading />;
  if (loaded.state === "error") return <ErrorBox error={loaded.error} onRetry={reload} />;
  return <>{children(loaded.data)}</>;
}

const STATUS: Record<string, MessageKey> = {
  draft: "statusDraft",
  submitted: "statusSubmitted",
  final: "statusFinal",
  acknowledged: "statusAcknowledged",
  in_progress: "statusInProgress",
  evaluated: "statusEvaluated",
  PENDING: "statePending",
  APPROVED: "stateApproved",
  REJECTED: "stateRejected",
};

export function Status({ value }: { value: string }) {
  const { t } = useI18n();
  const key = STATUS[value];
  return <span className={`badge badge-${value.toLowerCase()}`}>{key ? t(key) : value}</span>;
}

export type Bar = { label: string; ratio: number; detail: string };

/** A horizontal bar chart with its numbers written out (read by screen readers as a list). */
export function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <ul>
        {bars.map((bar) => (
          <li key={bar.label}>
            <span className="chart-label">{bar.label}</span>
            <span className="chart-track" aria-hidden="true">
              <span className="chart-fill" style={{ width: percent(Math.max(0, Math.min(1, bar.ratio))) }} />
            </span>
            <span className="chart-value">
              {percent(bar.ratio)} <span className="muted">({bar.detail})</span>
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

const STAGE_KEYS: Record<string, MessageKey> = {
  early: "stageEarly",
  developing: "stageDeveloping",
  mature: "stageMature",
};

/** "early", "EARLY" -> the stage's name; "early/others" (a profile) -> stage / group. */
export function useProfileLabels() {
  const { t } = useI18n();
  const stage = (s: string | null | undefined) => (s ? (STAGE_KEYS[s.toLowerCase()] ? t(STAGE_KEYS[s.toLowerCase()]!) : s) : "—");
  const group = (g: string) => {
    const key = `group${g.toUpperCase()}`;
    return key in messages.th ? t(key as MessageKey) : g;
  };
  const profile = (p: string) => {
    const [s, g] = p.split("/");
    return g ? `${stage(s)} / ${group(g)}` : p;
  };
  return { stage, group, profile };
}
