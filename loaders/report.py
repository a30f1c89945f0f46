"""What a load found: problems tied to where they are (file, line or row, record, field, value).

Every stage of the pipeline adds :class:`Problem` objects to one :class:`Report`; errors stop
the load before anything is written, warnings are printed with the summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coprokg.errors import CoprokgError


@dataclass(frozen=True)
class Origin:
    """Where a record came from: file name, line (or CSV row) and the record's own key."""

    file: str
    line: int | None = None
    key: str | None = None
    unit: str = "line"

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f" {self.unit} {self.line}"
        if self.key:
            text += f" record {self.key!r}"
        return text


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" or "warning"
    origin: Origin
    message: str
    hint: str = ""
    field: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = str(self.origin)
        if self.field:
            where += f" field {self.field}"
        text = f"{self.severity}: {where}: {self.message}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            text += f" (value {shown!r})"
        return f"{text} -> {self.hint}" if self.hint else text

    def to_dict(self) -> dict[str, object]:
        body = {"severity": self.severity, "file": self.origin.file, "message": self.message}
        for name, value in (("line", self.origin.line), ("record", self.origin.key), ("field", self.field),
                            ("value", self.value), ("hint", self.hint or None)):
            if value is not None:
                body[name] = value
        return body


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    def error(self, origin: Origin, message: str, hint: str = "", *, field: str | None = None,
              value: object = None) -> None:
        self.problems.append(Problem("error", origin, message, hint, field, _text(value)))

    def warning(self, origin: Origin, message: str, hint: str = "", *, field: str | None = None,
                value: object = None) -> None:
        self.problems.append(Problem("warning", origin, message, hint, field, _text(value)))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InvalidInput(self)


class InvalidInput(CoprokgError):
    """The input cannot be loaded as it is; ``report`` lists every problem found."""

    kind = "invalid-input"

    def __init__(self, report: Report):
        errors = report.errors
        first = errors[0]
        more = f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        super().__init__(f"{first.message}{more}", where=str(first.origin), hint=first.hint or None)
        self.report = report

    def __str__(self) -> str:
        count = len(self.report.errors)
        lines = [f"the input has {count} error{'s' if count != 1 else ''}; nothing was written"]
        return "\n".join(lines + [f"  {p}" for p in self.report.problems])

    def to_dict(self) -> dict[str, object]:
        body = super().to_dict()
        body["problems"] = [p.to_dict() for p in self.report.problems]
        return body


def _text(value: object) -> str | None:
    return None if value is None else str(value)
