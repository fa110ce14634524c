"""The real stack on loopback for the benchmark: its own PostgreSQL database, a Redis of its own
(cache and broker), data through ``manage.py seed_demo``, and gunicorn.

Everything here runs before ``django.setup()``: it sets the environment the benchmark process
and its children (migrate, seed_demo, gunicorn) read.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.bench import measure

PROJECT = Path(__file__).resolve().parents[3]
# seed_demo's scales behind the benchmark's: "small" is seed_demo's medium (10,000 products /
# 30,000 variants, 50,000 orders / 20,000 customers), "large" is seed_demo's large (100,000 /
# 300,000, 1,000,000 orders / 400,000 customers)
SEED_SCALE = {"small": "medium", "large": "large"}
# the storefront limit per key (1200/min by default) would answer most of a load test 429
LOAD_TEST_RATE = "100000000/min"


def database_url(scale: str) -> str:
    """The URL of the benchmark's own database ``mp_bench_<scale>`` on the project's server
    (DATABASE_URL's, else the embedded one, started if needed)."""
    server = os.environ.get("DATABASE_URL")
    if not server:
        from apps.core import embedded  # imports no Django

        server = embedded.postgres_url()
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/mp_bench_{scale}"))


def database_prepare(url: str, *, reuse: bool) -> bool:
    """Create the database (dropped first unless ``reuse``); True when it existed and is kept."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            return True
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return False


def redis_start() -> tuple[subprocess.Popen | None, str]:
    """A Redis of the benchmark's own on a unix socket (unless CACHE_URL is set): its process
    (None when not started here) and the socket path."""
    from apps.core import embedded

    path = embedded.DATA_DIR / "bench-redis.sock"
    if embedded.redis_is_running(path):
        return None, str(path)
    process = embedded.redis_start(
        path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    return process, str(path)


def redis_stop(process: subprocess.Popen | None, path: str) -> None:
    if process is not None:
        from apps.core import embedded

        embedded.redis_stop(process, Path(path))


def environment(*, url: str, redis_socket: str | None) -> None:
    """What the benchmark and its children read: the bench database, Redis as the shared cache
    and broker, DEBUG off and connections kept 60 s (as in production), the storefront limit
    out of the way."""
    os.environ["DATABASE_URL"] = url
    os.environ["DATABASE_CONN_MAX_AGE"] = "60"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "merchant_portal.settings")
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["STOREFRONT_RATE"] = LOAD_TEST_RATE
    os.environ.pop("MERCHANT_PORTAL_EMBEDDED_BROKER", None)
    if redis_socket:
        os.environ["CACHE_URL"] = f"unix://{redis_socket}"
        os.environ["CELERY_BROKER_URL"] = f"redis+socket://{redis_socket}"


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, check=True)


def seed(scale: str) -> dict:
    """migrate + ``seed_demo --scale …`` in child processes: seconds and the peak RSS."""
    started = time.perf_counter()
    manage("migrate", "-v0")
    migrated = time.perf_counter()
    manage("seed_demo", "--scale", SEED_SCALE[scale])
    return {
        "migrate_s": round(migrated - started, 1),
        "seed_s": round(time.perf_counter() - migrated, 1),
        "peak_rss_mb": round(measure.children_peak_rss_mb(), 1),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """``gunicorn merchant_portal.wsgi`` on 127.0.0.1 with ``workers`` sync workers."""

    def __init__(self, *, workers: int):
        self.workers = workers
        self.port = free_port()
        # closed in __exit__; kept afterwards for a look when gunicorn failed
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="bench-gunicorn-", suffix=".log", delete=False
        )
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "merchant_portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],  # fmt: skip
            cwd=PROJECT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log.name}")
            try:
                urllib.request.urlopen(self.base + "/login/", timeout=2).read()  # noqa: S310 (http)
                if len(self.worker_pids()) >= self.workers:
                    return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer within 60 s")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def workers_peak_rss_mb(self) -> float:
        return round(max((measure.peak_rss_mb(pid) for pid in self.worker_pids()), default=0), 1)

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
