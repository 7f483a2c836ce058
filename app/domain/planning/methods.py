"""The vocabulary of development methods and their 70:20:10 buckets.

Every method the seeds name has a stable code. The lists are 004:863-865 (plan chapter 4),
004:968-995 (IDP process, chapter 6), the 70:20:10 appendix 004:1444-1636, the IDP1 form
004:1646-1647 and the curriculum columns 004:1152 (rules C2-C5, C11).

Two methods look alike and are deliberately kept apart (rule C5): an *online course*
(a formal e-learning training course, bucket 10 in 004:1425, 1610, 1618 and on IDP1 004:1647)
and *e-learning & implementation* (learning online while applying it at work, bucket 70 in
004:863, 970 and the curriculum column "Online / E-Learning" 004:1152). An agency that counts
online courses as 70 says so in its policy (``PlanningPolicy.online_course_bucket``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Bucket(IntEnum):
    """The three ways of learning, named by their target share (003:697; 004:863-865)."""

    DOING = 70  # learning by doing and self-learning at work
    OTHERS = 20  # learning from others: coaching, mentoring, consulting, feedback
    TRAINING = 10  # formal training: classroom, seminar, scholarship, online courses


BUCKET_NAMES: dict[Bucket, tuple[str, str]] = {
    Bucket.DOING: ("การเรียนรู้และพัฒนาด้วยตนเองและจากการปฏิบัติงาน", "learning by doing"),
    Bucket.OTHERS: ("การเรียนรู้จากผู้อื่นและการสอนงาน", "learning from others"),
    Bucket.TRAINING: ("การเรียนรู้จากการฝึกอบรม", "formal training"),
}


@dataclass(frozen=True, slots=True)
class DevelopmentMethod:
    code: str
    name_th: str
    name_en: str
    bucket: Bucket
    seeds: tuple[str, ...]
    # Formal training whose design splits time between lecture and other formats, so its
    # planned lecture share is stated and limited (rule C7: 003:705; 004:240, 882).
    has_lecture_share: bool = False


ONLINE_COURSE = "online_course"

_D, _O, _T = Bucket.DOING, Bucket.OTHERS, Bucket.TRAINING

METHODS: tuple[DevelopmentMethod, ...] = (
    # 70: learning by doing (004:863, 968-981, 1448-1534; IDP1 first column 004:1647)
    DevelopmentMethod(
        "e_learning_implementation",
        "การเรียนรู้แบบออนไลน์และฝึกปฏิบัติ",
        "E-learning & implementation",
        _D,
        ("004:863", "004:970", "004:1152"),
    ),
    DevelopmentMethod(
        "self_learning_implementation",
        "การเรียนรู้ด้วยตนเองและฝึกปฏิบัติ",
        "Self-learning & implementation",
        _D,
        ("004:863", "004:978", "004:1448", "004:1534", "003:703"),
    ),
    DevelopmentMethod(
        "on_the_job_training",
        "การเรียนรู้จากการปฏิบัติงานจริง",
        "On-the-job training",
        _D,
        ("004:863", "004:971", "004:1450", "003:703"),
    ),
    DevelopmentMethod(
        "job_assignment",
        "การมอบหมายงาน",
        "Job assignment",
        _D,
        ("004:1462", "004:1647"),
    ),
    DevelopmentMethod(
        "project_assignment",
        "การมอบหมายโครงการ",
        "Project assignment",
        _D,
        ("004:863", "004:974", "004:1474"),
    ),
    DevelopmentMethod("job_enrichment", "การเพิ่มคุณค่าในงาน", "Job enrichment", _D, ("004:972",)),
    DevelopmentMethod(
        "job_enlargement",
        "การเพิ่มปริมาณงาน",
        "Job enlargement",
        _D,
        ("004:863", "004:973", "004:1448"),
    ),
    DevelopmentMethod(
        "job_rotation",
        "การหมุนเวียนงาน",
        "Job rotation",
        _D,
        ("004:863", "004:975", "004:1506"),
    ),
    DevelopmentMethod(
        "job_shadowing",
        "การติดตาม/สังเกต",
        "Job shadowing",
        _D,
        ("004:863", "004:976", "004:1448"),
    ),
    DevelopmentMethod(
        "work_shadow",
        "การติดตามเรียนรู้การทำงานของผู้บริหาร",
        "Work shadow (following an executive role model)",
        _D,
        ("004:1494",),
    ),
    DevelopmentMethod(
        "activity", "การทำกิจกรรม", "Activity", _D, ("004:863", "004:977", "004:1448")
    ),
    DevelopmentMethod(
        "internal_trainer",
        "การเป็นวิทยากรภายใน",
        "Internal trainer",
        _D,
        ("004:863", "004:979", "004:1518"),
    ),
    DevelopmentMethod(
        "site_visit",
        "การดูงานนอกสถานที่",
        "Site visit",
        _D,
        ("004:863", "004:980", "004:1486"),
    ),
    DevelopmentMethod(
        "benchmarking",
        "การเปรียบเทียบกับคู่แข่ง/คู่เปรียบเทียบ",
        "Benchmarking",
        _D,
        ("004:863", "004:981", "004:1448"),
    ),
    DevelopmentMethod(
        "problem_solving", "การลงมือแก้ไขปัญหา", "Problem solving", _D, ("004:863", "004:1448")
    ),
    DevelopmentMethod("team_working", "การทำงานเป็นทีม", "Team working", _D, ("004:863", "004:1448")),
    DevelopmentMethod(
        "work_manual",
        "การจัดทำคู่มือในการทำงาน",
        "Writing work manuals and documents",
        _D,
        ("004:1448",),
    ),
    # 20: learning from others (004:864, 983-989, 1536-1608; IDP1 004:1647)
    DevelopmentMethod(
        "coaching", "การสอนงาน", "Coaching", _O, ("004:864", "004:985", "004:1552", "004:1647")
    ),
    DevelopmentMethod(
        "mentoring_program",
        "โปรแกรมพี่เลี้ยง",
        "Mentoring programme",
        _O,
        ("004:864", "004:986", "004:1538", "004:1647"),
    ),
    DevelopmentMethod(
        "consulting",
        "การให้คำปรึกษาแนะนำ",
        "Consulting (individual or group)",
        _O,
        ("004:864", "004:987", "004:1584-1608", "004:1647"),
    ),
    DevelopmentMethod(
        "feedback",
        "การให้ข้อมูลป้อนกลับโดยหัวหน้าหรือผู้บริหาร",
        "Feedback by a supervisor or executive",
        _O,
        ("004:864", "004:988", "004:1536"),
    ),
    DevelopmentMethod(
        "counterpart",
        "การฝึกงานกับผู้เชี่ยวชาญในงาน",
        "Counterpart (working alongside an expert)",
        _O,
        ("004:864", "004:989", "004:1536"),
    ),
    DevelopmentMethod("team_meeting", "การประชุมทีม", "Team meeting", _O, ("004:864", "004:1536")),
    # 10: formal training (004:865, 991-995, 1610-1636; IDP1 004:1647)
    DevelopmentMethod(
        "classroom_training",
        "การฝึกอบรมในห้องเรียน",
        "Classroom training",
        _T,
        ("004:993", "004:1612", "004:1647", "003:703", "003:705"),
        has_lecture_share=True,
    ),
    DevelopmentMethod(
        "in_house_training",
        "การอบรมภายใน",
        "In-house training",
        _T,
        ("004:1614",),
        has_lecture_share=True,
    ),
    DevelopmentMethod(
        "public_training",
        "การอบรมภายนอก",
        "Public training",
        _T,
        ("004:1616",),
        has_lecture_share=True,
    ),
    DevelopmentMethod(
        ONLINE_COURSE,
        "การเรียนหลักสูตรฝึกอบรมออนไลน์",
        "Online training course",
        _T,
        ("004:1425", "004:1610", "004:1618", "004:1647"),
        has_lecture_share=True,
    ),
    DevelopmentMethod(
        "meeting_seminar",
        "การประชุม/สัมมนา",
        "Meeting / seminar",
        _T,
        ("004:865", "004:994", "004:1620"),
        has_lecture_share=True,
    ),
    # A scholarship is a course of study the agency funds but does not design, so no lecture
    # share is planned for it.
    DevelopmentMethod(
        "scholarship",
        "การให้ทุนการศึกษา",
        "Scholarship",
        _T,
        ("004:865", "004:995", "004:1610"),
    ),
)

METHODS_BY_CODE: dict[str, DevelopmentMethod] = {m.code: m for m in METHODS}


def method_by_code(code: str) -> DevelopmentMethod | None:
    return METHODS_BY_CODE.get(code)


def bucket_of(method: DevelopmentMethod, online_course_bucket: Bucket = Bucket.TRAINING) -> Bucket:
    """The method's bucket under an agency's choice for online courses (rule C5)."""
    if method.code == ONLINE_COURSE:
        return online_course_bucket
    return method.bucket
