"""Typed readers for settings taken from environment variables.

A secret may instead come from a file: ``SECRET_KEY_FILE=/run/secrets/key`` is read when
``SECRET_KEY`` is unset, as container orchestrators mount secrets that way.
"""

import os
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    value = os.environ.get(name)
    if value is None:
        path = os.environ.get(f"{name}_FILE")
        if path:
            return Path(path).read_text().strip()
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    return int(value) if value else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = env_str(name)
    if not value:
        return list(default or [])
    return [part.strip() for part in value.split(",") if part.strip()]
