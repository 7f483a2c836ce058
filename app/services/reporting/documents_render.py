"""Typesetting: Typst (``typst`` on PyPI) shapes Thai (vowels and tone marks placed, lines broken
at word boundaries) and writes PDF. Templates live in ``templates/``; the data reaches them as
JSON through ``sys.inputs``, so no stored text is ever read as markup."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import typst

from app.services.reporting import documents_fonts

TEMPLATES = Path(__file__).parent / "templates"


def render_sync(template: str, data: dict[str, Any]) -> bytes:
    folder = documents_fonts.require()
    pdf = typst.compile(
        str(TEMPLATES / template),
        root=str(TEMPLATES),
        font_paths=[str(folder)],
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )
    assert isinstance(pdf, bytes)
    return pdf


async def render(template: str, data: dict[str, Any]) -> bytes:
    """The PDF of ``template`` filled with ``data``, typeset off the event loop."""
    documents_fonts.require()
    return await asyncio.to_thread(render_sync, template, data)
