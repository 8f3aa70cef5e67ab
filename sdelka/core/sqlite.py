"""SQLite's LIKE folds only ASCII case, so "гидро" would not find "Гидромаш". Russian users search in Russian:
on SQLite we replace LIKE with a Unicode-aware one. PostgreSQL needs nothing (UPPER() is Unicode-aware there).
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _pattern(like: str, escape: str | None) -> re.Pattern:
    parts, index = [], 0
    while index < len(like):
        char = like[index]
        if escape and char == escape and index + 1 < len(like):
            parts.append(re.escape(like[index + 1]))
            index += 2
            continue
        parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        index += 1
    return re.compile("".join(parts), re.DOTALL | re.IGNORECASE)


def unicode_like(pattern: str | None, value, escape: str | None = None) -> bool | None:
    """SQL ``value LIKE pattern [ESCAPE escape]``, case-insensitive for every alphabet (NULL stays NULL)."""
    if pattern is None or value is None:
        return None
    return _pattern(pattern, escape).fullmatch(str(value)) is not None


def install_unicode_like(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("like", 2, lambda pattern, value: unicode_like(pattern, value), deterministic=True)
    raw.create_function("like", 3, unicode_like, deterministic=True)
