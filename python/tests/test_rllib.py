"""RLlib's PPO trains on a PlayGrid scenario with two env runners on a local Ray cluster (one iteration). Needs
`ray[rllib]` and `torch`; skipped without them (.ci/run installs them in a venv of their own)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("ray.rllib")
pytest.importorskip("torch")

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "rllib_ppo.py"


def test_one_iteration_with_two_env_runners(tmp_path):
    run = subprocess.run([sys.executable, str(EXAMPLE), "--scenario", "open-field", "--env-runners", "2",
                          "--iterations", "1", "--batch", "2000"], capture_output=True, text=True, timeout=900,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["iteration"] == 1 and result["env_runners"] == 2
    assert result["env_steps"] >= 2000 and result["episode_len_mean"] > 0
