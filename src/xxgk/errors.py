"""Findings (what a check or a loader says about a report) and the one exception type."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    """How bad a finding is: errors stop a build, warnings do not (unless --strict)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # worth knowing, never a fault (e.g. no publication date to check)

    @property
    def chinese(self) -> str:
        """错误, 警告 or 提示, for messages."""
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True)
class Location:
    """A place in the report in its own words (表三/…/自然人), and where it stands in a file."""

    parts: tuple[str, ...] = ()
    file: str | None = None
    line: int | None = None  # 1-based
    cell: str | None = None  # in a workbook: 「表三 申请处理!D5」

    def __str__(self) -> str:
        return "/".join(self.parts)

    def at(self, file: str | None, line: int | None = None) -> Location:
        """The same place, attached to a file (and line, when known)."""
        return Location(self.parts, file, line if line is not None else self.line, self.cell)

    def in_cell(self, cell: str | None) -> Location:
        """The same place, with the workbook cell(s) that hold it."""
        return Location(self.parts, self.file, self.line, cell)

    def named(self) -> str:
        """The place as findings print it: 「表三 申请处理!D5（表三/…/自然人）」 in a workbook."""
        place = str(self)
        if self.cell is None:
            return place
        return f"{self.cell}（{place}）" if place else self.cell

    def where(self) -> str:
        """「文件:行」 prefix for text output; empty when neither is known."""
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Finding:
    """What a check, loader or importer found: stable code, severity, place, Chinese message."""

    code: str
    severity: Severity
    location: Location
    message: str

    @property
    def is_error(self) -> bool:
        """True for errors."""
        return self.severity is Severity.ERROR

    def with_file(self, file: str | None) -> Finding:
        """The same finding, attached to a file."""
        return Finding(self.code, self.severity, self.location.at(file), self.message)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape: {file, code, severity, location, message} (and line when known)."""
        data: dict[str, object] = {
            "file": self.location.file,
            "code": self.code,
            "severity": self.severity.value,
            "location": str(self.location),
            "message": self.message,
        }
        if self.location.line:
            data["line"] = self.location.line
        if self.location.cell:
            data["cell"] = self.location.cell
        return data

    def in_cell(self, cell: str | None) -> Finding:
        """The same finding, placed at workbook cell(s)."""
        return Finding(self.code, self.severity, self.location.in_cell(cell), self.message)

    def __str__(self) -> str:
        where = self.location.where()
        place = self.location.named()
        head = f"{where}: " if where else ""
        body = f"{place}：{self.message}" if place else self.message
        return f"{head}{self.severity.chinese} [{self.code}] {body}"


def error(code: str, parts: Iterable[str], message: str, line: int | None = None) -> Finding:
    """An error finding at a place in the report."""
    return Finding(code, Severity.ERROR, Location(tuple(parts), line=line), message)


def warning(code: str, parts: Iterable[str], message: str, line: int | None = None) -> Finding:
    """A warning finding at a place in the report."""
    return Finding(code, Severity.WARNING, Location(tuple(parts), line=line), message)


def info(code: str, parts: Iterable[str], message: str) -> Finding:
    """An information finding (never counted as an error or a warning)."""
    return Finding(code, Severity.INFO, Location(tuple(parts)), message)


@dataclass
class XxgkError(Exception):
    """The project's one exception: carries findings and, for the CLI, an exit code."""

    findings: list[Finding] = field(default_factory=list)
    exit_code: int = 1

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    @classmethod
    def single(
        cls,
        code: str,
        message: str,
        file: str | None = None,
        line: int | None = None,
        parts: Iterable[str] = (),
    ) -> XxgkError:
        """An error with one finding."""
        return cls([Finding(code, Severity.ERROR, Location(tuple(parts), file, line), message)])

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.findings)
