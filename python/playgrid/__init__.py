"""PlayGrid from Python: its worlds as Gymnasium environments, and tapes of Python agents.

    import gymnasium, playgrid
    env = gymnasium.make("PlayGrid/rock-garden-v0")                       # every shipped scenario is registered
    envs = gymnasium.make_vec("PlayGrid/rock-garden-v0", num_envs=1024)    # the native batch, one call a step
    env = playgrid.make("my-world.yaml", fun="delight=1,novelty=0.1")      # a file of your own
    env = playgrid.RecordTape(env, "run.tape", agent="my-ppo")             # then: playgrid replay run.tape

The worlds, fun models and tapes are PlayGrid's Swift code (libPlayGridC, through its C interface); this package
holds no simulation of its own.
"""

from __future__ import annotations

import os

import gymnasium

from ._native import (ActionError, ArgumentError, ClosedError, Error, FunSpecError, ScenarioError, TapeError,
                      ThemeError, names as _names, NAMES_SCENARIOS as _NAMES_SCENARIOS, version as __version__)
from .env import (COLORS, DIRECTIONS, EVENTS, FUN_MODELS, PLAY_ACTIONS, TASK_ACTIONS, THINGS, TILES, PlayGridEnv,
                  PlayGridVectorEnv, event_names)
from .tape import RecordTape

__all__ = [
    "__version__", "make", "make_vec", "scenarios", "PlayGridEnv", "PlayGridVectorEnv", "RecordTape", "event_names",
    "TASK_ACTIONS", "PLAY_ACTIONS", "EVENTS", "TILES", "THINGS", "DIRECTIONS", "FUN_MODELS", "COLORS",
    "Error", "ArgumentError", "ClosedError", "ScenarioError", "FunSpecError", "ActionError", "TapeError", "ThemeError",
]


def scenarios() -> tuple[str, ...]:
    """The shipped scenarios' names."""
    return _names(_NAMES_SCENARIOS)


def make(scenario: str | os.PathLike = "rock-garden", **kwargs) -> PlayGridEnv:
    """A `PlayGridEnv` of a shipped scenario's name or a scenario file's path (`fun`, `render_mode`, `theme`,
    `cell_pixels` as `PlayGridEnv` takes them)."""
    return PlayGridEnv(scenario, **kwargs)


def make_vec(scenario: str | os.PathLike = "rock-garden", num_envs: int = 1, **kwargs) -> PlayGridVectorEnv:
    """A `PlayGridVectorEnv` of N environments of a shipped scenario or a scenario file (`fun`, `render_mode`,
    `theme`, `cell_pixels` as `PlayGridEnv` takes them, and `copy`: False hands out the library's own buffers)."""
    return PlayGridVectorEnv(num_envs, scenario, **kwargs)


def _register() -> None:
    from ._registered import entry_point
    for name in scenarios():
        env_id = f"PlayGrid/{name}-v0"
        if env_id not in gymnasium.registry:
            gymnasium.register(env_id, entry_point=entry_point(name), vector_entry_point=entry_point(name, vector=True),
                               kwargs={"scenario": name})


_register()
