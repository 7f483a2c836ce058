import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { configureApi } from "../api";
import { SessionContext } from "../App";
import type { AssessmentFormQuery, HeatMapFieldsFragment, KpiReportFieldsFragment, MyDashboardQuery, PlanFieldsFragment } from "../gql/graphql";
import { I18nProvider } from "../i18n";
import { AssessmentForm } from "./Assessment";
import { DashboardView, LearningPanel, RecommendedPanel } from "./Dashboard";
import { HeatMapPanel, KpiPanel } from "./Kpis";
import { PlanEditor, PrintLinks } from "./Plan";

type Form = AssessmentFormQuery["assessmentForm"];
type FormItem = Form["sections"][number]["items"][number];

const item = (code: string, self?: string, supervisor?: string, evidence: FormItem["evidence"] = []): FormItem => ({
  code,
  evidence,
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
  idp1Url: "/api/v1/people/p1/plans/plan1/idp1.pdf",
  idp2Url: "/api/v1/people/p1/plans/plan1/idp2.pdf",
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
      learning: { completions: 2, learningHours: 7.5, towardsPlan: 1 },
    },
    recommendedCourses: [
      {
        course: { id: "c1", provider: "ocsc", code: "DL-201", titleTh: "การสื่อสารดิจิทัลเบื้องต้น", titleEn: "Digital communication basics", hours: 3, url: null },
        why: [{ gap: "DLit200", gapTitleTh: "การสื่อสารดิจิทัล", item: "DLit200.1", target: "present" }],
      },
    ],
    myLearningRecords: {
      items: [
        { statementId: "s1", course: "ocsc/DL-101", courseTitle: "ความรู้ดิจิทัลพื้นฐาน", outcome: "completed", hours: 4.5, on: "2027-01-05", voided: false },
      ],
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
    expect(screen.getAllByText(/การสื่อสารดิจิทัล/)[0]).toBeInTheDocument();
    expect(screen.getByText(/2569/)).toBeInTheDocument(); // finalised 30 Nov 2026 = BE 2569
    expect(screen.getByRole("button", { name: "จัดทำแผนพัฒนา" })).toBeInTheDocument();
    expect(screen.getByText("ระยะเริ่มต้น (Early) / อื่น ๆ")).toBeInTheDocument(); // early/others
  });

  it("recommends courses for the gaps, with the provider and why", () => {
    wrap(<RecommendedPanel courses={data.recommendedCourses} />);
    const panel = screen.getByRole("region", { name: "หลักสูตรที่แนะนำ" });
    expect(panel).toHaveTextContent("การสื่อสารดิจิทัลเบื้องต้น");
    expect(panel).toHaveTextContent("ผู้ให้บริการ: ocsc");
    expect(panel).toHaveTextContent("เพื่อปิดช่องว่าง: DLit200 การสื่อสารดิจิทัล (DLit200.1)");
  });

  it("recommends in English with the switch, and says when there is nothing to recommend", () => {
    render(
      <I18nProvider initial="en">
        <RecommendedPanel courses={data.recommendedCourses} />
      </I18nProvider>,
    );
    expect(screen.getByRole("region", { name: "Recommended courses" })).toHaveTextContent("Digital communication basics");
  });

  it("says when nothing is recommended yet", () => {
    wrap(<RecommendedPanel courses={[]} />);
    expect(screen.getByText(/ยังไม่มีหลักสูตรแนะนำ/)).toBeInTheDocument();
  });

  it("sums my learning: completions, hours, towards my plan, and the latest records", () => {
    wrap(<LearningPanel summary={data.myDashboard.learning} records={data.myLearningRecords.items} />);
    const panel = screen.getByRole("region", { name: "การเรียนรู้ของฉัน" });
    expect(panel).toHaveTextContent("หลักสูตรที่เรียนจบ2");
    expect(panel).toHaveTextContent("ชั่วโมงการเรียนรู้7.5");
    expect(panel).toHaveTextContent("นับเข้าแผนพัฒนา1");
    expect(panel).toHaveTextContent("ความรู้ดิจิทัลพื้นฐาน");
    expect(panel).toHaveTextContent("2570"); // 5 Jan 2027 = BE 2570
  });
});

describe("the printable IDP1 and IDP2", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("fetches the PDF with the bearer token and opens it from a blob", async () => {
    configureApi("/graphql", async () => "tok-123");
    const pdf = new Blob(["%PDF-1.7"], { type: "application/pdf" });
    const fetched = vi.fn(async () => ({ ok: true, status: 200, blob: async () => pdf }) as Response);
    vi.stubGlobal("fetch", fetched);
    const created = vi.fn(() => "blob:pdf-1");
    URL.createObjectURL = created;
    URL.revokeObjectURL = vi.fn();
    const opened = vi.fn(() => ({}) as Window);
    window.open = opened;
    const failed = vi.fn();
    wrap(<PrintLinks idp1Url="/api/v1/people/p1/plans/plan1/idp1.pdf" idp2Url="/api/v1/people/p1/plans/plan1/idp2.pdf" onError={failed} />);
    await userEvent.click(screen.getByRole("button", { name: "พิมพ์แบบ IDP2 (PDF)" }));
    await waitFor(() => expect(fetched.mock.calls.length + failed.mock.calls.length).toBeGreaterThan(0));
    expect(failed.mock.calls).toEqual([]);
    await waitFor(() => expect(opened).toHaveBeenCalledWith("blob:pdf-1", "_blank", "noopener"));
    const [url, init] = fetched.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/v1/people/p1/plans/plan1/idp2.pdf");
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer tok-123");
    expect(created).toHaveBeenCalledWith(pdf);
  });

  it("is offered in the plan editor", () => {
    wrap(<PlanEditor initial={plan([])} methods={methods} />);
    expect(screen.getByRole("navigation", { name: "เอกสารสำหรับพิมพ์" })).toHaveTextContent("พิมพ์แบบ IDP1 (PDF)");
  });
});

describe("the evidence beside an item", () => {
  it("lists the completed courses read-only and leaves the rating as it is", () => {
    const evidence = [{ course: "ocsc/DL-101", title: "ความรู้ดิจิทัลพื้นฐาน", on: "2026-11-02", outcome: "completed" }];
    wrap(<AssessmentForm form={form("draft", [item("PC1", undefined, undefined, evidence)])} mode="self" onDone={() => undefined} />);
    const group = screen.getByRole("group", { name: /PC1/ });
    expect(within(group).getByTestId("evidence")).toHaveTextContent("ความรู้ดิจิทัลพื้นฐาน (ocsc/DL-101 · ");
    for (const radio of within(group).getAllByRole("radio")) expect(radio).not.toBeChecked();
  });
});

const report: KpiReportFieldsFragment = {
  agency: "MOF",
  fiscalYear: 2570,
  snapshotDate: "2027-09-30",
  minGroupSize: 5,
  pdfUrl: "/api/v1/reports/agencies/MOF/kpis.pdf?fiscal_year=2570",
  subtree: {
    code: "MOF",
    nameTh: "กระทรวงการคลัง",
    kpis: [
      { code: "G1", numerator: 40, denominator: 50, percent: 80, targetPercent: 80, meetsTarget: true, suppressed: false },
      { code: "G2", numerator: 20, denominator: 50, percent: 40, targetPercent: 80, meetsTarget: false, suppressed: false },
      { code: "G3", numerator: null, denominator: null, percent: null, targetPercent: 80, meetsTarget: null, suppressed: true },
    ],
  },
};

describe("the HR officer's KPIs and heat map", () => {
  it("shows G1-G3 against their targets, a suppressed one as — with why", () => {
    wrap(<KpiPanel report={report} />);
    expect(screen.getByTestId("kpi-G1")).toHaveTextContent("4050" + "80%");
    expect(screen.getByTestId("kpi-G1")).toHaveTextContent("ถึงเป้าหมาย");
    expect(screen.getByTestId("kpi-G2")).toHaveTextContent("ต่ำกว่าเป้าหมาย");
    const g3 = screen.getByTestId("kpi-G3");
    expect(within(g3).getAllByText("—")).toHaveLength(3);
    expect(screen.getByText(/น้อยกว่า 5 คน/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "พิมพ์รายงานตัวชี้วัด (PDF)" })).toBeInTheDocument();
  });

  it("tables skill set x staff group with the shares, suppressed cells marked", () => {
    const cells: HeatMapFieldsFragment[] = [
      { staffGroup: "others", domainCode: "DLit", required: 10, notMet: 3, notMetPercent: 30, people: 8, suppressed: false },
      { staffGroup: "executive", domainCode: "DLit", required: null, notMet: null, notMetPercent: null, people: null, suppressed: true },
    ];
    wrap(<HeatMapPanel cells={cells} minGroupSize={5} domainName={(c) => `${c} การรู้ดิจิทัล`} groupName={(g) => g} />);
    const table = screen.getByRole("table", { name: /ด้านทักษะ × กลุ่มบุคลากร/ });
    expect(within(table).getByRole("columnheader", { name: "others" })).toBeInTheDocument();
    const row = within(table).getByRole("row", { name: /DLit การรู้ดิจิทัล/ });
    expect(row).toHaveTextContent("30%");
    expect(row).toHaveTextContent("(3/10)");
    expect(row).toHaveTextContent("ไม่แสดง (จำนวนคนน้อย)");
    expect(screen.getByText(/น้อยกว่า 5 คน/)).toBeInTheDocument();
  });
});
