// Thai conventions: Buddhist Era years, Asia/Bangkok times, fiscal years October to September.
export type Lang = "th" | "en";

export const TIME_ZONE = "Asia/Bangkok";
const BE_OFFSET = 543;

/** The Buddhist Era year of a Gregorian one. */
export function beYear(gregorian: number): number {
  return gregorian + BE_OFFSET;
}

/** The fiscal year (BE) containing a moment, as Bangkok sees it: FY2570 runs Oct 2026 - Sep 2027. */
export function fiscalYearBE(at: Date = new Date()): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: TIME_ZONE,
    year: "numeric",
    month: "numeric",
  }).formatToParts(at);
  const year = Number(parts.find((p) => p.type === "year")?.value);
  const month = Number(parts.find((p) => p.type === "month")?.value);
  return beYear(month >= 10 ? year + 1 : year);
}

/** A date and time in Bangkok, the year in Buddhist Era (also in English). */
export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return "—";
  const locale = lang === "th" ? "th-TH-u-ca-buddhist" : "en-GB-u-ca-buddhist";
  return new Intl.DateTimeFormat(locale, {
    timeZone: TIME_ZONE,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
}

/** An ISO calendar day (answers are Gregorian), shown with its Buddhist Era year. */
export function formatDate(isoDay: string | null | undefined, lang: Lang): string {
  if (!isoDay) return "—";
  const [y, m, d] = isoDay.split("-").map(Number);
  const locale = lang === "th" ? "th-TH-u-ca-buddhist" : "en-GB-u-ca-buddhist";
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", dateStyle: "medium" }).format(
    new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)),
  );
}

/** A ratio 0..1 as a whole percentage. */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** Hours with at most one decimal. */
export function hours(h: number): string {
  return (Math.round(h * 10) / 10).toString();
}
