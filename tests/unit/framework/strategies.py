"""Hypothesis strategies: valid framework versions of random shape (Thai and English text)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from app.domain.framework.model import (
    Citation,
    Crosswalk,
    CrosswalkLink,
    FrameworkContent,
    FrameworkMeta,
    FrameworkRef,
    Item,
    Printed,
    PrintedEntry,
    PrintedUnit,
    Resolution,
    RoleProfile,
)

THAI = "กขคงจฉชซญดตถทนบปผพฟภมยรลวศษสหอฮะาำิีึืุูเแโใไ่้๊๋็์ๆ"
text = st.text(alphabet=THAI + "abcXYZ ()-", min_size=1, max_size=20).map(str.strip).filter(bool)
maybe_text = st.none() | text
source = st.none() | st.builds(lambda f, n: f"{f:03d}:{n}", st.integers(0, 4), st.integers(1, 2000))
citation = st.builds(Citation, text=text, source=source, note=st.none() | text)
resolution = st.builds(
    Resolution,
    defect=st.sampled_from(["misprint", "glued"]),
    printed=text,
    resolved=text,
    note=text,
    source=source,
)
attrs = st.dictionaries(
    st.sampled_from(["number", "group", "x", "book_code"]), st.integers(0, 9) | text, max_size=3
)


def _item(code: str, kind: str, parent: str | None, draw: Any) -> Item:
    return Item(
        code=code,
        kind=kind,
        parent=parent,
        name_th=draw(text),
        name_en=draw(maybe_text),
        description_th=draw(maybe_text),
        attrs=draw(attrs),
        source=draw(source),
        aliases=tuple(draw(st.lists(citation, max_size=2))),
        examples=tuple(draw(st.lists(citation, max_size=2))),
        resolutions=tuple(draw(st.lists(resolution, max_size=1))),
    )


@st.composite
def items(draw: Any) -> list[Item]:
    out: list[Item] = []
    for d in range(draw(st.integers(1, 3))):
        domain = f"D{d}"
        out.append(_item(domain, "domain", None, draw))
        for u in range(draw(st.integers(0, 3))):
            unit = f"{domain}U{u}"
            out.append(_item(unit, "unit", domain, draw))
            for e in range(draw(st.integers(0, 2))):
                element = f"{unit}E{e}"
                out.append(_item(element, "element", unit, draw))
                for c in range(draw(st.integers(0, 2))):
                    out.append(_item(f"{element}.{c}", "criterion", element, draw))
    for kind, prefix in (("knowledge", "K"), ("experience", "E"), ("attribute", "A")):
        for n in range(draw(st.integers(0, 3))):
            out.append(_item(f"{prefix}{n}", kind, None, draw))
    return out


@st.composite
def profiles(draw: Any, content_items: list[Item]) -> list[RoleProfile]:
    units = [i.code for i in content_items if i.kind == "unit"]
    knowledge = [i.code for i in content_items if i.kind == "knowledge"]
    out = []
    for stage in draw(
        st.lists(st.sampled_from(["early", "developing", "mature"]), unique=True, max_size=2)
    ):
        picked_units = (
            draw(st.lists(st.sampled_from(units), unique=True, max_size=3)) if units else []
        )
        picked_k = (
            draw(st.lists(st.sampled_from(knowledge), unique=True, max_size=2)) if knowledge else []
        )
        out.append(
            RoleProfile(
                stage=stage,
                group="academic",
                role_title_th=draw(text),
                role_title_en=draw(maybe_text),
                description_th=draw(maybe_text),
                source=draw(source),
                description_source=draw(source),
                title_aliases=tuple(draw(st.lists(citation, max_size=1))),
                printed=Printed(
                    unit=tuple(
                        PrintedUnit(code=u, printed_code=u, printed_text=u, source=None)
                        for u in picked_units
                    ),
                    knowledge=tuple(
                        PrintedEntry(code=k, printed_text=k, source=None) for k in picked_k
                    ),
                ),
            )
        )
    return out


@st.composite
def contents(draw: Any, *, with_crosswalk: bool = False) -> FrameworkContent:
    content_items = draw(items())
    crosswalks: tuple[Crosswalk, ...] = ()
    units = [i.code for i in content_items if i.kind == "unit"]
    if with_crosswalk and units:
        links = draw(st.lists(st.sampled_from(units), unique=True, min_size=1, max_size=3))
        crosswalks = (
            Crosswalk(
                to=FrameworkRef(key="other", version="1"),
                links=tuple(
                    CrosswalkLink(
                        from_code=u,
                        to_code=f"X{n}",
                        relation="isRelatedTo",
                        note=draw(text),
                        source=None,
                    )
                    for n, u in enumerate(links)
                ),
            ),
        )
    return FrameworkContent(
        meta=FrameworkMeta(
            key="gen",
            version=draw(st.sampled_from(["1", "2561", "2561.1"])),
            title_th=draw(text),
            title_en=draw(maybe_text),
            publisher=draw(maybe_text),
            issued=None,
            source=draw(source),
        ),
        items=tuple(content_items),
        role_profiles=tuple(draw(profiles(content_items))),
        crosswalks=crosswalks,
    )
