"""SQLite's LIKE folds only ASCII case, so "гидро" would not find "Гидромаш". Russian users search in Russian:
on SQLite we replace LIKE with a Unicode-aware one. PostgreSQL needs nothing (UPPER() is Unicode-aware there).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache


def _unescape(text: str, escape: str | None) -> str | None:
    """The literal text of a pattern part, or None when it holds a wildcard."""
    out, index = [], 0
    while index < len(text):
        char = text[index]
        if escape and char == escape and index + 1 < len(text):
            out.append(text[index + 1])
            index += 2
            continue
        if char in "%_":
            return None
        out.append(char)
        index += 1
    return "".join(out)


@lru_cache(maxsize=256)
def _matcher(like: str, escape: str | None) -> Callable[[str], bool]:
    # Fast path for what icontains/istartswith/iendswith send: one literal with % around it.
    inner = like[1:-1] if len(like) >= 2 and like.startswith("%") and like.endswith("%") else None
    if inner is not None and not inner.endswith(escape or "\0"):
        needle = _unescape(inner, escape)
        if needle is not None:
            needle = needle.casefold()
            return lambda value: needle in value.casefold()
    parts, index = [], 0
    while index < len(like):
        char = like[index]
        if escape and char == escape and index + 1 < len(like):
            parts.append(re.escape(like[index + 1]))
            index += 2
            continue
        parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        index += 1
    pattern = re.compile("".join(parts), re.DOTALL | re.IGNORECASE)
    return lambda value: pattern.fullmatch(value) is not None


def unicode_like(pattern: str | None, value, escape: str | None = None) -> bool | None:
    """SQL ``value LIKE pattern [ESCAPE escape]``, case-insensitive for every alphabet (NULL stays NULL)."""
    if pattern is None or value is None:
        return None
    return _matcher(pattern, escape)(value if isinstance(value, str) else str(value))


def install_unicode_like(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("like", 2, lambda pattern, value: unicode_like(pattern, value), deterministic=True)
    raw.create_function("like", 3, unicode_like, deterministic=True)
