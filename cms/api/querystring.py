"""Query strings: a parameter that takes one value is given once.

Ninja reads a repeated query parameter that is not a list as its last value,
so ``?lang=cs&lang=en`` would silently serve English. The Delivery API's
parser refuses it instead: a 400 of the ``repeated-parameter`` kind naming
the parameter. Parameters that take a list (``sector``, ``country``, ...) may
still be repeated.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from cms.api.errors import REPEATED_PARAMETER, ParameterError


class SingleValueParser(Parser):
    """Ninja's parser, refusing repeats of a single-valued query parameter."""

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict:
        for key in data:
            if key not in list_fields:
                values = data.getlist(key)
                if len(values) > 1:
                    raise ParameterError(
                        key,
                        f"given {len(values)} times; it takes one value",
                        kind=REPEATED_PARAMETER,
                    )
        return super().parse_querydict(data, list_fields, request)
