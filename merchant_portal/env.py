"""Reading settings from the environment, with messages that name the variable.

A missing or malformed variable stops start-up with ImproperlyConfigured naming it, instead of
a traceback from deep inside a library.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()
_MISSING = object()


def setting(name: str, cast: Callable[[str], Any] = str, default: Any = _MISSING) -> Any:
    raw = env.str(name, default=None)
    if raw is None or raw == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"The environment variable {name} is required but not set.")
        return default
    try:
        return cast(raw)
    except (ValueError, TypeError, ImproperlyConfigured) as error:
        raise ImproperlyConfigured(
            f"The environment variable {name} is malformed ({_without_password(raw)!r}): {error}"
        ) from error


def _without_password(raw: str) -> str:
    """The value as shown in an error message: a URL's password is masked."""
    return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", raw)


def as_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true/false, yes/no, on/off or 1/0")


def as_list(raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def as_int(raw: str) -> int:
    return int(raw.strip())


def as_database_url(raw: str) -> dict:
    parts = urlsplit(raw)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ValueError("expected a postgres:// or postgresql:// URL")
    if not (parts.path.strip("/") or "dbname=" in parts.query):
        raise ValueError("the URL names no database")
    config = environ.Env.db_url_config(raw)
    config["ENGINE"] = "django.db.backends.postgresql"
    return config


def as_broker_url(raw: str) -> str:
    scheme = urlsplit(raw).scheme
    if scheme not in {"redis", "rediss", "redis+socket", "amqp", "amqps", "pyamqp"}:
        raise ValueError("expected a redis://, rediss://, redis+socket:// or amqp:// URL")
    return raw


def as_cache_url(raw: str) -> dict:
    """``locmem://`` (one process) or ``redis://host:6379/1`` (shared by every process)."""
    scheme = urlsplit(raw).scheme
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw}
    raise ValueError("expected locmem:// or a redis:// URL")
