"""Tapes of runs driven from Python: the same tapes `playgrid run --record` writes (docs/tape-format.md), so
`playgrid replay`, `tape verify` and `tape export` work on them as on PlayGrid's own."""

from __future__ import annotations

import ctypes
import os

import gymnasium
import numpy as np

from . import _native
from ._native import check, lib
from .env import PlayGridEnv


class RecordTape(gymnasium.Wrapper):
    """Records a `PlayGridEnv` run to a tape file.

    The tape starts at the first ``reset()`` (give it a seed to choose the run) and records every step after it;
    ``reset()`` without a seed carries on into the next episode. A tape is one run from one seed, so a later
    ``reset(seed=...)``, or a ``reset()`` before the episode has ended (even before its first step), is refused:
    close this wrapper (which finishes the tape) and wrap again. What the agent thought of a step — its task and
    play heads' probabilities and its value — can go on the tape too: call `outputs` before `step`.

    Episodes end where the scenario ends them: a wrapper that cuts them short (``gymnasium.make``'s
    ``max_episode_steps``) has its reset refused, as a reset before the episode ended.

    ``agent`` is the name the tape (and the replay screen) shows; an existing file is refused unless ``force``.
    """

    def __init__(self, env: gymnasium.Env, path: str | os.PathLike, agent: str = "python", force: bool = False):
        super().__init__(env)
        if not isinstance(env.unwrapped, PlayGridEnv):
            raise _native.ArgumentError(f"RecordTape records PlayGrid environments; got {env.unwrapped!r}")
        if not isinstance(agent, str):
            raise _native.ArgumentError(f"agent must be the name the tape shows, a str; got {agent!r}")
        self.path = os.fspath(path)
        self.agent = agent
        self.force = force
        self._tape = 0
        self._steps = 0
        # What `outputs` gave for the next step: the arrays, and their addresses and sizes as pg_tape_record takes them.
        self._outputs: tuple = ()
        self._pending: tuple = (None, 0, None, 0, None)

    @property
    def steps(self) -> int:
        """Steps recorded so far."""
        return self._steps

    def reset(self, *, seed=None, options=None):
        """The first reset opens the tape (give it the seed of the run to record); later ones carry the run on into
        its next episode, and are refused before an episode's end or with a new seed."""
        # Refused before the environment resets: the tape could not follow it, and would refuse every later step.
        # The world's own episode end counts, not a wrapper's: a TimeLimit's truncation leaves the world mid-episode.
        if self._tape and (seed is not None or not self.env.unwrapped._over):
            why = "a reset with a new seed" if seed is not None else "a reset before the episode ended"
            raise _native.TapeError(f"{self.path}: {why} would break the run this tape records (one run from one "
                                    "seed); close the RecordTape to finish the tape, and wrap again for another")
        result = self.env.reset(seed=seed, options=options)
        if not self._tape:
            handle = ctypes.c_uint64(0)
            check(lib.pg_tape_open(self.env.unwrapped.batch.handle, 0, os.fsencode(self.path), self.agent.encode(),
                                   int(self.force), ctypes.byref(handle)))
            self._tape = handle.value
        return result

    def outputs(self, task_probabilities=None, play_probabilities=None, value=None) -> None:
        """What the agent said about the next step: both heads' probabilities (one per action) and its value.

        Checked here, not when the step is recorded: by then the world has stepped, and a step left off the tape
        would stop it for good."""
        def floats(values):
            return None if values is None else np.ascontiguousarray(np.asarray(values, dtype=np.float32).reshape(-1))

        task, play = floats(task_probabilities), floats(play_probabilities)
        estimate = None if value is None else np.array([float(value)], dtype=np.float32)
        for head, given, actions in (("task", task, self.env.action_space.nvec[0]),
                                     ("play", play, self.env.action_space.nvec[1])):
            if given is not None and given.size != actions:
                raise _native.ArgumentError(f"{given.size} {head} probabilities; the {head} head has {actions} actions")
            if given is not None and not np.all((given >= 0) & (given <= 1)):
                raise _native.ArgumentError(f"{head} probabilities {given}: each must be from 0 to 1")
        if estimate is not None and not np.isfinite(estimate[0]):
            raise _native.ArgumentError(f"the value {value} is not a finite number")
        self._outputs = (task, play, estimate)
        self._pending = (
            None if task is None else task.ctypes.data, 0 if task is None else task.size,
            None if play is None else play.ctypes.data, 0 if play is None else play.size,
            None if estimate is None else estimate.ctypes.data,
        )

    def step(self, action):
        """Steps the environment and records the step, with what `outputs` gave for it."""
        if not self._tape:
            self.env.unwrapped.batch.check_open()  # after close(), say so rather than ask for a reset
            raise _native.TapeError(f"{self.path}: call reset() before the first step; the tape starts there")
        result = self.env.step(action)
        try:
            check(lib.pg_tape_record(self._tape, *self._pending))
        finally:
            self._outputs, self._pending = (), (None, 0, None, 0, None)
        self._steps += 1
        return result

    def close(self):
        """Finishes the tape (a tape left unfinished still reads up to its last whole chunk) and closes the env."""
        if self._tape:
            tape, self._tape = self._tape, 0
            check(lib.pg_tape_close(tape))
        super().close()

    def __del__(self):
        if getattr(self, "_tape", 0):
            lib.pg_tape_close(self._tape)
            self._tape = 0
