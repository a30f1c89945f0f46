"""Plain-text tables of SELECT answers for the terminal."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, QueryBoolean

from coprokg.vocab import PREFIXES


def compact(term) -> str:
    """A term as a reader wants to see it: prefixed names for known IRIs, bare literal text."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        for prefix, namespace in PREFIXES.items():
            namespace = str(namespace)
            if term.value.startswith(namespace) and len(term.value) > len(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return f"<{term.value}>"
    if isinstance(term, Literal):
        return term.value
    return str(term)


def render(result, max_width: int = 60) -> str:
    if isinstance(result, QueryBoolean):
        return "true" if bool(result) else "false"
    names = [v.value for v in result.variables]
    rows = [[_clip(compact(solution[name]), max_width) for name in names] for solution in result]
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(names)]
    lines = [
        "  ".join(name.ljust(width) for name, width in zip(names, widths)).rstrip(),
        "  ".join("-" * width for width in widths),
        *("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows),
    ]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
