"""Every method of ours that overrides a library's takes what the library passes it.

Wagtail calls ``make_preview_request(request, mode, extra_attrs)``; ``BasePage``'s override
took two arguments besides ``self`` and every preview of unsaved changes was a 500, which no
test calling the method itself could see. Read from the classes: one check for every
override in ``cms/``, whichever view or signal calls it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import cms

#: Modules that cannot be imported in the test settings (production demands its secrets).
NOT_IMPORTED = ("cms.settings.production",)


def our_classes() -> list[type]:
    classes = {}
    for info in pkgutil.walk_packages(cms.__path__, "cms."):
        if ".migrations" in info.name or info.name in NOT_IMPORTED:
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == info.name:
                classes[f"{info.name}.{value.__qualname__}"] = value
    return list(classes.values())


def positional(function) -> tuple[int, bool]:
    """How many positional parameters ``function`` takes, and whether it takes ``*args``."""
    parameters = inspect.signature(function).parameters.values()
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    count = sum(parameter.kind in kinds for parameter in parameters)
    return count, any(
        parameter.kind is inspect.Parameter.VAR_POSITIONAL for parameter in parameters
    )


def overridden(klass: type, name: str):
    """The library's function that ``klass``'s ``name`` overrides, if the nearest is one."""
    for base in klass.__mro__[1:]:
        if name in vars(base):
            if base.__module__.startswith("cms."):
                return None  # checked where our own base defines it
            function = getattr(vars(base)[name], "__func__", vars(base)[name])
            return function if inspect.isfunction(function) else None
    return None


def short_overrides() -> list[str]:
    found = []
    for klass in our_classes():
        for name, value in vars(klass).items():
            ours = getattr(value, "__func__", value)
            if name.startswith("__") or not inspect.isfunction(ours):
                continue
            theirs = overridden(klass, name)
            if theirs is None:
                continue
            (taken, rest), (given, _) = positional(ours), positional(theirs)
            if taken < given and not rest:
                found.append(
                    f"{klass.__module__}.{klass.__qualname__}.{name}: takes {taken} positional "
                    f"arguments, {theirs.__module__}.{theirs.__qualname__} {given}"
                )
    return found


def test_every_override_takes_the_librarys_positional_arguments():
    assert short_overrides() == []


def test_the_check_sees_a_short_override():
    from wagtail.models import Page

    class Short(Page):
        def make_preview_request(self, original_request=None, preview_mode=None, **kwargs):
            raise NotImplementedError

        class Meta:
            abstract = True

    (taken, rest), (given, _) = (
        positional(Short.make_preview_request),
        positional(overridden(Short, "make_preview_request")),
    )
    assert (taken, rest, given) == (3, False, 4)
