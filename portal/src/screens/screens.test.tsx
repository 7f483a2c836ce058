import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { SessionContext } from "../App";
import type { AssessmentFormQuery, MyDashboardQuery, PlanFieldsFragment } from "../gql/graphql";
import { I18nProvider } from "../i18n";
import { AssessmentForm } from "./Assessment";
import { DashboardView } from "./Dashboard";
import { PlanEditor } from "./Plan";

type Form = AssessmentFormQuery["assessmentForm"];
type FormItem = Form["sections"][number]["items"][number];

const item = (code: string, self?: string, supervisor?: string): FormItem => ({
  code,
  level: "criterion",
  title: { th: `เกณฑ์ ${code}`, en: `Criterion ${code}` },
  selfRating: self ? { value: self, note: null, evidenceUrl: null } : null,
  supervisorRating: supervisor ? { value: supervisor, note: null, evidenceUrl: null } : null,
});

function form(status: string, items: FormItem[]): Form {
  return {
    itemCount: items.length,
    selfRated: items.filter((i) => i.selfRating).length,
    supervisorRated: items.filter((i) => i.supervisorRating).length,
    assessment: {
      id: "a1",
      personId: "p1",
      fiscalYear: 2570,
      kind: "baseline",
      status,
      stage: "early",
      presentProfiles: ["early/others"],
      futureProfiles: ["developing/others"],
    },
    sections: [
      {
        component: "unit",
        items: [],
        domains: [
          {
            code: "DLit",
            learningDimension: 1,
            title: { th: "การรู้ดิจิทัล", en: "Digital literacy" },
            units: [
              {
                code: "DLit100",
                title: { th: "หน่วย DLit100", en: null },
                item: null,
                elements: [{ code: "DLit100.1", title: { th: "สมรรถนะย่อย", en: null }, criteria: items }],
              },
            ],
          },
        ],
      },
    ],
  };
}

const wrap = (ui: React.ReactNode) =>
  render(
    <I18nProvider initial="th">
      <MemoryRouter>{ui}</MemoryRouter>
    </I18nProvider>,
  );

describe("the self-assessment form", () => {
  it("shows component > skill set > unit > element > criterion, in Thai", () => {
    wrap(<AssessmentForm form={form("draft", [item("PC1")])} mode="self" onDone={() => undefined} />);
    expect(screen.getByRole("heading", { name: /องค์ประกอบ: unit/ })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: /กลุ่มทักษะ DLit การรู้ดิจิทัล/ })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: /หน่วยสมรรถนะ DLit100/ })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: /สมรรถนะย่อย DLit100.1/ })).toBeInTheDocument();
    expect(screen.getByRole("group", { name: /PC1 เกณฑ์ PC1/ })).toBeInTheDocument();
  });

  it("points out the unrated items on submit, with links to them", async () => {
    wrap(
      <AssessmentForm form={form("draft", [item("PC1", "has"), item("PC2"), item("PC3")])} mode="self" onDone={() => undefined} />,
    );
    await userEvent.click(screen.getByRole("button", { name: "ส่งแบบประเมิน" }));
    const alert = screen.getByTestId("unrated");
    expect(alert).toHaveTextContent("ยังไม่ได้ประเมินรายการต่อไปนี้ (2)");
    expect(within(alert).getByRole("link", { name: "PC2" })).toHaveAttribute("href", "#item-PC2");
    expect(within(alert).queryByRole("link", { name: "PC1" })).toBeNull();
  });

  it("is read-only once submitted", () => {
    wrap(<AssessmentForm form={form("submitted", [item("PC1", "has")])} mode="self" onDone={() => undefined} />);
    expect(screen.getByRole("radio", { name: "มี" })).toBeDisabled();
    expect(screen.queryByRole("button", { name: "ส่งแบบประเมิน" })).toBeNull();
  });
});

describe("the supervisor's review", () => {
  it("puts the self-rating beside the supervisor's and marks disagreements", () => {
    wrap(
      <AssessmentForm
        form={form("submitted", [item("PC1", "has_not", "has"), item("PC2", "has", "has")])}
        mode="review"
        onDone={() => undefined}
      />,
    );
    expect(screen.getByTestId("disagreements")).toHaveTextContent("1");
    const first = screen.getByRole("group", { name: /PC1/ });
    expect(first).toHaveTextContent("ผลประเมินตนเอง: ไม่มี");
    expect(first).toHaveTextContent("เห็นต่าง");
    expect(screen.getByRole("group", { name: /PC2/ })).not.toHaveTextContent("เห็นต่าง");
    expect(screen.getByRole("button", { name: "ยืนยันผลการประเมิน" })).toBeEnabled();
  });
});

const methods = [
  { code: "on_the_job_training", nameTh: "การสอนงาน", nameEn: "On-the-job training", bucket: 70, hasLectureShare: false },
  { code: "coaching", nameTh: "การโค้ช", nameEn: "Coaching", bucket: 20, hasLectureShare: false },
  { code: "classroom_training", nameTh: "การฝึกอบรม", nameEn: "Classroom training", bucket: 10, hasLectureShare: true },
];

const plan = (findings: PlanFieldsFragment["findings"]): PlanFieldsFragment => ({
  id: "plan1",
  personId: "p1",
  fiscalYear: 2570,
  revision: 1,
  latestRevision: 1,
  state: "draft",
  relation: "owner",
  allowedActions: ["view", "edit", "submit"],
  etag: '"1"',
  personName: "สมชาย ใจดี",
  position: "นักวิชาการ",
  unit: "กองทดสอบ",
  baselineAssessmentId: "a1",
  submittedAt: null,
  items: [
    {
      id: "i1",
      priority: 1,
      frameworkItems: ["DLit100"],
      reason: "gap",
      reasonNote: "",
      target: "present",
      topic: "",
      courseRef: null,
      application: "งานบริการ",
      evaluationMethods: ["self"],
      period: { quarters: [1, 2], start: null, end: null },
      activities: [
        { id: "a1", method: "on_the_job_training", plannedHours: 30, lectureShare: null, description: "" },
        { id: "a2", method: "coaching", plannedHours: 10, lectureShare: null, description: "" },
      ],
    },
  ],
  ownerAck: null,
  supervisorAck: null,
  findings,
  evaluation: null,
  evaluationFindings: [],
});

describe("the plan editor", () => {
  it("shows each finding beside the field it points at, and the plan-wide ones apart", () => {
    wrap(
      <PlanEditor
        initial={plan([
          { rule: "E4", severity: "error", pointer: "/items/0/topic", messageTh: "ต้องระบุหัวข้อ", messageEn: "a topic" },
          { rule: "E3", severity: "error", pointer: "/items", messageTh: "ต้องมี 2-4 หัวข้อ", messageEn: "2-4 items" },
        ])}
        methods={methods}
      />,
    );
    const topic = screen.getByLabelText("หัวข้อ");
    expect(topic).toHaveAttribute("aria-invalid", "true");
    expect(topic).toHaveAccessibleDescription("E4 ต้องระบุหัวข้อ");
    expect(screen.getByRole("heading", { name: "ทั้งแผน" }).nextElementSibling).toHaveTextContent("E3 ต้องมี 2-4 หัวข้อ");
  });

  it("shows the 70:20:10 mix as the hours are typed", async () => {
    wrap(<PlanEditor initial={plan([])} methods={methods} />);
    expect(screen.getByTestId("mix-70")).toHaveTextContent("75%");
    expect(screen.getByTestId("mix-20")).toHaveTextContent("25%");
    const hours = screen.getAllByLabelText("ชั่วโมง")[0]!;
    await userEvent.clear(hours);
    await userEvent.type(hours, "70");
    expect(screen.getByTestId("mix-70")).toHaveTextContent("88%");
    expect(screen.getByTestId("total-hours")).toHaveTextContent("80");
  });
});

describe("my dashboard", () => {
  const data: MyDashboardQuery = {
    domains: [{ code: "DLit", nameTh: "การรู้ดิจิทัล", nameEn: "Digital literacy" }],
    myDashboard: {
      personId: "p1",
      nameTh: "สมชาย ใจดี",
      fiscalYear: 2570,
      stage: "early",
      groups: ["others"],
      presentProfiles: ["early/others"],
      futureProfiles: ["developing/others"],
      latestAssessment: { id: "a1", fiscalYear: 2570, kind: "baseline", status: "final", finalizedAt: "2026-11-30T03:00:00Z" },
      assessmentInProgress: null,
      readiness: [
        {
          target: "present",
          overall: { met: 3, required: 4, ratio: 0.75 },
          byDomain: [{ key: "DLit", met: 1, required: 2, ratio: 0.5 }],
        },
      ],
      topGaps: [
        {
          requirement: { code: "DLit200", component: "unit", domain: "DLit", title: { th: "การสื่อสารดิจิทัล", en: null } },
          itemsNotMet: ["DLit200.1"],
          unratedItems: [],
        },
      ],
      pendingReviews: [],
      currentPlan: null,
    },
  };

  it("charts readiness per skill set by name, lists the top gaps and offers a plan", () => {
    render(
      <I18nProvider initial="th">
        <MemoryRouter>
          <SessionContext.Provider
            value={{
              config: { graphql: "/graphql", oidc: null, devSignin: false },
              me: { subject: "s", name: "สมชาย", roles: ["employee"], agency: "MOF" },
            }}
          >
            <DashboardView data={data} />
          </SessionContext.Provider>
        </MemoryRouter>
      </I18nProvider>,
    );
    const chart = screen.getByTestId("readiness-present");
    expect(chart).toHaveTextContent("ความพร้อมโดยรวม 75%");
    expect(within(chart).getByRole("listitem")).toHaveTextContent("การรู้ดิจิทัล50% (1 จาก 2)");
    expect(screen.getByText(/การสื่อสารดิจิทัล/)).toBeInTheDocument();
    expect(screen.getByText(/2569/)).toBeInTheDocument(); // finalised 30 Nov 2026 = BE 2569
    expect(screen.getByRole("button", { name: "จัดทำแผนพัฒนา" })).toBeInTheDocument();
    expect(screen.getByText("ระยะเริ่มต้น (Early) / อื่น ๆ")).toBeInTheDocument(); // early/others
  });
});
