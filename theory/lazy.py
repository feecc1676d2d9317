"""A package face that imports its public names on first use (PEP 562).

The command line imports light modules at startup and must not pay for sympy, torch or z3
before it has checked its arguments, so a package's `__init__` lists where each public
name lives and `lazy_exports` makes the module-level `__getattr__` / `__dir__` that import
it when it is first asked for (and keep it, so the import happens once).

>>> getattr_, dir_ = lazy_exports("demo", {"sqrt": "math", "root": "math:sqrt"}, {})
>>> getattr_("root")(9.0), "sqrt" in dir_()
(3.0, True)
>>> getattr_("cbrt")
Traceback (most recent call last):
...
AttributeError: module 'demo' has no attribute 'cbrt'
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_exports(package: str, where: dict[str, str], namespace: dict[str, Any]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """`(__getattr__, __dir__)` of `package`: `where[name]` is "module" (it holds `name`)
    or "module:attr" (it holds it as `attr`); `namespace` is the package's `globals()`."""

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attr = where[name].partition(":")
        value = getattr(importlib.import_module(module), attr or name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where))

    return __getattr__, __dir__
