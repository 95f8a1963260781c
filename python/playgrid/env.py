"""PlayGrid's worlds as Gymnasium environments: one (`PlayGridEnv`) and a native batch (`PlayGridVectorEnv`)."""

from __future__ import annotations

import ctypes
import os
from typing import Any

import gymnasium
import numpy as np
from gymnasium import spaces
from gymnasium.vector import AutoresetMode
from gymnasium.vector.utils import batch_space

from . import _native
from ._native import Batch, check, lib

#: Names by code, read from the library: entry i names code i.
TASK_ACTIONS = _native.names(_native.NAMES_TASK_ACTIONS)
PLAY_ACTIONS = _native.names(_native.NAMES_PLAY_ACTIONS)
EVENTS = _native.names(_native.NAMES_EVENTS)
TILES = _native.names(_native.NAMES_TILES)
THINGS = _native.names(_native.NAMES_THINGS)
DIRECTIONS = _native.names(_native.NAMES_DIRECTIONS)
FUN_MODELS = _native.names(_native.NAMES_FUN_MODELS)
COLORS = _native.names(_native.NAMES_COLORS)

_event_names: dict[int, tuple[str, ...]] = {}


def event_names(bits: int) -> tuple[str, ...]:
    """The names of the events in a step's event mask (bit i is `EVENTS[i]`), lowest first."""
    bits = int(bits)
    found = _event_names.get(bits)
    if found is None:
        found = tuple(name for i, name in enumerate(EVENTS) if bits >> i & 1)
        _event_names[bits] = found
    return found


def observation_space(batch: Batch) -> spaces.Dict:
    """One environment's observation: what PlayGrid's own agents see (the world's observation bytes), plus where
    the agent is.

    - ``image``: uint8 (view, view, 3), the egocentric window row by row from its top-left, the agent at its centre,
      not rotated (moves are absolute); per cell the tile code (`TILES`), the thing code (`THINGS`) and the aux byte
      (a key's or door's colour in its low 3 bits, `COLORS`; 8 set when a door is open or a switch or lamp is on; a
      block's tower height or a lever's number in the high 4 bits). Cells beyond the map are tile 0, ``void``.
    - ``carrying``: uint8 (2,), the carried thing's code and its aux byte.
    - ``position``: int64 (2,), the agent's x and y on the map, (0, 0) at the top-left.
    - ``direction``: the agent's heading, `DIRECTIONS` (up, right, down, left).
    - ``energy``: what play may still spend under simultaneous coupling (0 under exclusive coupling).
    """
    view = batch.view_size
    width, height = batch.map_size
    return spaces.Dict({
        "image": spaces.Box(0, 255, (view, view, 3), np.uint8),
        "carrying": spaces.Box(0, 255, (2,), np.uint8),
        "position": spaces.Box(np.zeros(2, np.int64), np.array([width - 1, height - 1], np.int64), (2,), np.int64),
        "direction": spaces.Discrete(len(DIRECTIONS)),
        "energy": spaces.Discrete(256),
    })


def action_space(batch: Batch) -> spaces.MultiDiscrete:
    """The ⟨task, play⟩ pair: `TASK_ACTIONS` × `PLAY_ACTIONS`."""
    return spaces.MultiDiscrete([batch.get("task_actions"), batch.get("play_actions")])


_METADATA = {"render_modes": ["ansi", "rgb_array"], "render_fps": 10}


def _check_render_mode(render_mode: str | None) -> None:
    if render_mode is not None and render_mode not in _METADATA["render_modes"]:
        raise _native.ArgumentError(f"render_mode {render_mode!r}: expected None, 'ansi' or 'rgb_array'")


def _check_rendering(batch: Batch, render_mode: str | None, theme: str, cell_pixels: int) -> None:
    """Renders once, so that a bad theme or cell_pixels is refused when the environment is made, not at its first
    render() (at the end of a long run, perhaps)."""
    if not isinstance(theme, str):
        raise _native.ArgumentError(f"theme must be a theme's name such as 'unicode' or 'ascii'; got {theme!r}")
    if not isinstance(cell_pixels, (int, np.integer)):
        raise _native.ArgumentError(f"cell_pixels must be an integer; got {cell_pixels!r}")
    _render(batch, 0, render_mode, theme, cell_pixels)


def _render(batch: Batch, index: int, render_mode: str | None, theme: str, cell_pixels: int):
    if render_mode == "ansi":
        return batch.render_text(index, _native.RENDER_ANSI, theme) + "\n"
    if render_mode == "rgb_array":
        return batch.render_rgb(index, cell_pixels, theme)
    return None


class PlayGridEnv(gymnasium.Env):
    """A PlayGrid scenario as a Gymnasium environment.

    An episode is one of PlayGrid's episodes. A trial (one MDP drawn from the scenario family) lasts
    ``episodes_per_trial`` episodes: ``reset()`` without a seed begins the next episode of the trial (or the first of
    the next trial), so a meta-learner keeps its memory across the episodes of a trial; ``reset(seed=s)`` starts
    afresh, exactly as ``playgrid run SCENARIO --seed s`` starts.

    ``reward`` is the task reward plus each weighted fun component, as on the command line; ``info`` holds them
    apart (``task_reward``, ``fun_<model>``), the step's ``events`` by name, ``succeeded``, the ``trial``,
    ``episode`` and ``step`` counters, and ``policy_context`` when a fun model gives one (the skill fun's skill).
    Since ``info["episode"]`` is taken, give Gymnasium's ``RecordEpisodeStatistics`` another ``stats_key``.

    Arguments: ``scenario``, a shipped scenario's name (`playgrid.scenarios()`) or a scenario file's path; ``fun``,
    a fun spec as ``playgrid run --fun`` takes it (``"delight=1,novelty=0.1"``; ``"none"`` or None: the task
    reward alone); ``render_mode``, None, ``"ansi"`` or ``"rgb_array"``; ``theme``, the glyphs (``"unicode"``,
    ``"ascii"`` or a theme file's name); ``cell_pixels``, a cell's side in ``rgb_array`` frames (4 to 64).
    """

    metadata = _METADATA

    def __init__(self, scenario: str | os.PathLike = "rock-garden", fun: str | None = "delight=1",
                 render_mode: str | None = None, theme: str = "unicode", cell_pixels: int = 16):
        _check_render_mode(render_mode)
        self._batch = Batch(scenario, fun, [0])
        _check_rendering(self._batch, render_mode, theme, cell_pixels)
        self.render_mode = render_mode
        self.theme = theme
        self.cell_pixels = cell_pixels
        self.observation_space = observation_space(self._batch)
        self.action_space = action_space(self._batch)
        self.scenario = self._batch.text("scenario_name")
        self.fun_components = self._batch.fun_components
        self.episodes_per_trial = self._batch.get("episodes_per_trial")
        self.max_steps = self._batch.get("max_steps")
        self._outputs = self._batch.outputs
        self._fun_keys = tuple(f"fun_{name}" for name in self.fun_components)
        self._task_count, self._play_count = (int(n) for n in self.action_space.nvec)
        self._actions = (ctypes.c_int64 * 2)()
        # The step call's arguments, made once: converting them on every call costs a fifth of the call.
        self._step_arguments = (ctypes.c_uint64(self._batch.handle), ctypes.c_void_p(ctypes.addressof(self._actions)),
                                ctypes.c_size_t(2))
        self._block = self._batch.block
        self._unpack = self._batch.scalars.unpack_from
        self._image = self._outputs["image"][0]
        self._carrying = self._outputs["carrying"][0]
        self._position = self._outputs["position"][0]
        self._started = False
        # Over until the first reset, so that a step before it is refused rather than run from seed 0 unasked.
        self._over = True
        #: The seed of the run since the last seeded reset (what a tape of it records).
        self.seed: int | None = None

    @property
    def batch(self) -> Batch:
        """The library's handle on this environment (a batch of one)."""
        return self._batch

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        """With a seed, a fresh run, as ``playgrid run SCENARIO --seed SEED`` starts; without one, the next episode
        of the trial (the first of the next trial after its last), or a run from a seed drawn from `np_random` if
        none has begun. Takes no options. Returns (observation, info)."""
        if isinstance(seed, np.integer):
            seed = int(seed)  # Gymnasium's seeding takes Python ints only; a seed drawn with numpy is a numpy int
        if seed is not None:
            _native._seeds([seed])  # a bad seed is refused as PlayGrid's error, before Gymnasium's seeding sees it
        super().reset(seed=seed)
        if options:
            raise _native.ArgumentError(f"unknown reset options {sorted(options)}; PlayGridEnv takes none")
        if seed is not None or not self._started:
            self.seed = seed if seed is not None else int(self.np_random.integers(0, 2**63))
            self._batch.reset([self.seed])
            self._started = True
        else:
            self._batch.next_episode()
        self._over = False
        observation, _, _, _, info = self._read()
        return observation, info

    def step(self, action):
        """Steps the ⟨task, play⟩ pair ``action``: two integers, indices into `TASK_ACTIONS` and `PLAY_ACTIONS`.

        Returns (observation, reward, terminated, truncated, info). Raises `ActionError` or `ArgumentError` for a
        bad action, and `Error` before the first reset and after an episode's end until the next reset."""
        if self._over:
            self._batch.check_open()
            raise _native.Error("the episode is over; call reset() to begin the next one" if self._started
                                else "call reset() before the first step")
        try:
            task, play = action.tolist() if type(action) is np.ndarray else action
        except (TypeError, ValueError):
            task = play = None
        if type(task) is int and type(play) is int and 0 <= task < self._task_count and 0 <= play < self._play_count:
            self._actions[0] = task
            self._actions[1] = play
            check(lib.pg_batch_step(*self._step_arguments))
        else:  # the library says what is wrong with it
            given = _native.actions_array(action)
            check(lib.pg_batch_step(self._batch.handle, given.ctypes.data, given.size))
        observation, reward, terminated, truncated, info = self._read()
        self._over = terminated or truncated
        return observation, reward, terminated, truncated, info

    def _read(self):
        """The outputs of the last reset or step, as Gymnasium returns them (fresh objects every time)."""
        _, _, direction, energy, events, trial, episode, step, context, reward, task_reward, *rest = self._unpack(self._block)
        count = len(self._fun_keys)
        terminated, truncated, succeeded = rest[count:count + 3]
        observation = {
            "image": self._image.copy(),
            "carrying": self._carrying.copy(),
            "position": self._position.copy(),
            "direction": direction,
            "energy": energy,
        }
        info = {"task_reward": task_reward, "events": _event_names.get(events) or event_names(events),
                "succeeded": succeeded, "trial": trial, "episode": episode, "step": step}
        if count:
            info.update(zip(self._fun_keys, rest))
        if context >= 0:
            info["policy_context"] = context
        return observation, reward, terminated, truncated, info

    def render(self):
        """The whole map: text with ANSI colours (``"ansi"``), an RGB frame of ``cell_pixels`` per cell
        (``"rgb_array"``), or None without a render mode."""
        return _render(self._batch, 0, self.render_mode, self.theme, self.cell_pixels)

    def close(self):
        self._batch.close()
        self._over = True  # so that step() says it is closed
        super().close()


class PlayGridVectorEnv(gymnasium.vector.VectorEnv):
    """N worlds of one scenario stepped by the library in one call, into preallocated arrays.

    Environment i behaves exactly as a `PlayGridEnv` reset with seed ``seed + i`` (``reset(seed=seed)``), and
    episodes end with Gymnasium's next-step autoreset: after a step that ended an environment's episode, its next
    action is ignored and it begins its next episode (or trial), reporting no reward. ``reset()`` without a seed
    begins every environment's next episode; ``options={"reset_mask": mask}`` limits a reset to some.

    ``infos`` hold arrays: ``task_reward``, ``fun_<model>``, ``events`` (bit masks, see `event_names`),
    ``succeeded``, ``trial``, ``episode``, ``step``, and ``policy_context`` when a fun model gives one. With
    ``copy=False`` the observations and infos returned are the library's own buffers, rewritten by the next step
    (faster; copy what you keep).
    """

    metadata = {**_METADATA, "autoreset_mode": AutoresetMode.NEXT_STEP}

    def __init__(self, num_envs: int = 1, scenario: str | os.PathLike = "rock-garden", fun: str | None = "delight=1",
                 render_mode: str | None = None, theme: str = "unicode", cell_pixels: int = 16, copy: bool = True):
        _check_render_mode(render_mode)
        if isinstance(num_envs, bool) or not isinstance(num_envs, (int, np.integer)) or num_envs < 1:
            raise _native.ArgumentError(f"num_envs must be a positive integer; got {num_envs!r}")
        if not isinstance(copy, (bool, np.bool_)):
            raise _native.ArgumentError(f"copy must be True or False; got {copy!r}")
        self._batch = Batch(scenario, fun, np.arange(num_envs, dtype=np.uint64))
        _check_rendering(self._batch, render_mode, theme, cell_pixels)
        self.num_envs = int(num_envs)
        self.render_mode = render_mode
        self.theme = theme
        self.cell_pixels = cell_pixels
        self.copy = copy
        self.single_observation_space = observation_space(self._batch)
        self.single_action_space = action_space(self._batch)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self._action_shape = self.action_space.shape
        self.scenario = self._batch.text("scenario_name")
        self.fun_components = self._batch.fun_components
        self._outputs = self._batch.outputs
        self._started = False
        self._all = np.ones(self.num_envs, dtype=bool)
        #: The seed each environment was last reset with.
        self.seeds = np.zeros(self.num_envs, dtype=np.uint64)

    @property
    def batch(self) -> Batch:
        return self._batch

    def reset(self, *, seed: int | list[int] | None = None, options: dict[str, Any] | None = None):
        """With a seed, fresh runs: environment i from ``seed + i``, or from ``seed[i]`` given one per environment;
        without one, every environment's next episode (fresh runs from seeds drawn from `np_random` if none has
        begun). ``options={"reset_mask": mask}`` (N booleans) resets only those environments, after the first reset
        (which starts them all). Returns (observations, infos)."""
        if isinstance(seed, np.integer):
            seed = int(seed)  # Gymnasium's seeding takes Python ints only; a seed drawn with numpy is a numpy int
        if isinstance(seed, int):
            _native._seeds([seed, seed + self.num_envs - 1])  # the last, seed + N - 1, must not wrap past 2**64
        super().reset(seed=seed if isinstance(seed, int) else None)
        options = dict(options or {})
        mask = options.pop("reset_mask", None)
        if options:
            raise _native.ArgumentError(f"unknown reset options {sorted(options)}; PlayGridVectorEnv takes reset_mask")
        if mask is not None and not self._started:
            # Environments left out would run on seeds nobody chose.
            raise _native.ArgumentError("the first reset starts every environment; give reset_mask from the next reset on")
        if seed is None and self._started:
            self._batch.next_episode(mask)
        else:
            if seed is None:
                seeds = self.np_random.integers(0, 2**63, size=self.num_envs, dtype=np.uint64)
            elif isinstance(seed, int):
                seeds = np.arange(self.num_envs, dtype=np.uint64) + np.uint64(seed)
            else:
                seeds = _native._seeds(seed)
            self._batch.reset(seeds, mask)
            chosen = self._all if mask is None else np.asarray(mask, dtype=bool)
            self.seeds[chosen] = seeds[chosen]
            self._started = True
        return self._observations(), self._infos()

    def step(self, actions):
        """Steps every environment: ``actions`` of shape (N, 2), one ⟨task, play⟩ row per environment, integers.

        Returns (observations, rewards, terminated, truncated, infos). An environment whose episode ended on the
        last step ignores its action and begins its next episode (Gymnasium's next-step autoreset)."""
        if not self._started:
            self._batch.check_open()
            raise _native.Error("call reset() before the first step")
        given = actions
        if type(given) is not np.ndarray or given.dtype != np.int64 or not given.flags.c_contiguous:
            given = _native.actions_array(actions)
        # The shape, not just the size: (2, N) from stacking the task and play halves has the right size but would
        # be read as other environments' pairs.
        if given.shape != self._action_shape:
            raise _native.ArgumentError(f"actions of shape {given.shape} for {self.num_envs} environments; expected "
                                        f"{self._action_shape}, one (task, play) row per environment")
        check(lib.pg_batch_step(self._batch.handle, given.ctypes.data, given.size))
        o = self._outputs
        if self.copy:
            return (self._observations(), o["reward"].copy(), o["terminated"].copy(), o["truncated"].copy(),
                    self._infos())
        return self._observations(), o["reward"], o["terminated"], o["truncated"], self._infos()

    def _observations(self) -> dict[str, np.ndarray]:
        o = self._outputs
        keys = ("image", "carrying", "position", "direction", "energy")
        if self.copy:
            return {key: o[key].copy() for key in keys}
        return {key: o[key] for key in keys}

    def _infos(self) -> dict[str, Any]:
        o = self._outputs
        take = np.copy if self.copy else (lambda array: array)
        infos: dict[str, Any] = {}
        for key in ("task_reward", "events", "succeeded", "trial", "episode", "step"):
            infos[key] = take(o[key])
            infos["_" + key] = self._all
        fun = o["fun"]
        for i, name in enumerate(self.fun_components):
            infos[f"fun_{name}"] = fun[:, i].copy()
            infos[f"_fun_{name}"] = self._all
        # What a fun model asks the policy to condition on (the skill fun's skill), as PlayGridEnv's info has it:
        # a DIAYN agent stepping the batch needs it as much as one stepping a single world.
        context = o["context"]
        has_context = context >= 0
        if has_context.any():
            infos["policy_context"] = take(context)
            infos["_policy_context"] = has_context
        return infos

    def render(self):
        """Each environment's rendering, as `PlayGridEnv.render` gives it, in a tuple; None without a render mode."""
        if self.render_mode is None:
            return None
        return tuple(_render(self._batch, i, self.render_mode, self.theme, self.cell_pixels)
                     for i in range(self.num_envs))

    def close_extras(self, **kwargs):
        # Gymnasium 1.1's __del__ closes even an environment whose __init__ failed before it had a batch.
        if not hasattr(self, "_batch"):
            return
        self._batch.close()
        self._started = False  # so that step() says it is closed
