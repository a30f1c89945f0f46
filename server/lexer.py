"""One reading of a SPARQL text, for the check and the engine alike.

https://www.w3.org/TR/sparql11-query/#grammar

Two parsers disagreeing on where a comment ends or what an escape means is a way around any
check made with one of them and run with the other. So the text a request sends is first
made canonical (:func:`canonical`), and only the canonical text is checked and run:

- codepoint escapes (``\\u0053``, ``\\U00000053``) are expanded once, as the grammar says
  they are before anything else is read (section 19.2); an escape that spells another
  escape, or no character, is refused;
- every line terminator the grammar knows (``\\r\\n``, a bare ``\\r``, ``\\n``) becomes
  ``\\n``, so a comment ends at the same place for every reader. A carriage return written
  raw inside a long string becomes a line feed (as XML does with line ends); write
  ``\\r`` in the string to keep one.

:func:`scan` then reads the canonical text with the grammar's terminals (comments, the four
string forms, IRIREF, prefixed names with their ``\\`` escapes, variables) and answers how
deep ``{ }``, ``( )`` and ``[ ]`` nest and which keywords are written outside strings, IRIs
and comments. The grammar's lexer reads ``<(((x)))&&?s>`` as an IRI; an engine may read the
same characters as a less-than and brackets when they stand in an expression. Inside a
``(``, such a span is therefore also counted as code, and where reading it as code would
start a comment or a string (it holds ``#`` or ``'``), the rest of its line is counted as
code whatever it holds: every opening bracket counts, no closing one does. The measure is
thereby never below the depth any reader sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coprokg.errors import QueryError

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_BARE_WORD = re.compile(r"(?<![?$:\w])[^\W\d]\w*(?![:\w])")
_LONG_STRING = re.compile(r'"""|\'\'\'')
_LOCAL = r"(?:[\w:%.\-]|\\[_~.\-!$&'()*+,;=/?#@%])*"
_TOKEN = re.compile(
    r'(?P<comment>#[^\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r'|(?P<name>[?$]\w+|(?:[^\W\d_](?:[\w.\-]*[\w\-])?)?:' + _LOCAL + r')'
    r'|(?P<word>[^\W\d]\w*)'
    r'|(?P<open>[{(\[])|(?P<close>[})\]])'
    r'|(?P<other>[^#"\'<{}()\[\]?$:\w]+|\d+|.)',
    re.DOTALL,
)


@dataclass(frozen=True)
class Scan:
    depth: int  # the deepest nesting of { } ( ) [ ] any reader of the text sees (or more)
    keywords: frozenset[str]  # upper-cased words written as code


def canonical(text: str, what: str = "query") -> str:
    """The one text that is checked and run (see the module's docstring)."""
    expanded = _ESCAPE.sub(lambda found: _character(found, what, text), text)
    again = _ESCAPE.search(expanded)
    if again:
        raise QueryError(
            f"the codepoint escapes in the {what} spell another escape, {again.group()!r}",
            where=_position(what, text, text.find(again.group()[1:])),
            hint="write the character itself, or one escape for it",
        )
    return expanded.replace("\r\n", "\n").replace("\r", "\n")


def scan(text: str) -> Scan:
    """Nesting depth and code keywords of a canonical text."""
    stack: list[str] = []
    deepest = 0
    keywords: set[str] = set()
    position = 0
    while position < len(text):
        token = _TOKEN.match(text, position)
        kind, value = token.lastgroup, token.group()
        position = token.end()
        if kind == "word":
            keywords.add(value.upper())
        elif kind == "open":
            stack.append(value)
            deepest = max(deepest, len(stack))
        elif kind == "close":
            if stack:
                stack.pop()
        elif kind == "iri" and "(" in stack:
            inner = value[1:-1]
            if "#" in inner or "'" in inner:
                line_end = text.find("\n", token.start())
                line_end = len(text) if line_end < 0 else line_end
                deepest = max(deepest, _uncertain(text[token.start() + 1 : line_end], stack, keywords))
                position = line_end
            else:
                deepest = max(deepest, _as_code(inner, stack))
    return Scan(deepest, frozenset(keywords))


def _as_code(inner: str, stack: list[str]) -> int:
    """Count the brackets of an IRI-shaped span as code: its deepest point; the stack keeps
    the brackets it leaves open (those it closes beyond its own are not taken off)."""
    local = peak = 0
    for char in inner:
        if char in "([":
            local += 1
            peak = max(peak, local)
        elif char in ")]":
            local -= 1
    deepest = len(stack) + peak
    stack.extend("(" * max(0, local))
    return deepest


def _uncertain(rest: str, stack: list[str], keywords: set[str]) -> int:
    """The rest of a line whose reading depends on its context: every opening bracket counts,
    no closing one does, every word may be a keyword; a long string starting here is refused,
    since where it ends would depend on the reading too."""
    if _LONG_STRING.search(rest):
        raise QueryError(
            "the query can be read two ways here: an IRI holding '#' or a quote stands in an "
            "expression, and a long string starts on the same line",
            where=f"near {rest[:40]!r}",
            hint="put the long string on a line of its own, or a space after the '<' of a less-than",
        )
    keywords.update(word.upper() for word in _BARE_WORD.findall(rest))
    opened = sum(rest.count(char) for char in "{([")
    stack.extend("(" * opened)
    return len(stack)


def _character(found: re.Match, what: str, text: str) -> str:
    code = int(found.group(1) or found.group(2), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise QueryError(
            f"{found.group()} is not a character",
            where=_position(what, text, found.start()),
            hint="write a Unicode scalar value (not a surrogate, at most \\U0010FFFF)",
        )
    return chr(code)


def _position(what: str, text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{what} line {line}, column {column}"
