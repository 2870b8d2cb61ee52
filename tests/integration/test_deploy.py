"""Deployment files are consistent with what CI tests: pinned set, Voila settings, chart keys."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

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
