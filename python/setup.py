"""Builds PlayGrid's Swift library (libPlayGridC) in release mode and installs it with the package, with the shipped
scenarios and themes it reads, so that `pip install ./python` from a checkout needs nothing else but Swift.

Set PLAYGRID_LIBRARY to an already-built libPlayGridC.so to install that one instead of building.
"""

import os
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70
    from wheel.bdist_wheel import bdist_wheel

CHECKOUT = Path(__file__).resolve().parent.parent


def built_library() -> Path:
    given = os.environ.get("PLAYGRID_LIBRARY")
    if given:
        return Path(given)
    if not (CHECKOUT / "Package.swift").exists():
        raise SystemExit(f"playgrid: build the package from a PlayGrid checkout ({CHECKOUT} has no Package.swift), "
                         "or set PLAYGRID_LIBRARY to a built libPlayGridC.so")
    if shutil.which("swift") is None:
        raise SystemExit("playgrid: `swift` is not on PATH; install Swift 6 to build libPlayGridC, "
                         "or set PLAYGRID_LIBRARY to a built libPlayGridC.so")
    print("playgrid: swift build -c release --product PlayGridC", flush=True)
    subprocess.run(["swift", "build", "-c", "release", "--product", "PlayGridC"], cwd=CHECKOUT, check=True)
    binaries = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=CHECKOUT, check=True,
                              capture_output=True, text=True).stdout.strip()
    return Path(binaries) / "libPlayGridC.so"


class BuildWithLibrary(build_py):
    """Copies the library, the header, the shipped scenarios and the themes into playgrid/lib."""

    def run(self):
        super().run()
        target = Path(self.build_lib) / "playgrid" / "lib"
        if target.exists():
            shutil.rmtree(target)
        (target / "assets").mkdir(parents=True)
        library = built_library()
        if not library.exists():
            raise SystemExit(f"playgrid: {library} does not exist")
        shutil.copy2(library, target / "libPlayGridC.so")
        shutil.copy2(CHECKOUT / "Sources" / "PlayGridC" / "include" / "playgrid.h", target / "playgrid.h")
        shutil.copytree(CHECKOUT / "scenarios", target / "scenarios")
        shutil.copytree(CHECKOUT / "assets" / "themes", target / "assets" / "themes")


class PlatformWheel(bdist_wheel):
    """The wheel holds a compiled library: tag it for this platform, not as pure Python."""

    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        _, _, platform = super().get_tag()
        return "py3", "none", platform


setup(cmdclass={"build_py": BuildWithLibrary, "bdist_wheel": PlatformWheel})
