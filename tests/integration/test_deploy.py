"""Deployment files are consistent with what CI tests: pinned set, Voila settings, chart keys."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import yaml
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _pins(text: str) -> dict[str, str]:
    return {
        name.lower().replace("_", "-"): version
        for name, version in re.findall(r"^\s*\"?([A-Za-z0-9_.\-]+)==([0-9][^\s\"]*)", text, flags=re.MULTILINE)
    }


def _mb(size: str) -> float:
    number, unit = re.fullmatch(r"([0-9.]+)\s*([MG])i?", str(size)).groups()  # type: ignore[union-attr]
    return float(number) * (1024 if unit == "G" else 1)


def test_dockerfile_installs_the_pinned_set_of_constraints_txt() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "COPY pyproject.toml constraints.txt" in dockerfile
    install = next(line for line in dockerfile.splitlines() if "pip install" in line)
    assert "-c constraints.txt" in install
    assert '".[lessons]"' in install
    constraints = _pins((ROOT / "constraints.txt").read_text())
    pinned_here = _pins(install.replace(" ", "\n"))
    for name, version in pinned_here.items():
        if name in constraints:
            assert constraints[name] == version, (
                f"{name} is {version} in the Dockerfile, {constraints[name]} in constraints.txt"
            )
    assert "nnteach fetch-data" in dockerfile, "MNIST must be in the image: pods have no internet"


def test_hub_voila_settings_match_the_lessons_voila_json() -> None:
    server = json.loads((DEPLOY / "jupyter_server_config.json").read_text())
    lessons = json.loads((ROOT / "lessons" / "voila.json").read_text())
    for key in ("strip_sources", "show_tracebacks", "preheat_kernel"):
        assert server["VoilaConfiguration"][key] == lessons["VoilaConfiguration"][key]
    assert server["VoilaConfiguration"]["template"] == "nnteach"
    assert server["MappingKernelManager"] == lessons["MappingKernelManager"]


def test_z2jh_values_have_the_keys_the_chart_expects() -> None:
    values = yaml.safe_load((DEPLOY / "z2jh" / "values.yaml").read_text())
    assert set(values) <= {"hub", "proxy", "singleuser", "cull", "prePuller", "scheduling", "ingress", "debug"}
    single = values["singleuser"]
    assert set(single["image"]) == {"name", "tag"}
    assert isinstance(single["image"]["tag"], str)
    assert single["defaultUrl"] == "/voila/render/index.ipynb"
    assert all(isinstance(value, str) for value in single["extraEnv"].values()), "extraEnv values must be strings"
    assert single["extraEnv"]["NNTEACH_HOSTED"] == "1"
    assert single["extraEnv"]["JUPYTER_PATH"].endswith("site-packages/nnteach/_voila")
    memory = single["memory"]
    # A TensorFlow lesson kernel peaks near 900 MB (bench_memory): guarantee at least that, limit above it.
    assert 900 <= _mb(memory["guarantee"]) < _mb(memory["limit"])
    assert 0 < single["cpu"]["guarantee"] <= single["cpu"]["limit"]
    cull = values["cull"]
    assert cull["enabled"] is True
    assert cull["timeout"] >= 600
    assert cull["every"] <= cull["timeout"]


def test_binder_builds_from_environment_yml_and_fetches_mnist() -> None:
    post_build = ROOT / "postBuild"
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    assert "nnteach fetch-data" in post_build.read_text()
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert any(isinstance(item, dict) and "-e .[lessons]" in item["pip"] for item in environment["dependencies"])


# --- The chart's own schema, and one source for the hub's settings ---------------------------------

CHART = DEPLOY / "z2jh"
CLASS_SIZE = 300  # the class README "Hosting a large class" sizes for


def _hub_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nnteach_hub", DEPLOY / "nnteach_hub.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def _schema_validator() -> jsonschema.Draft7Validator:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the schema is 130 kB: libyaml when present
    return jsonschema.Draft7Validator(yaml.load((CHART / "values.schema.yaml").read_text(), Loader=loader))  # noqa: S506


def _schema_errors(values: dict[str, Any]) -> list[str]:
    validator = _schema_validator()
    return [f"{'.'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(values)]


def test_vendored_chart_files_are_the_ones_recorded_with_their_source() -> None:
    readme = (CHART / "README.md").read_text()
    for name in ("values.schema.yaml", "chart-defaults.yaml"):
        digest = hashlib.sha256((CHART / name).read_bytes()).hexdigest()
        assert f"`{name}` | " in readme and digest in readme, (
            f"{name} changed: vendor it unchanged and record its sha256"
        )
    assert "zero-to-jupyterhub-k8s, tag `4.4.0`" in readme


def test_z2jh_values_pass_the_charts_own_schema() -> None:
    merged = _hub_module().chart_values()
    assert _schema_errors(merged) == []
    # The schema is strict enough to catch what it caught here: a key the chart does not have.
    wrong = _hub_module().helm_merge(merged, {"singleuser": {"notebookDir": "/opt/lessons"}})
    assert any("notebookDir" in error for error in _schema_errors(wrong))
    assert any(
        "memory" in error for error in _schema_errors(_hub_module().helm_merge(merged, {"singleuser": {"memory": 2}}))
    )


def test_z2jh_values_carry_what_a_class_of_300_needs_at_lesson_start() -> None:
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    hub, scheduling = values["hub"], values["scheduling"]
    assert hub["concurrentSpawnLimit"] >= CLASS_SIZE, "the whole class may start its servers at once"
    assert hub["config"]["Spawner"]["http_timeout"] >= 60, "30 s failed 3 learners starting at once (test_jupyterhub)"
    assert values["singleuser"]["startTimeout"] >= 300
    assert scheduling["userPlaceholder"]["enabled"] is True
    assert scheduling["userPlaceholder"]["replicas"] >= CLASS_SIZE, "room reserved for the class before it arrives"
    assert scheduling["userScheduler"]["enabled"] is True
    assert values["prePuller"]["hook"]["enabled"] is True
    assert values["prePuller"]["continuous"]["enabled"] is True
    assert {"guarantee", "limit"} <= set(values["singleuser"]["memory"])
    assert values["cull"]["enabled"] is True
    authenticator = hub["config"]["Authenticator"]
    # Someone can log in as shipped: the admin, and the users the admin adds; nobody else.
    assert authenticator["allow_all"] is False
    assert authenticator["admin_users"]
    assert authenticator["allow_existing_users"] is True


def test_the_one_machine_hub_config_applies_the_charts_values() -> None:
    values = _hub_module().chart_values()
    config = PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()
    spawner, hub = config.Spawner, config.JupyterHub
    assert spawner.default_url == values["singleuser"]["defaultUrl"]
    assert spawner.mem_limit == values["singleuser"]["memory"]["limit"]
    assert spawner.http_timeout == values["hub"]["config"]["Spawner"]["http_timeout"]
    assert hub.concurrent_spawn_limit == values["hub"]["concurrentSpawnLimit"]
    assert config.Authenticator.admin_users == values["hub"]["config"]["Authenticator"]["admin_users"]
    for name, value in values["singleuser"]["extraEnv"].items():
        if name not in {"NNTEACH_WORKDIR", "JUPYTER_PATH"}:  # the image's paths; one machine uses its own
            assert spawner.environment[name] == value
    # The image's template path is the one the local config replaces (with this install's); the
    # single-user settings are read from deploy/ itself, the file the image copies to /etc/jupyter.
    assert values["singleuser"]["extraEnv"]["JUPYTER_PATH"] == _hub_module().IMAGE_TEMPLATE_PATH
    assert Path(spawner.environment["JUPYTER_PATH"], "voila", "templates", "nnteach").is_dir()
    assert Path(spawner.environment["JUPYTER_CONFIG_PATH"]) == DEPLOY
    assert (
        "COPY deploy/jupyter_server_config.json /etc/jupyter/jupyter_server_config.json"
        in (DEPLOY / "Dockerfile").read_text()
    )
    culler = next(service for service in hub.services if service["name"] == "jupyterhub-idle-culler")
    assert f"--timeout={values['cull']['timeout']}" in culler["command"]
    assert f"--cull-every={values['cull']['every']}" in culler["command"]


def test_the_image_and_the_test_run_the_jupyterhub_of_the_chart() -> None:
    app_version = re.search(r"the JupyterHub it runs: \*\*([0-9.]+)\*\*", (CHART / "README.md").read_text())
    assert app_version, "deploy/z2jh/README.md records the chart's appVersion"
    assert _pins((ROOT / "constraints.txt").read_text())["jupyterhub"] == app_version.group(1)
    assert f'"jupyterhub=={app_version.group(1)}"' in (DEPLOY / "Dockerfile").read_text()
