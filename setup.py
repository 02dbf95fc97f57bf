"""Build hook: copies content/ and resources/ into the wheel (as app/_data/) so an installed
IronBone finds them; app/paths.py looks there first. Metadata lives in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads content/ from the checkout
        for name in ("content", "resources"):
            src = HERE / name
            if src.is_dir():
                dst = Path(self.build_lib) / "app" / "_data" / name
                shutil.copytree(src, dst, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithData})
