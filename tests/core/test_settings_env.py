"""Settings from the environment: a missing or malformed variable stops start-up and names it;
production settings pass ``check --deploy``.

Each case starts a fresh Python with a controlled environment (the settings module is read once
per process). They run concurrently to keep the suite fast.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SETUP = "import django; django.setup(); print('started')"


def _database_url() -> str:
    # the test run's own server (embedded, or the one CI names); settings exported it
    return os.environ["DATABASE_URL"]


def _production_env(**overrides) -> dict[str, str]:
    env = {
        "MERCHANT_PORTAL_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64)[:50],
        "DJANGO_ALLOWED_HOSTS": "portal.example.com",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": "redis://localhost:6379/0",
        "EMAIL_HOST": "smtp.example.com",
        "SITE_URL": "https://portal.example.com",
        "DEFAULT_FROM_EMAIL": "Portal <portal@example.com>",
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def _dev_env(**overrides) -> dict[str, str]:
    env = {"DATABASE_URL": _database_url(), **overrides}
    return {name: value for name, value in env.items() if value is not None}


# name → (environment, variable the message must name, words it must say)
CASES = {
    "production-without-secret-key": (
        _production_env(DJANGO_SECRET_KEY=None),
        "DJANGO_SECRET_KEY",
        "is required but not set",
    ),
    "production-without-allowed-hosts": (
        _production_env(DJANGO_ALLOWED_HOSTS=None),
        "DJANGO_ALLOWED_HOSTS",
        "is required but not set",
    ),
    "production-without-database-url": (
        _production_env(DATABASE_URL=None),
        "DATABASE_URL",
        "is required but not set",
    ),
    "production-without-broker-url": (
        _production_env(CELERY_BROKER_URL=None),
        "CELERY_BROKER_URL",
        "is required but not set",
    ),
    "production-without-email-host": (
        _production_env(EMAIL_HOST=None),
        "EMAIL_HOST",
        "is required but not set",
    ),
    "production-without-sender": (
        _production_env(DEFAULT_FROM_EMAIL=None),
        "DEFAULT_FROM_EMAIL",
        "is required but not set",
    ),
    "malformed-cache-url": (
        _dev_env(CACHE_URL="memcached://cache:11211"),
        "CACHE_URL",
        "is malformed ('memcached://cache:11211'): expected locmem:// or a redis:// URL",
    ),
    "production-without-site-url": (
        _production_env(SITE_URL=None),
        "SITE_URL",
        "is required but not set",
    ),
    "garbage-database-url": (
        _dev_env(DATABASE_URL="garbage"),
        "DATABASE_URL",
        "is malformed ('garbage'): expected a postgres:// or postgresql:// URL",
    ),
    "database-url-naming-no-database": (
        _dev_env(DATABASE_URL="postgres://user:secret@db.example.com:5432/"),
        "DATABASE_URL",
        "the URL names no database",
    ),
    "debug-maybe": (
        _dev_env(DJANGO_DEBUG="maybe"),
        "DJANGO_DEBUG",
        "is malformed ('maybe'): expected true/false",
    ),
    "environment-staging": (
        _dev_env(MERCHANT_PORTAL_ENV="staging"),
        "MERCHANT_PORTAL_ENV",
        "is malformed ('staging'): expected 'dev' or 'production'",
    ),
    "broker-url-http": (
        _dev_env(CELERY_BROKER_URL="http://localhost:6379"),
        "CELERY_BROKER_URL",
        "is malformed ('http://localhost:6379')",
    ),
}


def _start(argv: list[str], env: dict[str, str]) -> subprocess.Popen:
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(BASE_DIR)),
        "DJANGO_SETTINGS_MODULE": "merchant_portal.settings",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    return subprocess.Popen(
        [sys.executable, *argv],
        cwd=BASE_DIR,
        env={**base, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(scope="module")
def outcomes():
    """Start every case at once; ``outcomes[name]`` → (exit code, stdout, stderr)."""
    processes = {name: _start(["-c", SETUP], env) for name, (env, _, _) in CASES.items()}
    processes["check-deploy"] = _start(["manage.py", "check", "--deploy"], _production_env())
    results = {}
    for name, process in processes.items():
        stdout, stderr = process.communicate(timeout=120)
        results[name] = (process.returncode, stdout, stderr)
    return results


@pytest.mark.parametrize("case", sorted(CASES))
def test_start_up_stops_with_a_message_naming_the_variable(outcomes, case):
    _env, variable, words = CASES[case]
    returncode, stdout, stderr = outcomes[case]

    assert returncode != 0
    assert "started" not in stdout
    assert f"ImproperlyConfigured: The environment variable {variable} " in stderr
    assert words in stderr


def test_production_settings_pass_check_deploy(outcomes):
    returncode, stdout, stderr = outcomes["check-deploy"]

    assert returncode == 0, stderr
    assert stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNINGS" not in stderr


def test_a_malformed_urls_password_is_masked_in_the_message(outcomes):
    _returncode, _stdout, stderr = outcomes["database-url-naming-no-database"]

    assert "secret" not in stderr
    assert "('postgres://user:***@db.example.com:5432/'): the URL names no database" in stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [(_dev_env(), "0"), (_production_env(), "60"), (_dev_env(DATABASE_CONN_MAX_AGE="30"), "30")],
    ids=["dev", "production", "dev-set"],
)
def test_dev_closes_database_connections_after_each_request(env, expected):
    """runserver starts a thread per request: kept connections would pile up until PostgreSQL
    refuses new ones (Django's documentation warns of it), so dev keeps none by default."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    )
    stdout, stderr = _start(["-c", code], env).communicate(timeout=60)

    assert stdout.strip() == expected, stderr
