"""Where the real files made by other software live (bookmark exports, skills taxonomies...).

They sit beside the repository in ../shared/data on the machines this project is built on; CI's clean
clone may be elsewhere, so the usual absolute place and a WATERCOOLER_SHARED_DATA override are tried too.
"""

import os
from pathlib import Path


def _find() -> Path:
    candidates = [
        os.environ.get("WATERCOOLER_SHARED_DATA", ""),
        Path(__file__).resolve().parents[2] / "shared" / "data",
        "/work/shared/data",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    raise RuntimeError("The shared test data (../shared/data) is missing; set WATERCOOLER_SHARED_DATA.")


SHARED_DATA = _find()
