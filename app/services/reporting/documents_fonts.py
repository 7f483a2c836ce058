"""The Thai face the printed documents use, and how the project installs it.

Laksaman (Debian's ``fonts-tlwg-laksaman-otf``, GPL-2+ with the font exception, from the
TLWG fonts, derived from TH Sarabun New, the Thai government's standard face). ``thaksa fonts
install`` puts its four OpenType files in the fonts folder (``THAKSA_FONTS_DIR``), taking them,
in this order, from the folder itself when already there, from the machine's own copy of the
package, or from the package downloaded with ``apt-get download`` and unpacked with
``dpkg-deb -x``; every file is checked against the SHA-256 recorded here. Without the files the
document endpoints answer 503 (``Unavailable``) saying how to install them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.domain.errors import Unavailable
from app.settings import get_settings

PACKAGE = "fonts-tlwg-laksaman-otf"
PACKAGE_VERSION = "1:0.7.3-1"
FAMILY = "Laksaman"
# The files of fonts-tlwg-laksaman-otf 1:0.7.3-1 and their SHA-256.
FILES: dict[str, str] = {
    "Laksaman.otf": "c4c289499629071d26ce17d3e86a899a900081ae3759389d283fd3a320be92ec",
    "Laksaman-Bold.otf": "008fc465bb8002f4809e12f9ade60dc22037adad7c017bf6f0ef3a75d32ea291",
    "Laksaman-Italic.otf": "1bdda385e3a7cbeda14aff43b988da466326dd50ebc9e4fb53146d276c98723c",
    "Laksaman-BoldItalic.otf": "f0eaedf6aa4f362e2d0b86afa99229e076c91749084dd23773853be869dd2a38",
}
SYSTEM_DIR = Path("/usr/share/fonts/opentype/tlwg")
INSIDE_PACKAGE = Path("usr/share/fonts/opentype/tlwg")
LICENCE_INSIDE_PACKAGE = Path(f"usr/share/doc/{PACKAGE}/copyright")
INSTALL_HINT = "run `thaksa fonts install` (or `make install`)"


class FontInstallFailed(Exception):
    pass


def fonts_dir() -> Path:
    return get_settings().fonts_dir


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _complete(folder: Path) -> bool:
    return all((folder / n).is_file() and _sha256(folder / n) == h for n, h in FILES.items())


def missing(folder: Path | None = None) -> str | None:
    """Why documents cannot be printed (one line), or None when the font is in place."""
    folder = folder or fonts_dir()
    absent = [n for n in FILES if not (folder / n).is_file()]
    if absent:
        return f"the Thai font {FAMILY} is not installed in {folder}: {INSTALL_HINT}"
    return None


def require() -> Path:
    """The fonts folder, or ``Unavailable`` (503) saying how to install the font."""
    folder = fonts_dir()
    why = missing(folder)
    if why is not None:
        raise Unavailable(f"documents cannot be printed: {why}", font=FAMILY)
    return folder


@dataclass(frozen=True, slots=True)
class Installed:
    folder: Path
    source: str  # "present", "system" or "download"


def _copy_from(source: Path, target: Path) -> bool:
    if not all((source / n).is_file() and _sha256(source / n) == h for n, h in FILES.items()):
        return False
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        shutil.copyfile(source / name, target / name)
    return True


def _run(program: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a system tool by its full path, with fixed arguments (no shell)."""
    found = shutil.which(program)
    if found is None:
        raise FontInstallFailed(
            f"{program} is not available; download {PACKAGE} and run "
            "`thaksa fonts install --deb FILE`"
        )
    return subprocess.run(  # noqa: S603 - a system tool with arguments fixed here
        [found, *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def _download(work: Path) -> Path:
    """``apt-get download`` of the package into ``work`` (the package lists refreshed first
    when they do not know it and this runs as root, as on a fresh machine)."""
    pinned = f"{PACKAGE}={PACKAGE_VERSION}"
    done = _run("apt-get", "download", pinned, cwd=work)
    if done.returncode != 0 and os.geteuid() == 0:
        _run("apt-get", "update", "-qq")
        done = _run("apt-get", "download", pinned, cwd=work)
    if done.returncode != 0:  # another version of the package: its files are checked after
        done = _run("apt-get", "download", PACKAGE, cwd=work)
    found = sorted(work.glob("*.deb"))
    if done.returncode != 0 or not found:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise FontInstallFailed(
            f"apt-get download {PACKAGE} failed: {detail[-1] if detail else 'no package'}"
        )
    return found[0]


def install(target: Path | None = None, *, deb: Path | None = None) -> Installed:
    """Put the font's files in ``target`` (default: the fonts folder), verified."""
    target = target or fonts_dir()
    if _complete(target):
        return Installed(target, "present")
    if deb is None and _copy_from(SYSTEM_DIR, target):
        return Installed(target, "system")
    with tempfile.TemporaryDirectory(prefix="thaksa-fonts-") as tmp:
        work = Path(tmp)
        if deb is None:
            deb = _download(work)
        unpacked = work / "unpacked"
        done = _run("dpkg-deb", "-x", str(deb), str(unpacked))
        if done.returncode != 0:
            raise FontInstallFailed(f"dpkg-deb could not unpack {deb.name}: {done.stderr.strip()}")
        if not _copy_from(unpacked / INSIDE_PACKAGE, target):
            raise FontInstallFailed(
                f"the font files in {deb.name} do not match the recorded checksums"
            )
        licence = unpacked / LICENCE_INSIDE_PACKAGE
        if licence.is_file():
            shutil.copyfile(licence, target / "COPYRIGHT")
    return Installed(target, "download")
