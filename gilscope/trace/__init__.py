"""The trace pipeline: someone else's program, started under gilscope's bootstrap and watched from outside.

`gilscope.trace` is also the public function of the same name (see gilscope/__init__.py). Importing this package
sets the attribute `gilscope.trace` to the package, so the package is callable and calls that function: both
`gilscope.trace("script.py")` and `import gilscope.trace.tracer` keep working. Stdlib only: the bootstrap
(gilscope.trace.bootstrap) runs inside the traced program's own interpreter.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return sys.modules["gilscope"]._trace(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
