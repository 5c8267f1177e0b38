"""Settings: one table of values, layered defaults < nonmun.toml < NONMUN_* env < flags.

A *hub* is a directory that holds ``nonmun.db`` (the SQLite default) and an
optional ``nonmun.toml``. ``NONMUN_DATABASE_URL`` (or ``database_url`` in the
file) points the hub at PostgreSQL instead.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from nonmun.errors import InputError

CONFIG_FILE = "nonmun.toml"
DB_FILE = "nonmun.db"


def redact(url: str) -> str:
    """The URL with its password hidden, fit for an error message."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


@dataclass(frozen=True)
class Settings:
    """Every tunable of nonmun, with its default."""

    hub: Path = Path(".")
    database_url: str | None = None
    arxiv_api_url: str = "https://export.arxiv.org/api/query"
    arxiv_delay: float = 3.0
    arxiv_timeout: float = 30.0
    arxiv_retries: int = 3
    import_batch_size: int = 5000
    lock_timeout: float = 3600.0  # how long a writer waits for another to finish
    fetch_deadline: float = 60.0  # the most a URL may take to arrive, whole
    # the published site (nonmun build)
    site_title: str = "nonmun"
    base_url: str = "http://127.0.0.1:8000/"  # where the site will be served: canonical links
    ui_language: str = "ko"  # of the site's words and dates: ko or en
    page_size: int = 20  # items on one page of a list

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the hub's database."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.hub / DB_FILE).resolve()}"

    @property
    def url_for_display(self) -> str:
        """The database URL without its password."""
        return redact(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


_FIELD_TYPES = {f.name: f.type for f in fields(Settings)}


def _coerce(name: str, value: Any, origin: str) -> Any:
    kind = _FIELD_TYPES[name]
    try:
        if kind in ("float",):
            return float(value)
        if kind in ("int",):
            return int(value)
        if kind in ("Path",):
            return Path(value)
        return None if value in ("", None) else str(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a {kind}, got {value!r}", source=origin) from None


def load_settings(hub: Path | None = None, **flags: Any) -> Settings:
    """Build the settings for ``hub`` from its file, the environment and ``flags``."""
    env_hub = os.environ.get("NONMUN_HUB")
    hub_dir = hub if hub is not None else Path(env_hub) if env_hub else Path(".")
    values: dict[str, Any] = {"hub": hub_dir}
    values.update(_from_file(hub_dir / CONFIG_FILE))
    for name in _FIELD_TYPES:
        env = os.environ.get(f"NONMUN_{name.upper()}")
        if env is not None and name != "hub":
            values[name] = _coerce(name, env, f"NONMUN_{name.upper()}")
    values.update({k: v for k, v in flags.items() if v is not None})
    settings = replace(Settings(), **values)
    _check(settings)
    return settings


_POSITIVE = ("import_batch_size", "arxiv_timeout", "fetch_deadline", "page_size")
UI_LANGUAGES = ("ko", "en")
_NOT_NEGATIVE = ("arxiv_delay", "arxiv_retries", "lock_timeout")


def _check(settings: Settings) -> None:
    """Values that would make nonmun misbehave are errors that name the setting."""
    for name in (*_POSITIVE, *_NOT_NEGATIVE):
        value = getattr(settings, name)
        if value < 0 or (value == 0 and name in _POSITIVE):
            bound = "greater than 0" if name in _POSITIVE else "0 or more"
            raise InputError(f"{name} must be {bound}, got {value}", source=_origin(name))
    if settings.ui_language not in UI_LANGUAGES:
        raise InputError(
            f"ui_language must be one of {', '.join(UI_LANGUAGES)}, got {settings.ui_language!r}",
            source=_origin("ui_language"),
        )
    if not settings.base_url.startswith(("http://", "https://")):
        raise InputError(
            f"base_url must start with http:// or https://, got {settings.base_url!r}",
            source=_origin("base_url"),
        )
    if settings.hub.exists() and not settings.hub.is_dir():
        raise InputError(
            "not a folder: a hub is a folder that holds nonmun.db", source=str(settings.hub)
        )


def _origin(name: str) -> str:
    env = f"NONMUN_{name.upper()}"
    return env if env in os.environ else name


def _from_file(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot read settings: {exc}", source=str(path)) from None
    unknown = sorted(set(data) - set(_FIELD_TYPES) - {"hub"})
    if unknown:
        raise InputError(f"unknown setting(s): {', '.join(unknown)}", source=str(path))
    return {k: _coerce(k, v, str(path)) for k, v in data.items() if k != "hub"}
