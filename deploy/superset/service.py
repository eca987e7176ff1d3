"""Start, stop and check the local Superset: `python service.py start|stop|status`.

Runs with Superset's own virtualenv (.venv-superset). `make superset`, `make superset-stop`
and the test suite call it, so a test starts Superset exactly as a person does.

start: initialize the metadata database (migrations, permissions, the admin account from
SUPERSET_ADMIN_USER / SUPERSET_ADMIN_PASSWORD), launch gunicorn in the background on
SUPERSET_BIND_HOST:SUPERSET_PORT (127.0.0.1:8088) and return once /health answers.
Metadata, logs and the pid file live in SUPERSET_HOME (default $TMT_HOME/superset).
"""
from __future__ import annotations

import ipaddress
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
START_TIMEOUT_S = 180
LOCAL_ADMIN = ("admin", "admin")  # documented local defaults, refused in production


def _home() -> Path:
    if os.environ.get("SUPERSET_HOME"):
        return Path(os.environ["SUPERSET_HOME"]).resolve()
    tmt_home = Path(os.environ.get("TMT_HOME") or Path.cwd() / "data")
    return (tmt_home / "superset").resolve()


def _address() -> tuple[str, int]:
    return (os.environ.get("SUPERSET_BIND_HOST") or "127.0.0.1",
            int(os.environ.get("SUPERSET_PORT") or 8088))


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def _refusal(env: dict[str, str], host: str) -> str | None:
    """Why this Superset must not start: the documented admin/admin on an address others
    can reach (a non-loopback bind, 0.0.0.0 included), set or left as the default."""
    admin = (env.get("SUPERSET_ADMIN_USER") or LOCAL_ADMIN[0],
             env.get("SUPERSET_ADMIN_PASSWORD") or LOCAL_ADMIN[1])
    if not _loopback(host) and (admin[1] == LOCAL_ADMIN[1] or admin == LOCAL_ADMIN):
        return (f"service.py: refusing to serve on {host} with the default admin password: "
                "set SUPERSET_ADMIN_USER and SUPERSET_ADMIN_PASSWORD")
    return None


def _environment(home: Path) -> dict[str, str]:
    env = dict(os.environ, SUPERSET_HOME=str(home),
               SUPERSET_CONFIG_PATH=str(HERE / "superset_config.py"),
               FLASK_APP="superset.app:create_app()", PYTHONUNBUFFERED="1")
    production = env.get("SUPERSET_ENV") == "production"
    if not env.get("SUPERSET_SECRET_KEY"):
        key_file = home / "secret_key"
        if production:
            sys.exit("service.py: SUPERSET_SECRET_KEY is not set (required in production)")
        if not key_file.exists():  # a random key kept beside the local metadata
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
    for name, default in zip(("SUPERSET_ADMIN_USER", "SUPERSET_ADMIN_PASSWORD"), LOCAL_ADMIN):
        if not env.get(name):
            if production:
                sys.exit(f"service.py: {name} is not set (required in production)")
            env[name] = default
    return env


def _pid(home: Path) -> int | None:
    try:
        pid = int((home / "superset.pid").read_text())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None


def _healthy(host: str, port: int) -> bool:
    probe = "127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else host
    if ":" in probe:
        probe = f"[{probe}]"
    # As the TLS proxy would say it: with SUPERSET_HTTPS, plain http is redirected
    request = urllib.request.Request(f"http://{probe}:{port}/health",
                                     headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def initialize() -> None:
    """Migrations, roles and permissions, admin account: idempotent, in one process."""
    import flask_migrate
    from superset.app import create_app

    app = create_app()
    with app.app_context():
        from superset import appbuilder, security_manager
        from superset.extensions import db

        flask_migrate.upgrade()
        appbuilder.add_permissions(update_perms=True)
        security_manager.sync_role_definitions()
        name, password = os.environ["SUPERSET_ADMIN_USER"], os.environ["SUPERSET_ADMIN_PASSWORD"]
        admin = security_manager.find_user(username=name)
        if admin is None:
            security_manager.add_user(name, "Admin", "TMT", f"{name}@localhost",
                                      security_manager.find_role("Admin"), password=password)
        else:  # the environment is the source of truth for the admin's password
            security_manager.reset_password(admin.id, password)
        db.session.commit()


def start() -> int:
    host, port = _address()
    refusal = _refusal(dict(os.environ), host)
    if refusal:
        print(refusal, file=sys.stderr)
        return 1
    home = _home()
    home.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    if _pid(home):  # ours, running or still starting
        return _wait_healthy(home, host, port, began, began)
    if _healthy(host, port):
        print(f"service.py: {host}:{port} already answers, but not for {home} (another "
              f"Superset? set SUPERSET_PORT)", file=sys.stderr)
        return 1
    env = _environment(home)
    log = home / "superset.log"
    with log.open("ab") as out:  # the initialization runs in a child with the right env
        done = subprocess.run([sys.executable, __file__, "initialize"], env=env,
                              stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode:
        print(f"service.py: Superset initialization failed, see {log}", file=sys.stderr)
        return 1
    gunicorn = Path(sys.executable).with_name("gunicorn")
    subprocess.run(
        [str(gunicorn), "--daemon", "--pid", str(home / "superset.pid"),
         "--bind", f"{host}:{port}", "--workers", env.get("SUPERSET_WORKERS", "2"),
         "--worker-class", "gthread", "--threads", "4", "--timeout", "120",
         "--limit-request-line", "0", "--limit-request-field_size", "0",
         "--error-logfile", str(log), "--capture-output",
         "superset.app:create_app()"],
        env=env, check=True, cwd=home)
    return _wait_healthy(home, host, port, began, time.monotonic())


def _wait_healthy(home: Path, host: str, port: int, began: float, launched: float) -> int:
    while time.monotonic() - began < START_TIMEOUT_S:
        if _healthy(host, port) and _pid(home):
            print(f"Superset on http://{host}:{port} (healthy after "
                  f"{time.monotonic() - began:.0f} s; home {home})")
            return 0
        if time.monotonic() - launched > 15 and not _pid(home):
            break  # gunicorn exited: the log says why
        time.sleep(0.5)
    print(f"service.py: Superset did not become healthy, see {home / 'superset.log'}",
          file=sys.stderr)
    return 1


def stop() -> int:
    home = _home()
    pid = _pid(home)
    if pid is None:
        print("Superset is not running")
        return 0
    os.kill(pid, signal.SIGTERM)
    for _ in range(200):
        if _pid(home) is None:
            break
        time.sleep(0.1)
    else:
        print(f"service.py: Superset (pid {pid}) did not stop", file=sys.stderr)
        return 1
    print("Superset stopped")
    return 0


def status() -> int:
    home, (host, port) = _home(), _address()
    running = _pid(home) is not None and _healthy(host, port)
    print(f"Superset {'running' if running else 'not running'} on http://{host}:{port}")
    return 0 if running else 3


if __name__ == "__main__":
    commands = {"start": start, "stop": stop, "status": status,
                "initialize": lambda: initialize() or 0}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: {Path(__file__).name} {{start|stop|status}}")
    sys.exit(commands[sys.argv[1]]())
