import { describe, expect, it } from "vitest";
import { at, emptyItem, mixOf, planWide } from "./planning";

const buckets = new Map([
  ["on_the_job_training", 70],
  ["coaching", 20],
  ["classroom_training", 10],
]);

describe("the 70:20:10 mix as typed", () => {
  it("shares planned hours by bucket", () => {
    const item = emptyItem(1, "on_the_job_training");
    item.activities = [
      { method: "on_the_job_training", planned_hours: 42, lecture_share: null, description: "" },
      { method: "coaching", planned_hours: 12, lecture_share: null, description: "" },
      { method: "classroom_training", planned_hours: 6, lecture_share: 50, description: "" },
      { method: "unknown", planned_hours: 100, lecture_share: null, description: "" },
    ];
    const { total, mix } = mixOf([item], buckets);
    expect(total).toBe(60);
    expect(mix.map((m) => m.percent)).toEqual([70, 20, 10]);
  });

  it("is empty with nothing planned", () => {
    expect(mixOf([], buckets).mix.every((m) => m.percent === 0)).toBe(true);
  });
});

describe("findings beside their fields", () => {
  const findings = [
    { rule: "E4", severity: "error", pointer: "/items/0/topic", messageTh: "ก", messageEn: "a" },
    { rule: "C1", severity: "error", pointer: "/items", messageTh: "ข", messageEn: "b" },
  ];
  it("finds a field's findings by pointer and leaves the rest plan-wide", () => {
    expect(at(findings, "/items/0/topic").map((f) => f.rule)).toEqual(["E4"]);
    expect(planWide(findings, new Set(["/items/0/topic"])).map((f) => f.rule)).toEqual(["C1"]);
  });
});
