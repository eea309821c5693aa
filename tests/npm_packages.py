"""The npm packages the tests use (pinned in ``tests/package.json``), and what a test does
when they are missing.

``.ci/run`` installs them (``npm ci --prefix tests``) and sets ``CI=1``; there a missing
package fails the test, since a skip would hide a broken check. On a fresh machine that
ran only the README's test command they are not installed, and the tests that need them
skip, saying how to install them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

__all__ = ["NODE_MODULES", "require_npm_package"]

NODE_MODULES = Path(__file__).resolve().parent / "node_modules"


def require_npm_package(package: str) -> str:
    """The ``node`` executable, once ``package`` is installed; else skip (fail under CI)."""
    node = shutil.which("node")
    if node is None:
        why = "node is not installed: apt-get install -y nodejs npm"
    elif not (NODE_MODULES / package).is_dir():
        why = f"{package} is not installed in tests/node_modules: npm ci --prefix tests"
    else:
        return node
    if os.environ.get("CI"):
        pytest.fail(f"{why} (CI is set: .ci/run installs it)")
    pytest.skip(why)
