"""nnteach's hub settings, read from the chart's values: one source for Kubernetes and one machine.

``deploy/z2jh/values.yaml`` is what the Zero to JupyterHub chart reads. A hub on one machine
(``jupyterhub -f deploy/jupyterhub_config.py``, and the integration test) reads the same file,
merged over the chart's defaults as Helm merges it, and applies the same mapping the chart's
own ``jupyterhub_config.py`` applies (chart 4.4.0, ``jupyterhub/files/hub/jupyterhub_config.py``)
to the keys nnteach sets. What depends on the machine is set apart in :func:`apply_local`.

Example:
    >>> values = chart_values()
    >>> values["singleuser"]["defaultUrl"]
    '/voila/render/index.ipynb'
    >>> helm_merge({"a": {"b": 1, "c": 2}}, {"a": {"c": 3}})
    {'a': {'b': 1, 'c': 3}}
"""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path
from typing import Any

import yaml

DEPLOY = Path(__file__).resolve().parent
VALUES = DEPLOY / "z2jh" / "values.yaml"
CHART_DEFAULTS = DEPLOY / "z2jh" / "chart-defaults.yaml"
CULLER = "jupyterhub-idle-culler"
# The image's install path of nnteach's Voila template (Dockerfile); a local hub uses its own.
IMAGE_TEMPLATE_PATH = "/usr/local/lib/python3.11/site-packages/nnteach/_voila"


def helm_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge ``override`` over ``base`` as Helm merges values files: maps key by key, the rest replaced."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def chart_values(values: Path = VALUES) -> dict[str, Any]:
    """The chart's defaults with nnteach's ``values.yaml`` merged over them."""
    defaults = yaml.safe_load(CHART_DEFAULTS.read_text())
    return helm_merge(defaults, yaml.safe_load(values.read_text()))


def _set(section: Any, trait: str, value: Any) -> None:
    if value is not None:  # the chart's set_config_if_not_none
        setattr(section, trait, value)


def culler_command(cull: dict[str, Any], python: str = "python3") -> tuple[list[str], list[str]]:
    """The idle culler's command line and scopes for the chart's ``cull`` values (the chart's flags)."""
    command = [python, "-m", "jupyterhub_idle_culler"]
    scopes = ["list:users", "read:users:activity", "read:servers", "delete:servers"]
    for flag, key in (("timeout", "timeout"), ("cull-every", "every"), ("concurrency", "concurrency")):
        if cull.get(key):
            command.append(f"--{flag}={cull[key]}")
    if cull.get("users"):
        command.append("--cull-users")
        scopes.append("admin:users")
    if not cull.get("adminUsers"):
        command.append("--cull-admin-users=false")
    if cull.get("removeNamedServers"):
        command.append("--remove-named-servers")
    if cull.get("maxAge"):
        command.append(f"--max-age={cull['maxAge']}")
    return command, scopes


def apply_chart(c: Any, values: dict[str, Any], python: str = "python3") -> None:
    """Set ``c`` (a traitlets config) from the chart values, as the chart does, for the keys nnteach uses."""
    hub, single, cull = values["hub"], values["singleuser"], values["cull"]
    _set(c.JupyterHub, "concurrent_spawn_limit", hub.get("concurrentSpawnLimit"))
    _set(c.JupyterHub, "active_server_limit", hub.get("activeServerLimit"))
    _set(c.Spawner, "consecutive_failure_limit", hub.get("consecutiveFailureLimit"))
    for trait, key in (("default_url", "defaultUrl"), ("start_timeout", "startTimeout"), ("environment", "extraEnv")):
        _set(c.Spawner, trait, single.get(key))
    for trait, (group, key) in {
        "mem_limit": ("memory", "limit"),
        "mem_guarantee": ("memory", "guarantee"),
        "cpu_limit": ("cpu", "limit"),
        "cpu_guarantee": ("cpu", "guarantee"),
    }.items():
        _set(c.Spawner, trait, (single.get(group) or {}).get(key))
    if cull.get("enabled"):
        command, scopes = culler_command(cull, python)
        c.JupyterHub.services = [*c.JupyterHub.get("services", []), {"name": CULLER, "command": command}]
        role = {"name": CULLER, "scopes": scopes, "services": [CULLER]}
        c.JupyterHub.load_roles = [*c.JupyterHub.get("load_roles", []), role]
    for section, settings in (hub.get("config") or {}).items():  # pass-through, applied last as in the chart
        c[section].update(copy.deepcopy(settings))


def local_template_path() -> str:
    """Where this Python installed nnteach's Voila template (the image's ``JUPYTER_PATH`` entry, here)."""
    spec = importlib.util.find_spec("nnteach")
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "Expected nnteach installed in the hub's Python. Received none; "
            'install it there (pip install "nnteach[lessons]") or start the hub from that environment.'
        )
    return str(Path(spec.origin).parent / "_voila")


def apply_local(c: Any, lessons: Path) -> None:
    """What differs on one machine: this Python runs the single-user servers, from these folders.

    Single-user servers read ``deploy/jupyter_server_config.json`` from this folder (the image
    copies the same file to ``/etc/jupyter``) and find the Voila template where nnteach is
    installed. The image's work folder (``/home/jovyan/...``) is dropped: each user's own home
    holds their work. Memory and CPU limits are not enforced by the local-process spawner.
    """
    c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
    c.Spawner.notebook_dir = str(lessons)
    environment = dict(c.Spawner.get("environment", {}))
    environment.pop("NNTEACH_WORKDIR", None)
    if environment.get("JUPYTER_PATH") == IMAGE_TEMPLATE_PATH:
        environment["JUPYTER_PATH"] = local_template_path()
    environment["JUPYTER_CONFIG_PATH"] = str(DEPLOY)
    c.Spawner.environment = environment
