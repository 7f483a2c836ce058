// The plan document as the mutations take it (snake_case, as REST), and the 70:20:10 mix of it.
import type { PlanFieldsFragment } from "./gql/graphql";

export type Activity = {
  id?: string;
  method: string;
  planned_hours: number;
  lecture_share: number | null;
  description: string;
};

export type Item = {
  id?: string;
  priority: number;
  framework_items: string[];
  reason: "gap" | "strength" | "position_required";
  reason_note: string;
  target: "present" | "future";
  topic: string;
  course_ref: string | null;
  activities: Activity[];
  application: string;
  period: { quarters: number[] } | { start: string; end: string } | null;
  evaluation_methods: ("self" | "supervisor" | "peer")[];
};

export function documentOf(plan: PlanFieldsFragment): Item[] {
  return plan.items.map((i) => ({
    id: i.id,
    priority: i.priority,
    framework_items: [...i.frameworkItems],
    reason: i.reason as Item["reason"],
    reason_note: i.reasonNote,
    target: i.target as Item["target"],
    topic: i.topic,
    course_ref: i.courseRef ?? null,
    activities: i.activities.map((a) => ({
      id: a.id,
      method: a.method,
      planned_hours: a.plannedHours,
      lecture_share: a.lectureShare ?? null,
      description: a.description,
    })),
    application: i.application,
    period: i.period?.quarters
      ? { quarters: [...i.period.quarters] }
      : i.period?.start && i.period.end
        ? { start: i.period.start, end: i.period.end }
        : null,
    evaluation_methods: i.evaluationMethods as Item["evaluation_methods"],
  }));
}

export function emptyItem(priority: number, method: string): Item {
  return {
    priority,
    framework_items: [],
    reason: "gap",
    reason_note: "",
    target: "present",
    topic: "",
    course_ref: null,
    activities: [{ method, planned_hours: 0, lecture_share: null, description: "" }],
    application: "",
    period: { quarters: [] },
    evaluation_methods: [],
  };
}

export type Mix = { bucket: number; hours: number; percent: number; target: number }[];

/** Planned hours per 70:20:10 bucket, as typed (activities of an unknown method do not count). */
export function mixOf(items: Item[], bucketOf: Map<string, number>): { total: number; mix: Mix } {
  const sums = new Map<number, number>([
    [70, 0],
    [20, 0],
    [10, 0],
  ]);
  for (const item of items) {
    for (const a of item.activities) {
      const bucket = bucketOf.get(a.method);
      if (bucket !== undefined && Number.isFinite(a.planned_hours)) {
        sums.set(bucket, (sums.get(bucket) ?? 0) + Math.max(0, a.planned_hours));
      }
    }
  }
  const total = [...sums.values()].reduce((x, y) => x + y, 0);
  return {
    total,
    mix: [...sums.entries()].map(([bucket, hours]) => ({
      bucket,
      hours,
      percent: total > 0 ? Math.round((hours / total) * 100) : 0,
      target: bucket,
    })),
  };
}

export type Finding = { rule: string; severity: string; pointer: string; messageTh: string; messageEn: string };

/** The findings pointing exactly at ``pointer``. */
export function at(findings: Finding[], pointer: string): Finding[] {
  return findings.filter((f) => f.pointer === pointer);
}

/** Findings no field of the editor shows: the plan-wide ones and any other pointer. */
export function planWide(findings: Finding[], shown: Set<string>): Finding[] {
  return findings.filter((f) => !shown.has(f.pointer));
}

/** The items as the mutations take them: a period with no quarter ticked is no period yet. */
export function toDocument(items: Item[]): Item[] {
  return items.map((item) => ({
    ...item,
    period: item.period && "quarters" in item.period && item.period.quarters.length === 0 ? null : item.period,
  }));
}
