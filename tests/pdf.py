"""Reading the PDFs Thaksa prints: their text layer and the ruled structure of their pages."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pytest

from app.services.reporting import documents_fonts


def need_font() -> None:
    """Skip (saying why in one line) when the Thai font is absent, except in CI: there the
    project's set-up must have installed it, so its absence fails."""
    why = documents_fonts.missing()
    if why is None:
        return
    if os.environ.get("CI"):
        pytest.fail(why)
    pytest.skip(why)


def squeeze(value: str) -> str:
    """NFC without white space: a PDF places words rather than storing the spaces between them
    (a reader guesses them from the gaps), and the layout breaks lines inside a Thai phrase."""
    return "".join(unicodedata.normalize("NFC", value).split())


def text(pdf: bytes) -> str:
    """Every page's text, squeezed (see ``squeeze``): compare it with ``squeeze(expected)``."""
    doc = pdfium.PdfDocument(pdf)
    return squeeze("".join(doc[i].get_textpage().get_text_range() for i in range(len(doc))))


@dataclass(frozen=True)
class Page:
    width: int
    height: int
    rows: list[int]  # y of each horizontal rule (long dark line)
    pixels: bytes
    stride: int

    def dark(self, x: int, y: int) -> bool:
        return self.pixels[y * self.stride + x] < 128

    def vertical_rules(self, top: int, bottom: int) -> list[int]:
        """x of each line dark from ``top`` to ``bottom`` (the column rules of a table row)."""
        found: list[int] = []
        for x in range(self.width):
            far = not found or x - found[-1] > 2
            if far and all(self.dark(x, y) for y in range(top, bottom)):
                found.append(x)
        return found


def pages(pdf: bytes, scale: float = 1.5) -> list[Page]:
    doc = pdfium.PdfDocument(pdf)
    out = []
    for i in range(len(doc)):
        bitmap = doc[i].render(scale=scale, grayscale=True)
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        pixels = bytes(bitmap.buffer)
        rows: list[int] = []
        for y in range(height):
            line = pixels[y * stride : y * stride + width]
            if sum(1 for v in line if v < 128) > 0.6 * width and (not rows or y - rows[-1] > 2):
                rows.append(y)
        out.append(Page(width, height, rows, pixels, stride))
    return out
