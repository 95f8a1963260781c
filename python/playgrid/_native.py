"""The C interface of libPlayGridC (Sources/PlayGridC/include/playgrid.h) through ctypes.

Everything Swift knows — scenario names, the lists of tiles, things, actions and events — is read from the
library, never written down here, so new ones appear in Python as soon as the library has them.
"""

from __future__ import annotations

import ctypes
import os
import re
import struct
from ctypes import POINTER, c_char_p, c_int32, c_int64, c_size_t, c_uint32, c_uint64, c_void_p
from pathlib import Path

import numpy as np

ABI_VERSION = 1

# Statuses (PG_OK, PG_ERROR_*).
OK, ERROR_ARGUMENT, ERROR_HANDLE, ERROR_SCENARIO, ERROR_FUN, ERROR_ACTION, ERROR_TAPE, ERROR_SPACE, ERROR_THEME = range(9)

# Lists of names (PG_NAMES_*).
NAMES_TASK_ACTIONS, NAMES_PLAY_ACTIONS, NAMES_EVENTS, NAMES_TILES, NAMES_THINGS, NAMES_DIRECTIONS = range(6)
NAMES_FUN_MODELS, NAMES_SCENARIOS, NAMES_COLORS = 6, 7, 8

# Output buffers (PG_BUFFER_*): number, dtype, elements per environment (None: the batch decides). Listed widest
# element first, so that laid out one after another in one block they need no padding.
BUFFERS = {
    "position": (2, np.int64, 2),
    "direction": (3, np.int64, 1),
    "energy": (4, np.int64, 1),
    "events": (11, np.uint64, 1),
    "trial": (12, np.int64, 1),
    "episode": (13, np.int64, 1),
    "step": (14, np.int64, 1),
    "context": (15, np.int64, 1),
    "reward": (5, np.float32, 1),
    "task_reward": (6, np.float32, 1),
    "fun": (7, np.float32, None),
    "terminated": (8, np.bool_, 1),
    "truncated": (9, np.bool_, 1),
    "succeeded": (10, np.bool_, 1),
    "carrying": (1, np.uint8, 2),
    "image": (0, np.uint8, None),
}

# Properties (PG_PROPERTY_*), texts (PG_TEXT_*) and renderings (PG_RENDER_*).
PROPERTIES = {
    "count": 0, "view_size": 1, "map_width": 2, "map_height": 3, "task_actions": 4, "play_actions": 5,
    "fun_components": 6, "episodes_per_trial": 7, "max_steps": 8, "play_afforded": 9, "max_energy": 10,
}
TEXTS = {"scenario_name": 0, "scenario_summary": 1, "origin": 2, "fun_spec": 3, "fun_components": 4, "task": 5}
RENDER_SYMBOLS, RENDER_GLYPHS, RENDER_ANSI = 0, 1, 2


class Error(Exception):
    """A failure reported by PlayGrid; `status` is the C status code, the message is PlayGrid's own."""

    def __init__(self, message: str, status: int = ERROR_ARGUMENT):
        super().__init__(message)
        self.status = status


class ArgumentError(Error, ValueError):
    """A bad argument: a wrong size, shape or type, an index out of range."""


class ClosedError(Error):
    """The environment (or tape) was closed, or never opened."""


class ScenarioError(Error):
    """An unknown scenario, a scenario file that does not parse (file:line:column), or no MDP to draw."""


class FunSpecError(Error, ValueError):
    """A fun spec that does not parse."""


class ActionError(Error, ValueError):
    """An action half out of range."""


class TapeError(Error):
    """A tape that cannot be written, or a step that does not follow it."""


class ThemeError(Error):
    """A theme that cannot be found or read."""


_ERRORS = {
    ERROR_ARGUMENT: ArgumentError, ERROR_HANDLE: ClosedError, ERROR_SCENARIO: ScenarioError, ERROR_FUN: FunSpecError,
    ERROR_ACTION: ActionError, ERROR_TAPE: TapeError, ERROR_SPACE: ArgumentError, ERROR_THEME: ThemeError,
}

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent  # python/playgrid -> the repository, when run from a checkout


def _locate() -> Path:
    """The library: $PLAYGRID_LIBRARY, else the one installed with the package, else a checkout's release build."""
    override = os.environ.get("PLAYGRID_LIBRARY")
    if override:
        return Path(override)
    for candidate in (_PACKAGE / "lib" / "libPlayGridC.so", _CHECKOUT / ".build" / "release" / "libPlayGridC.so"):
        if candidate.exists():
            return candidate
    raise ImportError(
        "libPlayGridC.so was not found: install the package with `pip install ./python` from a PlayGrid checkout "
        "(it builds the library), or build it with `swift build -c release --product PlayGridC` and set "
        "PLAYGRID_LIBRARY to its path"
    )


def _share_files() -> None:
    """Points the library at the shipped scenarios and themes (installed beside it, or the checkout's)."""
    shipped = _PACKAGE / "lib"
    home = shipped if (shipped / "scenarios").is_dir() else _CHECKOUT
    if (home / "scenarios").is_dir() and (home / "assets" / "themes").is_dir():
        os.environ.setdefault("PLAYGRID_HOME", str(home))


def _load() -> ctypes.CDLL:
    _share_files()
    path = _locate()
    try:
        lib = ctypes.CDLL(str(path))
    except OSError as error:
        raise ImportError(f"{path}: cannot load the PlayGrid library: {error}") from error
    for name, (result, arguments) in SIGNATURES.items():
        function = getattr(lib, name)
        function.restype = result
        function.argtypes = arguments
    if lib.pg_abi_version() != ABI_VERSION:
        raise ImportError(f"{path} speaks C interface version {lib.pg_abi_version()}; this package needs {ABI_VERSION}")
    return lib


#: Every function of playgrid.h: (result, arguments).
SIGNATURES = {
    "pg_abi_version": (c_uint32, []),
    "pg_version": (c_char_p, []),
    "pg_error_message": (c_char_p, []),
    "pg_names": (c_int32, [c_int32, c_void_p, c_size_t, POINTER(c_size_t)]),
    "pg_batch_open": (c_int32, [c_char_p, c_char_p, c_void_p, c_size_t, POINTER(c_uint64)]),
    "pg_batch_close": (c_int32, [c_uint64]),
    "pg_batch_get": (c_int32, [c_uint64, c_int32, POINTER(c_int64)]),
    "pg_batch_text": (c_int32, [c_uint64, c_int32, c_void_p, c_size_t, POINTER(c_size_t)]),
    "pg_batch_bind": (c_int32, [c_uint64, c_int32, c_void_p, c_size_t]),
    "pg_batch_reset": (c_int32, [c_uint64, c_void_p, c_void_p, c_size_t]),
    "pg_batch_next_episode": (c_int32, [c_uint64, c_void_p, c_size_t]),
    "pg_batch_step": (c_int32, [c_uint64, c_void_p, c_size_t]),
    "pg_render_text": (c_int32, [c_uint64, c_size_t, c_int32, c_char_p, c_void_p, c_size_t, POINTER(c_size_t)]),
    "pg_render_rgb": (c_int32, [c_uint64, c_size_t, c_int32, c_char_p, c_void_p, c_size_t]),
    "pg_tape_open": (c_int32, [c_uint64, c_size_t, c_char_p, c_char_p, c_int32, POINTER(c_uint64)]),
    "pg_tape_record": (c_int32, [c_uint64, c_void_p, c_size_t, c_void_p, c_size_t, c_void_p]),
    "pg_tape_close": (c_int32, [c_uint64]),
}


lib = _load()
version = lib.pg_version().decode()
#: Where the loaded library is, and its C header (installed beside it, or in the checkout).
library_path = _locate()
header_path = next((path for path in (library_path.parent / "playgrid.h",
                                      _CHECKOUT / "Sources" / "PlayGridC" / "include" / "playgrid.h") if path.exists()),
                   None)


def check(status: int) -> None:
    """Raises the error a failed call reported, with the library's message."""
    if status != OK:
        message = lib.pg_error_message().decode("utf-8", "replace")
        raise _ERRORS.get(status, Error)(message, status)


def _text(call) -> str:
    """A text from a (buffer, capacity, length) call: asks for the length first."""
    length = c_size_t(0)
    status = call(None, 0, ctypes.byref(length))
    if status not in (OK, ERROR_SPACE):
        check(status)
    buffer = ctypes.create_string_buffer(length.value + 1)
    check(call(buffer, len(buffer), ctypes.byref(length)))
    return buffer.value.decode("utf-8")


def names(kind: int) -> tuple[str, ...]:
    """A list of names from the library; entry i names code i."""
    text = _text(lambda buffer, capacity, length: lib.pg_names(kind, buffer, capacity, length))
    return tuple(text.split("\n")) if text else ()


def _seeds(seeds) -> np.ndarray:
    array = np.asarray(seeds)
    if array.dtype.kind not in "iu" or (array.size and (array.min() < 0 or int(array.max()) >= 1 << 64)):
        raise ArgumentError(f"seeds must be integers from 0 to 2**64 - 1; got {seeds!r}")
    return np.ascontiguousarray(array, dtype=np.uint64)


class Batch:
    """A handle on N worlds in the library with every output buffer bound to a numpy array (`outputs`).

    The arrays are rewritten in place by every reset and step; callers copy what they keep.
    """

    def __init__(self, scenario: str | os.PathLike, fun: str | None, seeds):
        if not isinstance(scenario, (str, os.PathLike)):
            raise ArgumentError(f"scenario must be a shipped scenario's name or a path; got {scenario!r}")
        # The library would look for a file of that name: say what was meant instead.
        gymnasium_id = re.fullmatch(r"PlayGrid/(.+)-v0", scenario) if isinstance(scenario, str) else None
        if gymnasium_id and not os.path.exists(scenario):
            raise ScenarioError(f"{scenario} is a Gymnasium id: gymnasium.make({scenario!r}), or "
                                f"playgrid.make({gymnasium_id[1]!r})", ERROR_SCENARIO)
        if fun is not None and not isinstance(fun, str):
            raise ArgumentError(f"fun must be a fun spec such as 'delight=1,novelty=0.1'; got {fun!r}")
        seeds = _seeds(seeds)
        handle = c_uint64(0)
        check(lib.pg_batch_open(os.fsencode(scenario), None if fun is None else fun.encode(), seeds.ctypes.data,
                                seeds.size, ctypes.byref(handle)))
        self.handle = handle.value
        self.count = self.get("count")
        self.view_size = self.get("view_size")
        self.map_size = (self.get("map_width"), self.get("map_height"))
        components = self.text("fun_components")
        self.fun_components = tuple(components.split("\n")) if components else ()
        # Every output lives in one block, buffer after buffer, so that a single environment's step can be read
        # with one `struct` unpack (see `scalars`).
        shapes = {"image": (self.view_size, self.view_size, 3), "fun": (len(self.fun_components),)}
        layout, offset = [], 0
        for name, (number, dtype, per_env) in BUFFERS.items():
            shape = (self.count, *shapes.get(name, () if per_env == 1 else (per_env,)))
            nbytes = int(np.prod(shape)) * np.dtype(dtype).itemsize
            layout.append((name, number, dtype, shape, offset, nbytes))
            offset += -(-nbytes // 8) * 8
        self.block = np.zeros(offset, dtype=np.uint8)
        self.outputs: dict[str, np.ndarray] = {}
        for name, number, dtype, shape, offset, nbytes in layout:
            array = self.block[offset:offset + nbytes].view(dtype).reshape(shape)
            self.outputs[name] = array
            if nbytes:
                check(lib.pg_batch_bind(self.handle, number, array.ctypes.data, nbytes))
        #: For a batch of one: every output before the image (see `BUFFERS`), unpacked at once from `block`.
        self.scalars = self._scalars(layout) if self.count == 1 else None
        self._mask = np.zeros(self.count, dtype=np.uint8)

    def __reduce__(self):
        # The worlds live in the library; a copy would share or lose them. Say what to do instead of
        # pickle's "cannot pickle '_struct.Struct' object".
        raise ArgumentError("a PlayGrid environment holds its worlds in the native library and cannot be copied or "
                            "pickled; make another with the same scenario, fun and seed")

    def _scalars(self, layout) -> struct.Struct:
        formats = {"position": "2q", "direction": "q", "energy": "q", "events": "Q", "trial": "q", "episode": "q",
                   "step": "q", "context": "q", "reward": "f", "task_reward": "f",
                   "fun": f"{len(self.fun_components)}f", "terminated": "?", "truncated": "?", "succeeded": "?",
                   "carrying": "2B"}
        text, end = "<", 0
        for name, _, _, _, offset, nbytes in layout[:-1]:
            text += "x" * (offset - end) + formats[name]
            end = offset + nbytes
        return struct.Struct(text)

    def get(self, name: str) -> int:
        value = c_int64(0)
        check(lib.pg_batch_get(self.handle, PROPERTIES[name], ctypes.byref(value)))
        return value.value

    def text(self, name: str) -> str:
        return _text(lambda buffer, capacity, length: lib.pg_batch_text(self.handle, TEXTS[name], buffer, capacity, length))

    def _mask_pointer(self, mask) -> int | None:
        if mask is None:
            return None
        chosen = np.asarray(mask)
        if chosen.shape != (self.count,):
            raise ArgumentError(f"the reset mask has shape {chosen.shape}; this batch needs ({self.count},)")
        self._mask[:] = chosen != 0
        return self._mask.ctypes.data

    def reset(self, seeds, mask=None) -> None:
        """Restarts the environments (those of `mask`) from `seeds`, one per environment."""
        self.check_open()
        seeds = _seeds(seeds)
        if seeds.shape != (self.count,):
            raise ArgumentError(f"{seeds.size} seeds for {self.count} environments")
        check(lib.pg_batch_reset(self.handle, seeds.ctypes.data, self._mask_pointer(mask), self.count))

    def next_episode(self, mask=None) -> None:
        """Begins the next episode of the environments (those of `mask`), as a reset without a seed."""
        self.check_open()
        check(lib.pg_batch_next_episode(self.handle, self._mask_pointer(mask), self.count))

    def render_text(self, index: int, style: int, theme: str = "unicode") -> str:
        self.check_open()
        theme_bytes = theme.encode()
        return _text(lambda buffer, capacity, length: lib.pg_render_text(
            self.handle, index, style, theme_bytes, buffer, capacity, length))

    def render_rgb(self, index: int, cell_pixels: int, theme: str = "unicode") -> np.ndarray:
        self.check_open()
        width, height = self.map_size
        frame = np.empty((height * cell_pixels, width * cell_pixels, 3), dtype=np.uint8)
        check(lib.pg_render_rgb(self.handle, index, cell_pixels, theme.encode(), frame.ctypes.data, frame.nbytes))
        return frame

    def check_open(self) -> None:
        """Raises `ClosedError` once closed (the library would only say that 0 is not a batch handle)."""
        if not self.handle:
            raise ClosedError("the environment is closed", ERROR_HANDLE)

    def close(self) -> None:
        if self.handle:
            lib.pg_batch_close(self.handle)
            self.handle = 0

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def actions_array(actions) -> np.ndarray:
    """Actions as the library takes them: int64 pairs, contiguous. Non-integer actions are refused here; sizes
    are the library's to check."""
    array = np.asarray(actions)
    if array.dtype.kind == "O" and array.size and all(type(value) is int for value in array.flat):
        _refuse_beyond_int64(array.flat)  # Python ints too large for any numpy integer type
    if array.dtype.kind not in "iu":
        raise ActionError(f"actions must be integer (task, play) pairs; got {array.dtype} {actions!r}")
    if array.dtype.kind == "u" and array.size:
        _refuse_beyond_int64(array.flat)
    return np.ascontiguousarray(array, dtype=np.int64)


def _refuse_beyond_int64(values):
    """Converting an action half no int64 holds would wrap it, and the library would name another number."""
    for value in values:
        if not -2**63 <= int(value) < 2**63:
            raise ActionError(f"action half {int(value)} is out of range: no action is that far from 0")
