"""nbval on the notebooks, as the README gives the commands: ``pytest --nbval notebooks/en``.

Three defaults make that plain command check the committed outputs on any machine: the sanitizer
beside this file (what a rerun may change), the kernel of the Python running pytest (the
course's .venv, not whatever ``python`` the PATH finds), and each notebook run the way
``make notebooks`` ran it: offline on the fake model, no key, no ``.env``, in its folder's language.
An option given on the command line wins.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from coursekit.i18n import DEFAULT_LANGUAGE, LANGUAGES
from coursekit.notebook_outputs import SANITIZER, notebook_environment


def pytest_configure(config: pytest.Config) -> None:
    option = config.option
    if getattr(option, "nbval_sanitize_with", None) is None:
        option.nbval_sanitize_with = str(SANITIZER)
    if not getattr(option, "nbval_kernel_name", None):
        option.nbval_current_env = True


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    """The notebook's kernel starts in its first cell's set-up, and inherits this environment."""
    lang = item.path.parent.name if item.path.parent.name in LANGUAGES else DEFAULT_LANGUAGE
    environment = notebook_environment(lang)
    with pytest.MonkeyPatch.context() as patch:
        for name in set(os.environ) - set(environment):
            patch.delenv(name)
        for name, value in environment.items():
            patch.setenv(name, value)
        return (yield)
