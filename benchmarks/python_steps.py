#!/usr/bin/env python3
"""PlayGrid from Python beside MiniGrid, in one process on one pinned core, by the peers' method.

The method is ../shared/peers/minigrid_steps.py's (its `benchutil`): random actions drawn in advance, resets
inside the timed loop, 0.5 s of warm-up then at least 3 s timed. Measured in the same run, so that the ratios
hold whatever the machine's load:

- MiniGrid Empty-8x8 through `gymnasium.make` (its wrappers on), and bare (`env.unwrapped`);
- PlayGrid `open-field` (the same empty 8×8 room) through `gymnasium.make`, and bare: one `step()` a step,
  with the default fun (delight);
- PlayGrid's native vector environment, `gymnasium.make_vec(..., num_envs=1024)`, one call stepping all 1024
  worlds (next-step autoreset), observations copied out as Gymnasium returns them: env-steps per second summed
  over the batch, with delight and with no fun (like the JAX gridworlds it is compared with).

Set up once (a venv with MiniGrid and this package):

    python3 -m venv ~/.cache/peers/venv
    ~/.cache/peers/venv/bin/pip install minigrid==3.2.0 gymnasium==1.4.0 numpy ./python
    ~/.cache/peers/venv/bin/python benchmarks/python_steps.py      # one line of JSON; a table on stderr
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.environ.get("PLAYGRID_PEERS", os.path.join(HERE, "..", "..", "shared", "peers"))
sys.path.insert(0, PEERS)

import benchutil  # noqa: E402  (sets the thread variables before numpy is imported)

import warnings  # noqa: E402

import gymnasium as gym  # noqa: E402
import minigrid  # noqa: E402, F401  (registers MiniGrid-* ids)
import numpy as np  # noqa: E402

import playgrid  # noqa: E402

warnings.filterwarnings("ignore")


def single(env, actions):
    """One environment, one step() a step, a reset when an episode ends."""
    mask = len(actions) - 1
    state = {"i": 0, "episodes": 0}

    def step():
        i = state["i"]
        _, _, terminated, truncated, _ = env.step(actions[i & mask])
        state["i"] = i + 1
        if terminated or truncated:
            state["episodes"] += 1
            env.reset()

    env.reset(seed=0)
    result = benchutil.measure(step)
    result["episodes"] = state["episodes"]
    return result


def vector(envs, actions):
    """The whole batch, one step() a call; rates are env-steps (calls × environments)."""
    mask = len(actions) - 1
    state = {"i": 0}

    def step():
        i = state["i"]
        envs.step(actions[i & mask])
        state["i"] = i + 1

    envs.reset(seed=0)
    result = benchutil.measure(step, chunk=4)
    result["calls_per_s"] = result["sps"]
    result["sps"] *= envs.num_envs
    return result


def main():
    cpu = benchutil.pin_single_core()
    rng = np.random.default_rng(12345)
    out = {"bench": "python_steps", "pinned_cpu": cpu, "gymnasium": gym.__version__, "minigrid": minigrid.__version__,
           "playgrid": playgrid.__version__}

    env = gym.make("MiniGrid-Empty-8x8-v0")
    actions = rng.integers(0, env.action_space.n, size=1 << 16).tolist()
    out["minigrid_empty_8x8"] = {"wrapped": single(env, actions), "unwrapped": single(env.unwrapped, actions)}
    env.close()

    env = gym.make("PlayGrid/open-field-v0")
    pairs = list(rng.integers([0, 0], env.action_space.nvec, size=(1 << 16, 2)))
    out["playgrid_open_field"] = {"wrapped": single(env, pairs), "unwrapped": single(env.unwrapped, pairs)}
    env.close()

    out["playgrid_vector_1024"] = {}
    for fun in ("delight=1", "none"):
        envs = gym.make_vec("PlayGrid/open-field-v0", num_envs=1024, vectorization_mode="vector_entry_point", fun=fun)
        batches = [rng.integers([0, 0], envs.single_action_space.nvec, size=(1024, 2)) for _ in range(64)]
        out["playgrid_vector_1024"][fun] = vector(envs, batches)
        envs.close()

    out["meta"] = benchutil.meta()
    minigrid_rate = out["minigrid_empty_8x8"]["wrapped"]["sps"]
    rows = [
        ("MiniGrid Empty-8x8, gymnasium.make", minigrid_rate),
        ("MiniGrid Empty-8x8, unwrapped", out["minigrid_empty_8x8"]["unwrapped"]["sps"]),
        ("PlayGrid open-field, gymnasium.make", out["playgrid_open_field"]["wrapped"]["sps"]),
        ("PlayGrid open-field, unwrapped", out["playgrid_open_field"]["unwrapped"]["sps"]),
        ("PlayGrid vector 1024, delight", out["playgrid_vector_1024"]["delight=1"]["sps"]),
        ("PlayGrid vector 1024, no fun", out["playgrid_vector_1024"]["none"]["sps"]),
    ]
    out["ratios"] = {
        "single_vs_minigrid_wrapped": out["playgrid_open_field"]["wrapped"]["sps"] / minigrid_rate,
        "single_vs_minigrid_unwrapped": (out["playgrid_open_field"]["unwrapped"]["sps"]
                                         / out["minigrid_empty_8x8"]["unwrapped"]["sps"]),
    }
    for name, rate in rows:
        print(f"{name:40} {rate:14,.0f} steps/s {rate / minigrid_rate:8,.1f}x", file=sys.stderr)
    print(f"load average at start {out['meta']['loadavg_1_5_15_at_start']}", file=sys.stderr)
    benchutil.emit(out)


if __name__ == "__main__":
    main()
