"""The C header is the library's interface: every function it declares is exported and bound, its constants are
the ones Python uses, and a C program built against it steps worlds without allocating."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from playgrid import _native

HEADER = _native.header_path


def header_text():
    if HEADER is None:
        pytest.skip("playgrid.h is neither installed beside the library nor in a checkout")
    return HEADER.read_text()


def test_every_declared_function_is_exported_and_bound_with_its_arity():
    declared = dict(re.findall(r"^\s*(?:const\s+)?\w+\s*\*?\s*(pg_\w+)\(([^)]*)\)", header_text(), re.M))
    assert set(declared) == set(_native.SIGNATURES)
    for name, parameters in declared.items():
        arity = 0 if parameters.strip() == "void" else parameters.count(",") + 1
        assert len(_native.SIGNATURES[name][1]) == arity, name
        assert getattr(_native.lib, name)


def test_the_constants_are_the_headers():
    text = header_text()
    constants = {name: int(value) for name, value in re.findall(r"\b(PG_\w+)\s*=\s*(\d+)", text)}
    assert re.search(rf"#define PG_ABI_VERSION {_native.ABI_VERSION}\b", text)
    assert _native.lib.pg_abi_version() == _native.ABI_VERSION
    for name, (number, _, _) in _native.BUFFERS.items():
        assert constants[f"PG_BUFFER_{name.upper()}"] == number
    for name, number in _native.PROPERTIES.items():
        assert constants[f"PG_PROPERTY_{name.upper()}"] == number
    for name, number in _native.TEXTS.items():
        assert constants[f"PG_TEXT_{name.upper()}"] == number
    statuses = ["OK", "ERROR_ARGUMENT", "ERROR_HANDLE", "ERROR_SCENARIO", "ERROR_FUN", "ERROR_ACTION", "ERROR_TAPE",
                "ERROR_SPACE", "ERROR_THEME"]
    for name in statuses:
        assert constants[f"PG_{name}"] == getattr(_native, name)
    for name in ("TASK_ACTIONS", "PLAY_ACTIONS", "EVENTS", "TILES", "THINGS", "DIRECTIONS", "FUN_MODELS", "SCENARIOS",
                 "COLORS"):
        assert constants[f"PG_NAMES_{name}"] == getattr(_native, f"NAMES_{name}")
    assert (constants["PG_RENDER_SYMBOLS"], constants["PG_RENDER_GLYPHS"], constants["PG_RENDER_ANSI"]) == (
        _native.RENDER_SYMBOLS, _native.RENDER_GLYPHS, _native.RENDER_ANSI)


@pytest.fixture(scope="module")
def counter(tmp_path_factory):
    """alloc_count.c built against the header and the loaded library."""
    compiler = shutil.which("cc") or shutil.which("clang")
    if compiler is None:
        pytest.skip("no C compiler")
    header_text()
    program = tmp_path_factory.mktemp("c") / "alloc_count"
    library = _native.library_path.parent
    subprocess.run([compiler, "-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", f"-I{HEADER.parent}",
                    str(Path(__file__).with_name("alloc_count.c")), f"-L{library}", "-lPlayGridC",
                    f"-Wl,-rpath,{library}", "-o", str(program)], check=True)

    def run(scenario, fun, environments, steps):
        out = subprocess.run([str(program), scenario, fun, str(environments), str(steps)], capture_output=True,
                             text=True, env=os.environ, check=True, timeout=300).stdout.split()
        return {out[i]: int(out[i + 1]) for i in range(0, len(out), 2)}

    return run


@pytest.mark.parametrize("scenario", ["playroom", "sandbox"])
def test_steps_allocate_nothing(counter, scenario):
    counted = counter(scenario, "delight=1", 64, 1000)
    assert counted["steps"] == 64_000 and counted["new-trials"] > 0
    assert counted["allocations"] == 0, counted


def test_only_a_new_mdp_allocates(counter):
    counted = counter("rock-garden", "delight=1", 32, 1000)
    assert counted["new-trials"] > 20
    assert counted["allocations"] <= 100 * counted["new-trials"], counted
