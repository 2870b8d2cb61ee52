"""A real JupyterHub on 127.0.0.1 with the settings ``deploy/`` ships, for the integration test.

The hub reads ``deploy/jupyterhub_config.py`` (which reads ``deploy/z2jh/values.yaml``, the
chart's values) through ``load_subconfig``; this module adds only what a throwaway hub on a CI
machine needs: free ports on 127.0.0.1, the dummy authenticator instead of the first-use one,
JupyterHub's simple local-process spawner (every learner's server runs as the user running
the tests, with its own home folder; ``--allow-root`` when that user is root), one class
database for every kernel, and a service token allowed to add users (the teacher's "Add
users" over the REST API).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ui_helpers import free_port, stop_process, wait_until_answers

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
PROXY = "configurable-http-proxy"

OVERLAY = """\
c = get_config()  # noqa: F821
load_subconfig({deploy!r})  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = "sqlite:///{work}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{work}/jupyterhub_cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{work}/home/{{username}}"
c.Spawner.args = {args!r}
c.Spawner.environment["NNTEACH_CLASS_DB"] = {class_db!r}
c.Spawner.environment["NNTEACH_QUICK"] = "1"
c.JupyterHub.services.append({{"name": "nnteach-test", "api_token": {token!r}}})
c.JupyterHub.load_roles.append({{"name": "nnteach-test", "scopes": ["admin:users", "list:services", "read:services", "servers"], "services": ["nnteach-test"]}})
"""


@dataclass
class Hub:
    """A running JupyterHub: its public address (the proxy), work folder, log and admin token."""

    url: str
    work: Path
    log: Path
    token: str
    class_db: Path
    process: subprocess.Popen[bytes]

    def api(self, method: str, path: str, body: object = None) -> object:
        """Call the hub's REST API as the test's admin service; the decoded JSON answer."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read().decode()
        return json.loads(text) if text else None

    def add_users(self, names: list[str]) -> None:
        """Add learners as a teacher does (the hub allows existing users: ``allow_existing_users``)."""
        self.api("POST", "/users", {"usernames": names})


def proxy_command() -> str:
    """The configurable-http-proxy on PATH, or a failure that says how to install it."""
    found = shutil.which(PROXY)
    if found is None:
        raise RuntimeError(
            f"Expected {PROXY} (JupyterHub's proxy, from npm) on PATH. Received none; "
            f"install it with `npm install -g {PROXY}` (`make test` does)."
        )
    return found


def start_hub(work: Path) -> Hub:
    """Start JupyterHub (and its proxy and idle culler) on 127.0.0.1 and wait until it answers."""
    work.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(32)
    class_db = work / "class.db"
    port = free_port()
    overlay = OVERLAY.format(
        deploy=str(DEPLOY_CONFIG),
        port=port,
        hub_port=free_port(),
        proxy_api_port=free_port(),
        proxy=proxy_command(),
        work=work,
        args=["--allow-root"] if os.geteuid() == 0 else [],
        class_db=f"sqlite:///{class_db}",
        token=token,
    )
    config = work / "jupyterhub_test_config.py"
    config.write_text(overlay)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("JUPYTERHUB_", "JUPYTER_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    log = work / "jupyterhub.log"
    stream = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(config)],
        cwd=work,
        stdout=stream,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_answers(process, f"{url}/hub/api", log, "JupyterHub", seconds=90)
    return Hub(url=url, work=work, log=log, token=token, class_db=class_db, process=process)


def stop_hub(hub: Hub) -> None:
    """Stop the hub; with JupyterHub's default ``cleanup_servers`` it stops its proxy and every server."""
    stop_process(hub.process)
