"""Per-app hooks found by convention: ``<app>/demo.py`` and ``<app>/schedules.py``.

Each local app (``settings.LOCAL_APPS``) may ship these modules; the ``seed_demo`` and
``setup_schedules`` commands gather them in ``LOCAL_APPS`` order. An app joins by adding the
module, nothing is registered by hand.
"""

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule


def local_app_modules(submodule: str) -> Iterator[ModuleType]:
    """Yields ``<app>.<submodule>`` for every local app that has one."""
    for app_config in apps.get_app_configs():
        if app_config.name not in settings.LOCAL_APPS:
            continue
        if module_has_submodule(app_config.module, submodule):
            yield import_module(f"{app_config.name}.{submodule}")
