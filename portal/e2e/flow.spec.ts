import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// An employee assesses and plans, the supervisor reviews and acknowledges, the employee sees the
// result; an HR officer declares the agency's stage and proposes staff groups. Every screen is
// checked with axe-core (no serious or critical violation). With PORTAL_SCREENSHOTS=update the
// screenshots of portal/README.md are taken again.

test.describe.configure({ mode: "serial" });

const SHOTS = resolve(dirname(fileURLToPath(import.meta.url)), "..", "docs", "screenshots");
const updateShots = process.env.PORTAL_SCREENSHOTS === "update";

async function screen(page: Page, name: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
    `axe on ${name}`,
  ).toEqual([]);
  if (updateShots) {
    mkdirSync(SHOTS, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage: false });
  }
}

type People = { employee: string; supervisor: string };
let people: People;

async function signIn(page: Page, subject: string, persona: "employee" | "supervisor" | "hr") {
  await page.goto("/portal/signin/dev");
  await page.getByRole("radio", { name: { employee: "ผู้ปฏิบัติงาน", supervisor: "ผู้บังคับบัญชา", hr: "เจ้าหน้าที่ทรัพยากรบุคคล" }[persona] }).check();
  await page.locator(`li[data-subject="${subject}"] button`).click();
  await expect(page.getByRole("link", { name: "หน้าของฉัน" })).toBeVisible();
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "ออกจากระบบ" }).click();
  await expect(page.getByRole("heading", { name: "เข้าสู่ระบบทักษะ" })).toBeVisible();
}

test("the development sign-in lists demo people", async ({ page }) => {
  await page.goto("/portal/");
  await expect(page.getByRole("heading", { name: "เข้าสู่ระบบทักษะ" })).toBeVisible();
  await screen(page, "signin");
  await page.getByRole("link", { name: "เข้าสู่ระบบสำหรับการพัฒนา (ข้อมูลตัวอย่าง)" }).click();
  await expect(page.getByRole("heading", { name: "เลือกบุคคลตัวอย่าง" })).toBeVisible();
  await page.locator("li[data-subject]").first().waitFor();
  // an employee without reports whose supervisor is listed too
  people = await page.evaluate(() => {
    const items = [...document.querySelectorAll<HTMLLIElement>("li[data-subject]")];
    const subjects = new Set(items.map((li) => li.dataset.subject));
    const employee = items.find(
      (li) => li.dataset.supervisor && subjects.has(li.dataset.supervisor) && !li.textContent?.includes("มีผู้ใต้บังคับบัญชา"),
    );
    return { employee: employee!.dataset.subject!, supervisor: employee!.dataset.supervisor! };
  });
  await screen(page, "signin-dev");
});

test("the employee assesses themself: saved as they go, resumed, unrated items pointed out, submitted", async ({ page }) => {
  await signIn(page, people.employee, "employee");
  await expect(page.getByText("ยังไม่มีผลการประเมินที่ได้รับการยืนยัน")).toBeVisible();
  await screen(page, "dashboard-new");
  await page.getByRole("button", { name: "เริ่มประเมินตนเอง" }).click();
  await expect(page.getByRole("heading", { name: /แบบประเมินตนเอง/ })).toBeVisible();
  const total = Number((await page.getByTestId("rated-count").textContent())!.split("/")[1]);
  expect(total).toBeGreaterThan(0);

  // one item rated "has not", with a note and an evidence link: saved at once
  const first = page.locator("li.item").first();
  await first.getByRole("radio", { name: "ไม่มี" }).check();
  await expect(page.getByTestId("save-state")).toHaveText("บันทึกแล้ว");
  await first.getByLabel("บันทึกเพิ่มเติม").fill("ยังไม่เคยใช้งานจริง");
  await first.getByLabel("ลิงก์หลักฐาน").fill("https://example.go.th/evidence/1");
  await first.getByLabel("ลิงก์หลักฐาน").blur();
  await expect(page.getByTestId("save-state")).toHaveText("บันทึกแล้ว");

  // submitting now points at what is left
  await page.getByRole("button", { name: "ส่งแบบประเมิน" }).click();
  await expect(page.getByTestId("unrated")).toContainText(`(${total - 1})`);
  await screen(page, "assessment");

  // resumed later: the rating, note and link are still there
  await page.reload();
  await expect(page.getByTestId("rated-count")).toHaveText(`1/${total}`);
  await expect(page.locator("li.item").first().getByLabel("บันทึกเพิ่มเติม")).toHaveValue("ยังไม่เคยใช้งานจริง");

  for (const button of await page.getByRole("button", { name: /ทำเครื่องหมาย “มี”/ }).all()) {
    await button.click();
    await expect(page.getByTestId("save-state")).toHaveText("บันทึกแล้ว");
  }
  await expect(page.getByTestId("rated-count")).toHaveText(`${total}/${total}`);
  await page.getByRole("button", { name: "ส่งแบบประเมิน" }).click();
  await expect(page.getByText("ส่งแล้ว").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "ส่งแบบประเมิน" })).toHaveCount(0);
});

async function fillItem(page: Page, i: number, item: { codes: string; topic: string; method: string; hours: string; lecture?: string }) {
  await page.locator(`#i${i}-codes`).fill(item.codes);
  await page.locator(`#i${i}-topic`).fill(item.topic);
  await page.locator(`#i${i}-application`).fill(`นำไปใช้ปรับปรุงงานบริการ ${i + 1}`);
  const section = page.locator("section.plan-item").nth(i);
  await section.getByRole("checkbox", { name: "ไตรมาส1" }).check();
  await section.getByRole("checkbox", { name: "ไตรมาส2" }).check();
  await section.getByRole("checkbox", { name: "ผู้บังคับบัญชา" }).check();
  await page.locator(`#i${i}a0-method`).selectOption(item.method);
  await page.locator(`#i${i}a0-hours`).fill(item.hours);
  if (item.lecture) await page.locator(`#i${i}a0-lecture`).fill(item.lecture);
}

test("the employee writes a plan: findings beside the fields, the mix as typed, submitted and signed", async ({ page }) => {
  await signIn(page, people.employee, "employee");
  await page.getByRole("button", { name: "จัดทำแผนพัฒนา" }).click();
  await expect(page.getByRole("heading", { name: /แผนพัฒนารายบุคคล/ })).toBeVisible();

  // an item without a topic: saved, the finding is shown beside the topic field
  await page.getByRole("button", { name: "เพิ่มหัวข้อการพัฒนา" }).click();
  await page.getByRole("button", { name: "บันทึกร่าง" }).click();
  const topicFindings = page.locator("#i0-topic-findings");
  await expect(topicFindings.locator("[data-rule=E4]")).toBeVisible();
  await expect(page.locator("#i0-topic")).toHaveAttribute("aria-describedby", "i0-topic-findings");
  await expect(page.locator(".findings [data-rule=E3]")).toBeVisible(); // plan-wide: too few items

  await page.getByRole("button", { name: "เพิ่มหัวข้อการพัฒนา" }).click();
  await page.getByRole("button", { name: "เพิ่มหัวข้อการพัฒนา" }).click();
  await fillItem(page, 0, { codes: "DLit100", topic: "การใช้เครื่องมือดิจิทัลในงาน", method: "on_the_job_training", hours: "42" });
  await expect(page.getByTestId("mix-70")).toHaveText("100%");
  await fillItem(page, 1, { codes: "DLit200", topic: "การสื่อสารดิจิทัล", method: "coaching", hours: "12" });
  await fillItem(page, 2, { codes: "DG100", topic: "ธรรมาภิบาลข้อมูล", method: "classroom_training", hours: "6", lecture: "50" });
  await expect(page.getByTestId("mix-70")).toHaveText("70%");
  await expect(page.getByTestId("mix-20")).toHaveText("20%");
  await expect(page.getByTestId("mix-10")).toHaveText("10%");
  await expect(page.getByTestId("total-hours")).toHaveText("60");
  await page.getByRole("button", { name: /ตรวจสอบแผน/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "ตรวจสอบแล้ว" })).toBeVisible();
  await expect(page.locator(".finding.error")).toHaveCount(0);
  await page.getByRole("button", { name: "บันทึกร่าง" }).click();
  await expect(page.getByRole("status").filter({ hasText: "บันทึกแล้ว" })).toBeVisible();
  await expect(page.locator(".finding.error")).toHaveCount(0);
  await screen(page, "plan-editor");

  await page.getByRole("button", { name: "ส่งแผน" }).click();
  await expect(page.getByTestId("plan-state")).toHaveText("ส่งแล้ว");
  await page.getByRole("button", { name: "ลงนามรับทราบ" }).click();
  await expect(page.getByTestId("owner-ack")).toContainText("ลงนามโดย");
  await signOut(page);
});

test("the supervisor reviews beside the self-rating, finalises, and signs the plan", async ({ page }) => {
  await signIn(page, people.supervisor, "supervisor");
  await page.getByRole("link", { name: "รอการดำเนินการของฉัน" }).click();
  await expect(page.getByRole("heading", { name: "แบบประเมินรอทบทวน" })).toBeVisible();
  await screen(page, "queue");
  await page.getByRole("link", { name: /^ทบทวน/ }).first().click();
  await expect(page.getByRole("heading", { name: /ทบทวนผลการประเมิน/ })).toBeVisible();

  // everything "has" but two items "has not": the first as the employee rated it, the second
  // (rated "has" by the employee) marked as a disagreement; the gaps bring recommended courses
  for (const button of await page.getByRole("button", { name: /ทำเครื่องหมาย “มี”/ }).all()) {
    await button.click();
    await expect(page.getByTestId("save-state")).toHaveText("บันทึกแล้ว");
  }
  for (const n of [0, 1]) {
    await page.locator("li.item").nth(n).getByRole("radio", { name: "ไม่มี" }).check();
    await expect(page.getByTestId("save-state")).toHaveText("บันทึกแล้ว");
  }
  await expect(page.getByTestId("disagreements")).toHaveText("1");
  await expect(page.locator("li.item.differs")).toHaveCount(1);
  await expect(page.locator("li.item.differs")).toContainText("ผลประเมินตนเอง: มี");
  await screen(page, "review");
  await page.getByRole("button", { name: "ยืนยันผลการประเมิน" }).click();
  await expect(page.getByText("ยืนยันผลแล้ว").first()).toBeVisible();

  await page.getByRole("link", { name: "รอการดำเนินการของฉัน" }).click();
  await page.getByRole("heading", { name: "แผนพัฒนารอลงนามหรือประเมินผล" }).waitFor();
  await page.locator("section", { hasText: "แผนพัฒนารอลงนาม" }).getByRole("link").first().click();
  await expect(page.getByTestId("plan-state")).toHaveText("ส่งแล้ว");
  await page.getByRole("button", { name: "ลงนามรับทราบ" }).click();
  await expect(page.getByTestId("plan-state")).toHaveText("ลงนามรับทราบแล้ว");
  await expect(page.getByTestId("supervisor-ack")).toContainText("ลงนามโดย");
  await signOut(page);
});

test("the employee sees the result: readiness per skill set, top gaps, the plan in force", async ({ page }) => {
  await signIn(page, people.employee, "employee");
  await expect(page.getByTestId("readiness-present")).toBeVisible();
  await expect(page.getByTestId("readiness-present")).toContainText("ความพร้อมโดยรวม");
  await expect(page.locator("#plan").locator("..")).toContainText("ลงนามรับทราบแล้ว");
  // the gaps of the finalised assessment bring recommended courses, each with its provider and why
  const recommended = page.getByRole("region", { name: "หลักสูตรที่แนะนำ" });
  await expect(recommended).toBeVisible();
  await expect(recommended.getByRole("listitem").first()).toContainText("ผู้ให้บริการ:");
  await expect(recommended.getByRole("listitem").first()).toContainText("เพื่อปิดช่องว่าง:");
  await expect(page.getByRole("region", { name: "การเรียนรู้ของฉัน" })).toContainText("ชั่วโมงการเรียนรู้");
  await screen(page, "dashboard");

  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Readiness per skill set" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await screen(page, "dashboard-en");
  await page.getByRole("button", { name: "ภาษาไทย" }).click();

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId("readiness-present")).toBeVisible();
  await screen(page, "dashboard-phone");
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByRole("link", { name: "เปิดแผนพัฒนา" }).click();
  await expect(page.getByTestId("plan-state")).toHaveText("ลงนามรับทราบแล้ว");
  await expect(page.getByRole("heading", { name: "การประเมินผลการพัฒนา (IDP2)" })).toBeVisible();
  // the printable IDP1: fetched with the bearer token (a bare link would be refused)
  const idp1 = page.waitForResponse((r) => /idp1/.test(r.url()));
  await page.getByRole("button", { name: "พิมพ์แบบ IDP1 (PDF)" }).click();
  const pdf = await idp1;
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toContain("application/pdf");
  await screen(page, "plan-evaluation");
});

test("an HR officer declares the agency's stage and proposes staff groups", async ({ page }) => {
  await signIn(page, people.supervisor, "hr");
  await page.getByRole("link", { name: "ระดับการพัฒนาของหน่วยงาน" }).click();
  await expect(page.getByRole("heading", { name: "ประกาศระดับการพัฒนาของหน่วยงาน" })).toBeVisible();
  // the agency's G1-G3 against their targets (a suppressed figure as "—"), and the gap heat map
  const kpis = page.getByRole("region", { name: /ตัวชี้วัดของหน่วยงาน/ });
  await expect(kpis.getByTestId("kpi-G1")).toContainText("G1");
  await expect(kpis.getByTestId("kpi-G3")).toContainText("%");
  await expect(page.getByRole("region", { name: /แผนที่ช่องว่างทักษะ/ })).toBeVisible();
  const report = page.waitForResponse((r) => /kpi/i.test(r.url()) && !r.url().endsWith("/graphql"));
  await kpis.getByRole("button", { name: "พิมพ์รายงานตัวชี้วัด (PDF)" }).click();
  expect((await report).status()).toBe(200);
  await page.getByRole("combobox", { name: "ระดับการพัฒนา" }).selectOption("DEVELOPING");
  await page.getByRole("spinbutton", { name: "ปีงบประมาณ" }).fill("2571");
  await page.getByRole("textbox", { name: /วันที่ประกาศ/ }).fill("2570-09-15");
  await page.getByRole("button", { name: "ประกาศระดับ" }).click();
  await expect(page.getByRole("status").filter({ hasText: "ประกาศแล้ว" })).toBeVisible();
  await expect(page.getByRole("row", { name: /2571/ })).toContainText("ระยะกำลังพัฒนา");
  await screen(page, "hr-stage");

  await page.getByRole("link", { name: "กลุ่มบุคลากร" }).click();
  await expect(page.getByRole("heading", { name: "การกำหนดกลุ่มบุคลากร" })).toBeVisible();
  const row = page.getByRole("row").nth(1);
  await row.getByRole("combobox").selectOption("TECHNOLOGIST");
  await row.getByRole("button", { name: /เสนอกลุ่ม/ }).click();
  // proposed by the person's own first-line supervisor: agreed at once (one group)
  await expect(row.getByRole("cell").nth(2)).toContainText("เทคโนโลยีดิจิทัล");
  await screen(page, "hr-groups");
});
