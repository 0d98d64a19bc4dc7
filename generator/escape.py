"""The one way text from a spec reaches generated code.

A spec is input, and input can be hostile: a title ending a docstring and starting
code, a path template holding an expression, a NUL byte that makes a file no longer
compile. Everything the generator takes from a spec and prints into Python source
goes through one of these functions, and nothing else is ever printed from a spec:

* :func:`py_literal` - a Python literal for a value (strings are double-quoted
  and escaped, so the text is data, never code);
* :func:`doc_text` - text for the inside of a ``\"\"\"docstring\"\"\"``;
* :func:`comment_text` - text for a ``#`` comment (one line);
* :func:`fstring_text` - static text inside an f-string (a path template's fixed part).

Identifiers are the other half: :mod:`generator.naming` turns any string into a
valid, non-shadowing one, so a spec name is never printed as an identifier unchecked.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Characters that must not appear raw in source text: C0/C1 controls other than tab and
# newline, the line and paragraph separators, and lone surrogates (a file with one is not
# valid UTF-8).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _escape_unsafe(text: str) -> str:
    return _UNSAFE.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def py_literal(value: Any) -> str:
    """A Python literal for a JSON value from the spec: ``None``/``True``/numbers/a double-quoted string."""
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return "None"
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else f'float("{value}")'
    # JSON string escaping is valid Python string escaping; ensure_ascii=False keeps names readable,
    # so the characters JSON leaves raw but Python source must not hold are escaped on top.
    text = json.dumps(str(value), ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def doc_text(text: str) -> str:
    """``text`` safe inside a triple-double-quoted docstring: backslashes, quotes and controls escaped."""
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return _escape_unsafe(text).replace("\r", "")


def comment_text(text: str) -> str:
    """``text`` as the rest of one ``#`` comment line."""
    return " ".join(_escape_unsafe(text).split())


def fstring_text(text: str) -> str:
    """Static text for the inside of a double-quoted f-string: escaped as a literal, braces doubled."""
    return py_literal(text)[1:-1].replace("{", "{{").replace("}", "}}")
