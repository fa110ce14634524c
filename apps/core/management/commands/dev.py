"""Run the whole product in the foreground: web server, Celery worker and beat, and — unless
DATABASE_URL / CELERY_BROKER_URL point elsewhere — the embedded PostgreSQL and Redis.

Their logs are interleaved with a prefix each; Ctrl-C stops everything cleanly, and a second
run reuses the data in .data/.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command

from apps.core import embedded
from apps.core.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_loaded
from apps.core.management.base import PortalCommand

COLOURS = {"web": "36", "worker": "35", "beat": "33", "redis": "31"}


def browsable_host(host: str) -> str:
    """The address to open in a browser for a server bound to ``host``."""
    return "127.0.0.1" if host in {"0.0.0.0", "127.0.0.1"} else host  # noqa: S104


def child_environment(*, host: str, port: int, environ: dict) -> dict:
    """The environment of the processes the runner starts: SITE_URL (the address in emailed
    links) follows the address served, unless it is set already."""
    env = {**environ, "PYTHONUNBUFFERED": "1"}
    env.setdefault("SITE_URL", f"http://{browsable_host(host)}:{port}")
    return env


class Command(PortalCommand):
    help = "Start PostgreSQL/Redis (embedded unless configured), migrate, seed, and run everything."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--no-seed", action="store_true", help="Skip loading the demo store.")

    def handle(self, *args, port, host, no_seed, **options):
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = False
        redis_process = None
        # explicit handlers: a shell may have started us with SIGINT ignored
        signal.signal(signal.SIGINT, lambda *_: self._raise_interrupt())
        signal.signal(signal.SIGTERM, lambda *_: self._raise_interrupt())
        try:
            if getattr(settings, "CELERY_BROKER_IS_EMBEDDED", False):
                if embedded.redis_is_running():
                    self.stdout.write("Embedded Redis is already running; reusing it.")
                else:
                    redis_process = embedded.redis_start(
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
                    )
                    self._pipe("redis", redis_process)
            call_command("migrate", interactive=False, verbosity=1)
            if not no_seed and not demo_loaded():
                call_command("seed_demo")
            env = child_environment(host=host, port=port, environ=dict(os.environ))
            python = sys.executable
            self._start("web", [python, "manage.py", "runserver", f"{host}:{port}"], env)
            self._start(
                "worker",
                [
                    python,
                    "-m",
                    "celery",
                    "-A",
                    "merchant_portal",
                    "worker",
                    "-l",
                    "info",
                    "--concurrency",
                    "2",
                ],
                env,
            )
            self._start(
                "beat",
                [
                    python,
                    "-m",
                    "celery",
                    "-A",
                    "merchant_portal",
                    "beat",
                    "-l",
                    "info",
                    "--schedule",
                    str(embedded.DATA_DIR / "celerybeat-schedule"),
                ],
                env,
            )
            self._banner(host, port)
            while True:
                for name, child in self.children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"{name} exited with code {child.returncode}; stopping.")
                        raise KeyboardInterrupt
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            self._shutdown(redis_process)

    def _raise_interrupt(self):
        raise KeyboardInterrupt

    def _start(self, name: str, command: list[str], env: dict) -> None:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # we stop them ourselves, in order
        )
        self.children[name] = process
        self._pipe(name, process)

    def _pipe(self, name: str, process: subprocess.Popen) -> None:
        colour = COLOURS.get(name, "0")
        prefix = f"\033[{colour}m{name:>6} |\033[0m " if sys.stdout.isatty() else f"{name:>6} | "

        def forward():
            for line in iter(process.stdout.readline, b""):
                sys.stdout.write(prefix + line.decode(errors="replace"))
                sys.stdout.flush()

        threading.Thread(target=forward, daemon=True).start()

    def _banner(self, host: str, port: int) -> None:
        shown = browsable_host(host)
        lines = [
            "",
            f"  Merchant Portal is running at http://{shown}:{port}/",
            f"  Health: http://{shown}:{port}/health/   API docs: http://{shown}:{port}/api/docs/",
            "  Demo logins (password: " + DEMO_PASSWORD + "):",
            *[f"    {role:<8} {email}" for email, _name, role in DEMO_LOGINS],
            "  Press Ctrl-C to stop everything.",
            "",
        ]
        self.stdout.write("\n".join(lines))

    def _shutdown(self, redis_process) -> None:
        if self.stopping:
            return
        self.stopping = True
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        self.stdout.write("\nStopping…")
        for child in self.children.values():
            if child.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for name, child in self.children.items():
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{name} did not stop in time; killing it.")
                os.killpg(child.pid, signal.SIGKILL)
        if redis_process is not None:
            embedded.redis_stop(redis_process)
        if settings.DATABASE_IS_EMBEDDED:
            from django.db import connections

            connections.close_all()
            embedded.postgres_stop()
        self.stdout.write("Stopped. Your data stays in .data/ for the next run.")
