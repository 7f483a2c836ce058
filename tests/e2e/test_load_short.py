"""The load suite's short form (the full one is ``make load``): a real ``thaksa serve`` with
demo data under the whole mix of virtual users for 30 seconds; any failed request fails."""

from __future__ import annotations

import os
import subprocess
import sys

from app.settings import REPO_ROOT


def test_thirty_seconds_of_the_mix_without_an_error() -> None:
    env = {
        **os.environ,
        "LOAD_SECONDS": "30",
        "LOAD_USERS": "40",
        "LOAD_PEOPLE": "150",
        "LOAD_REPORT": "load-short",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bench.load"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert "failures: 0, exceptions: 0" in done.stdout
