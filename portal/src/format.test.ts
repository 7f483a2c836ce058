import { describe, expect, it } from "vitest";
import { beYear, fiscalYearBE, formatDate, formatDateTime } from "./format";

describe("Thai dates", () => {
  it("counts years in the Buddhist Era", () => {
    expect(beYear(2026)).toBe(2569);
  });

  it("starts the fiscal year on 1 October, Bangkok time", () => {
    // 30 Sep 2026 17:30 UTC is already 1 Oct 00:30 in Bangkok: FY2570
    expect(fiscalYearBE(new Date("2026-09-30T17:30:00Z"))).toBe(2570);
    expect(fiscalYearBE(new Date("2026-09-30T16:30:00Z"))).toBe(2569);
  });

  it("shows times in Asia/Bangkok with a Buddhist Era year", () => {
    const shown = formatDateTime("2026-12-05T20:00:00Z", "en");
    expect(shown).toContain("2569");
    expect(shown).toContain("03:00");
    expect(formatDate("2025-10-01", "th")).toContain("2568");
  });
});
