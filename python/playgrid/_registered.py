"""Gymnasium's entry points for the shipped scenarios: one maker per scenario, so that
``gymnasium.make("PlayGrid/rock-garden-v0", scenario="key-door")`` is refused rather than making key-door under
rock-garden's id (Gymnasium merges the keyword arguments given into the registered ones, so a class as the entry
point cannot tell). They are named by strings ("playgrid._registered:rock_garden"), so specs stay serialisable."""

from __future__ import annotations

from ._native import ArgumentError, NAMES_SCENARIOS, names
from .env import PlayGridEnv, PlayGridVectorEnv


def entry_point(scenario: str, vector: bool = False) -> str:
    """The entry point Gymnasium registers for a shipped scenario's environment (or vector environment)."""
    return f"{__name__}:{_attribute(scenario, vector)}"


def _attribute(scenario: str, vector: bool) -> str:
    return "scenario_" + scenario.replace("-", "_") + ("_vector" if vector else "")


def _maker(name: str, cls):
    def make(*args, scenario=name, **kwargs):
        if scenario != name:
            raise ArgumentError(f"PlayGrid/{name}-v0 is the {name} scenario, not {scenario!r}: make that one with "
                                f"gymnasium.make(\"PlayGrid/{scenario}-v0\") or playgrid.make({scenario!r})")
        return cls(*args, scenario=name, **kwargs)

    make.__name__ = make.__qualname__ = _attribute(name, cls is PlayGridVectorEnv)
    make.__doc__ = f"A {cls.__name__} of {name}."
    make.metadata = cls.metadata  # what Gymnasium reads of an entry point: its render modes
    return make


for _name in names(NAMES_SCENARIOS):
    for _cls in (PlayGridEnv, PlayGridVectorEnv):
        globals()[_attribute(_name, _cls is PlayGridVectorEnv)] = _maker(_name, _cls)
