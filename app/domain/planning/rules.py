"""The catalogue of plan and evaluation rules: id, severity, seed reference and messages.

Ids are the seed rule ids (E3, C1, ...) where the seeds state the rule, and ``P-...`` ids for
the product's own checks. Ids are stable: clients match on them. Messages are templates filled
with the finding's parameters, in English and Thai.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain.planning.findings import Finding, Severity

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    seed: str
    summary: str  # one line for docs/planning.md
    messages: dict[str, tuple[str, str]]  # variant -> (English, Thai)


def _r(
    rule_id: str,
    severity: Severity,
    seed: str,
    summary: str,
    en: str,
    th: str,
    **variants: tuple[str, str],
) -> Rule:
    """A rule with its main message and, as keywords, other messages for the same rule."""
    return Rule(rule_id, severity, seed, summary, {"": (en, th), **variants})


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        # IDP1 plan
        _r(
            "E2",
            E,
            "004:1642-1644",
            "the header names the person, position and unit",
            "The plan's header needs the person's {field}.",
            "ส่วนหัวของแผนต้องระบุ{field_th}ของผู้รับการพัฒนา",
        ),
        _r(
            "D2",
            E,
            "004:954, 004:1417",
            "the plan is linked to the baseline self-assessment",
            "Link the plan to the person's self-assessment made before development.",
            "แผนต้องอ้างอิงผลการประเมินตนเองก่อนการพัฒนา",
        ),
        _r(
            "E3",
            E,
            "004:1646, 004:1648-1651",
            "2-4 items (policy), in priority order",
            "A plan has {min} to {max} items in priority order; this one has {count}.",
            "แผนต้องมีรายการที่จำเป็นต้องพัฒนา {min} - {max} รายการ เรียงตามลำดับความสำคัญ"
            " แต่มี {count} รายการ",
        ),
        _r(
            "P-UNIQUE-PRIORITY",
            E,
            "004:1648",
            "no two items share a priority",
            "Priority {priority} is given to more than one item.",
            "ลำดับความสำคัญ {priority} ซ้ำกับรายการอื่น",
        ),
        _r(
            "P-FRAMEWORK-ITEM-REQUIRED",
            E,
            "004:1646",
            "each item names framework items",
            "Name at least one capability or knowledge item to develop.",
            "ต้องระบุรายการความสามารถหรือความรู้ที่จำเป็นต้องพัฒนาอย่างน้อย 1 รายการ",
        ),
        _r(
            "P-FRAMEWORK-ITEM-UNKNOWN",
            E,
            "001:16-227",
            "framework item codes exist",
            "{code} is not an item of the framework.",
            "{code} ไม่ใช่รายการในกรอบทักษะด้านดิจิทัล",
        ),
        _r(
            "C9",
            E,
            "003:699, 004:964",
            "items come from the person's present or future profile",
            "{code} is not in the person's {target} profile: choose an item of that profile,"
            " or mark the item as required by the position and say why.",
            "{code} ไม่อยู่ในบทบาทที่คาดหวัง{target_th}ของผู้รับการพัฒนา ให้เลือกรายการจากบทบาทนั้น"
            " หรือระบุว่าเป็นทักษะที่ตำแหน่งจำเป็นต้องมีพร้อมเหตุผล",
        ),
        _r(
            "D3",
            E,
            "004:1436",
            "a position-required item says why",
            "Say why the position requires this item.",
            "ต้องระบุเหตุผลที่ตำแหน่งจำเป็นต้องมีทักษะนี้",
        ),
        _r(
            "E4",
            E,
            "004:1646",
            "each item has a topic or a course",
            "Give the topic of the development, or choose a course.",
            "ต้องระบุชื่อเรื่อง เนื้อหา หรือหัวข้อการพัฒนา หรือเลือกหลักสูตร",
        ),
        _r(
            "P-ACTIVITY-REQUIRED",
            E,
            "004:1646",
            "each item has at least one activity",
            "Plan at least one development method for this item.",
            "ต้องระบุวิธีการพัฒนาอย่างน้อย 1 วิธี",
        ),
        _r(
            "P-METHOD-UNKNOWN",
            E,
            "004:863-865, 004:968-995",
            "activities use a method of the vocabulary",
            "{method} is not a known development method.",
            "{method} ไม่ใช่วิธีการพัฒนาที่กำหนดไว้",
        ),
        _r(
            "P-EFFORT-REQUIRED",
            E,
            "004:1438",
            "each activity plans some hours",
            "Plan the hours this activity will take.",
            "ต้องระบุจำนวนชั่วโมงที่จะใช้ในการพัฒนา",
        ),
        _r(
            "P-COURSE-UNKNOWN",
            E,
            "004:1419",
            "an activity's course is in the catalogue",
            "{course} is not a course of the catalogue.",
            "{course} ไม่ใช่หลักสูตรในทะเบียนหลักสูตร",
        ),
        _r(
            "P-COURSE-METHOD",
            E,
            "004:1152",
            "an activity taking a course uses a method the course serves",
            "{course} does not serve {method}; it serves: {methods}.",
            "หลักสูตร {course} ไม่ได้ใช้วิธีการพัฒนา {method} (ใช้ได้กับ: {methods})",
        ),
        _r(
            "P-COURSE-HOURS",
            W,
            "004:1438",
            "an activity taking a course plans at least the course's hours",
            "{course} takes {hours} hours; this activity plans {planned}.",
            "หลักสูตร {course} ใช้เวลา {hours} ชั่วโมง แต่วางแผนไว้ {planned} ชั่วโมง",
        ),
        _r(
            "P-LECTURE-SHARE-REQUIRED",
            E,
            "003:705",
            "training states its lecture share",
            "Say what share of this training is lecture.",
            "ต้องระบุสัดส่วนการบรรยายของการฝึกอบรมนี้",
        ),
        _r(
            "P-LECTURE-SHARE-NOT-APPLICABLE",
            W,
            "003:705",
            "a lecture share on a method that is not training is ignored",
            "A lecture share applies only to training; it is ignored for {method}.",
            "สัดส่วนการบรรยายใช้กับการฝึกอบรมเท่านั้น จึงไม่นำมาคิดสำหรับ{method_th}",
        ),
        _r(
            "C7",
            E,
            "003:705, 004:240, 004:882",
            "lecture at most 60% (policy) of training time",
            "Lecture may take at most {max}% of training time; this training plans {share}%.",
            "การฝึกอบรมต้องมีสัดส่วนการบรรยายไม่เกินร้อยละ {max} ของเวลาทั้งหมด แต่กำหนดไว้ร้อยละ {share}",
        ),
        _r(
            "E6",
            E,
            "004:1646",
            "each item says what work it will improve",
            "Say what work the development will improve.",
            "ต้องระบุเป้าหมายการนำไปพัฒนางาน (ประเภท ลักษณะงาน)",
        ),
        _r(
            "E7",
            E,
            "004:1646-1647",
            "each item has a period of at least 3 months (policy)",
            "The development period must last at least {min} months.",
            "ช่วงระยะเวลาการพัฒนาต้องไม่น้อยกว่า {min} เดือน",
            missing=(
                "Give the development period, as fiscal quarters or dates.",
                "ต้องระบุช่วงระยะเวลาการพัฒนา เป็นไตรมาสหรือวันที่",
            ),
        ),
        _r(
            "P-PERIOD-IN-YEAR",
            E,
            "004:1642, 004:1647",
            "the period lies in the plan's year",
            "The period falls outside the fiscal year {fiscal_year} ({start} to {end}).",
            "ช่วงระยะเวลาการพัฒนาอยู่นอกปีงบประมาณ พ.ศ. {be}",
        ),
        _r(
            "E8",
            E,
            "004:1646-1647",
            "each item says how it is evaluated",
            "Say how the development is evaluated: by self, supervisor or peer.",
            "ต้องระบุวิธีประเมินผลการพัฒนา: ประเมินตนเอง ผู้บังคับบัญชา หรือเพื่อนร่วมงาน",
        ),
        _r(
            "C1",
            E,
            "003:697, 004:863-865",
            "70:20:10 mix within ±10 points (policy)",
            "{bucket_en} takes {share}% of planned effort; the target is {target}%"
            " ± {tolerance} points.",
            "{bucket_th}คิดเป็นร้อยละ {share} ของเวลาพัฒนาที่วางแผน"
            " เป้าหมายคือร้อยละ {target} ± {tolerance}",
        ),
        _r(
            "P-BUCKET-EMPTY",
            W,
            "003:697, 004:863-865",
            "a bucket with a target share has no effort, though the mix is within tolerance",
            "No effort is planned for {bucket_en} ({bucket}); a 70:20:10 plan uses all three.",
            "ยังไม่มี{bucket_th} (ร้อยละ {bucket}) แผนแบบ 70:20:10 ควรใช้ครบทั้ง 3 รูปแบบ",
        ),
        _r(
            "D4",
            E,
            "004:1397, 004:1438",
            "at least 10 development days and 3 topics a year (policy)",
            "The plan covers {days} development days ({hours} hours at {per_day} hours a day);"
            " at least {min} days a year are required.",
            "แผนครอบคลุมการพัฒนา {days} วัน ({hours} ชั่วโมง คิดวันละ {per_day} ชั่วโมง)"
            " ต้องไม่น้อยกว่า {min} วันต่อปี",
            topics=(
                "The plan has {count} development topics; at least {min} a year are required.",
                "แผนมีหัวข้อการพัฒนา {count} เรื่อง ต้องไม่น้อยกว่า {min} เรื่องต่อปี",
            ),
        ),
        _r(
            "C6",
            W,
            "003:606, 003:655",
            "present:future effort near 70:30 (policy)",
            "Present work takes {share}% of development time; the guideline is {target}% for"
            " present and {future}% for future work (± {tolerance} points).",
            "การพัฒนาเพื่องานปัจจุบันคิดเป็นร้อยละ {share} ของเวลาพัฒนา ตามหลักการควรเป็น"
            "งานปัจจุบันร้อยละ {target} และงานในอนาคตร้อยละ {future} (± {tolerance})",
        ),
        # IDP2 evaluation
        _r(
            "F2",
            E,
            "004:1665-1670",
            "every plan item is evaluated",
            "Evaluate item {priority} of the plan.",
            "ต้องประเมินผลรายการที่ {priority} ของแผน",
        ),
        _r(
            "P-EVALUATION-ITEM",
            E,
            "004:1665",
            "an evaluation row names one plan item, once",
            "This row names an item the plan does not have, or one already evaluated.",
            "แถวนี้อ้างถึงรายการที่ไม่มีในแผน หรือรายการที่ประเมินไปแล้ว",
        ),
        _r(
            "F3",
            E,
            "004:1667-1670",
            "as planned or not, then continue or revise",
            "Say whether the item went as planned.",
            "ต้องระบุว่าเป็นไปตามแผนหรือไม่เป็นไปตามแผน",
            next_step=(
                "Say whether development continues or the plan is revised.",
                "ต้องระบุว่าให้ดำเนินการพัฒนาต่อหรือปรับแผนการพัฒนาใหม่",
            ),
        ),
        _r(
            "F4",
            E,
            "004:1667",
            "a narrative of progress or obstacles",
            "Describe the progress made, or what kept the item from going to plan.",
            "ต้องอธิบายผล ความก้าวหน้าด้านทักษะ ความรู้ที่พัฒนาขึ้น หรือปัญหาอุปสรรคที่ทำให้ไม่เป็นไปตามแผน",
        ),
        _r(
            "F6",
            W,
            "004:956",
            "an item not going to plan is usually revised",
            "The item did not go to plan: revise it with the supervisor's advice.",
            "รายการนี้ไม่เป็นไปตามแผน ควรขอรับคำแนะนำจากผู้บังคับบัญชาเพื่อปรับแผนการพัฒนา",
        ),
    )
}


def finding(rule_id: str, pointer: str, variant: str = "", **params: Any) -> Finding:
    rule = RULES[rule_id]
    en, th = rule.messages[variant]
    return Finding(
        rule=rule.id,
        severity=rule.severity,
        pointer=pointer,
        message_en=en.format(**params),
        message_th=th.format(**params),
        seed=rule.seed,
        params={k: v for k, v in params.items() if not k.endswith(("_th", "_en"))},
    )
