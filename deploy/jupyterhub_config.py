"""JupyterHub on one machine with the settings the Kubernetes chart gets (deploy/z2jh/values.yaml).

    jupyterhub -f deploy/jupyterhub_config.py

Learners land on the Voila lesson index, the idle culler runs with the chart's settings, and
single-user servers read deploy/jupyter_server_config.json. Lessons come from
``NNTEACH_HUB_LESSONS`` (default: this repository's ``lessons/``). Set ``NNTEACH_CLASS_DB`` in
``c.Spawner.environment`` to give every learner's kernel one class database. The spawner is
JupyterHub's default (local processes, one system user per learner); a later config file
(``jupyterhub -f`` another file that calls ``load_subconfig``) may change it.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import nnteach_hub  # beside this file, as the chart puts its modules beside its config

c = get_config()  # type: ignore[name-defined]  # noqa: F821  (traitlets provides it to config files)
nnteach_hub.apply_chart(c, nnteach_hub.chart_values(), python=sys.executable)
nnteach_hub.apply_local(c, Path(os.environ.get("NNTEACH_HUB_LESSONS", nnteach_hub.DEPLOY.parent / "lessons")))
