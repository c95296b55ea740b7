"""Official DfE statistics from data/reference/: validate every row, attribute it to councils, load it."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from etl import warehouse

REFERENCE = warehouse.ROOT / "data" / "reference"
HERE = Path(__file__).parent
FILES = HERE / "official_files.toml"
MEASURES = HERE / "official_measures.csv"
TOLERANCES = HERE / "official_tolerances.csv"


@dataclass
class Problem:
    """One thing wrong with a reference file: where it is and why."""

    file_name: str
    line: int | None
    column: str | None
    cell: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file_name} line {self.line}" if self.line else self.file_name
        what = f"{self.column} {self.cell!r} " if self.column else ""
        return f"{where}: {what}{self.reason}"


@dataclass
class OfficialSummary:
    """What one load did, file by file."""

    loaded: dict[str, int] = field(default_factory=dict)
    suppressed: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary a person reads at the end of a load."""
        out = [f"{name}: {n} values loaded, {self.suppressed.get(name, 0)} suppressed or not applicable"
               for name, n in self.loaded.items()]
        out.append(f"{len(self.problems)} problems" + (":" if self.problems else ""))
        out += [f"  {p}" for p in self.problems]
        return out


@dataclass
class _Council:
    name: str
    ons_codes: set[str]
    valid_from: date | None
    valid_to: date | None

    def existed_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


def run(ref_dir: Path = REFERENCE, db_path: Path = warehouse.DEFAULT_DB) -> OfficialSummary:
    """Load the official tables in ref_dir into the database and publish it."""
    with warehouse.building(db_path) as con:
        return load(con, ref_dir)


def load(con: duckdb.DuckDBPyConnection, ref_dir: Path) -> OfficialSummary:
    """Replace each readable file's official rows and record every problem; an unreadable file keeps its old rows."""
    config = tomllib.loads(FILES.read_text(encoding="utf-8"))
    measures = {r["measure"]: r for r in _read_csv(MEASURES)}
    councils = _councils(con)
    summary = OfficialSummary()
    con.begin()
    try:
        _load_rules(con, measures)
        for name, spec in config["files"].items():
            rows = _read_file(ref_dir / name, name, spec, set(config["missing"]), measures, councils, summary)
            if rows is None:
                continue
            con.execute("DELETE FROM official WHERE source_file = ?", [name])
            warehouse.insert_rows(con, "official", rows)
            summary.loaded[name] = len(rows)
        _record_problems(con, summary, list(config["files"]))
        con.commit()
    except Exception:
        con.rollback()
        raise
    return summary


def _load_rules(con: duckdb.DuckDBPyConnection, measures: dict[str, dict[str, str]]) -> None:
    con.execute("DELETE FROM official_measures")
    con.executemany("INSERT INTO official_measures VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [[m["measure"], m["metric"], m["unit"], float(m["min"]), float(m["max"]), int(m["census_month"]),
                      int(m["census_day"]), m["label"], m["definition"]] for m in measures.values()])
    con.execute("DELETE FROM official_tolerances")
    con.executemany("INSERT INTO official_tolerances VALUES (?, ?, ?, ?, ?)",
                    [[t["unit"], t["rule"], float(t["tolerance"]), t["combined_comparable"] == "true", t["explanation"]]
                     for t in _read_csv(TOLERANCES)])


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _councils(con: duckdb.DuckDBPyConnection) -> dict[str, list[_Council]]:
    by_code: dict[str, list[_Council]] = {}
    for name, ons, former, code, start, end in con.execute(
            "SELECT name, ons_code, former_ons_codes, dfe_la_code, valid_from, valid_to FROM councils").fetchall():
        codes = {ons, *(former or "").split(";")} - {None, ""}
        by_code.setdefault(code, []).append(_Council(name, codes, start, end))
    return by_code


def _read_file(path: Path, name: str, spec: dict, missing: set[str], measures: dict[str, dict[str, str]],
               councils: dict[str, list[_Council]], summary: OfficialSummary) -> list[list] | None:
    """Every value in one file as official rows; None when the file cannot be used at all."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            absent = [c for c in _needed(spec) if c not in (reader.fieldnames or [])]
            if absent:
                return _file_problem(summary, name, f"missing columns: {', '.join(absent)}")
            out: list[list] = []
            for row in reader:
                out += _read_row(row, reader.line_num, name, spec, missing, measures, councils, summary)
            return out
    except OSError as exc:
        return _file_problem(summary, name, f"cannot be read ({exc.strerror})")
    except (UnicodeDecodeError, csv.Error) as exc:
        return _file_problem(summary, name, f"is not a UTF-8 CSV file ({exc})")


def _needed(spec: dict) -> list[str]:
    needed = [spec["year"], *spec["columns"], *[spec[k] for k in ("code", "ons_code", "name") if k in spec]]
    return needed + [spec[k]["column"] for k in ("level", "rows") if k in spec]


def _file_problem(summary: OfficialSummary, name: str, reason: str) -> None:
    summary.problems.append(Problem(name, None, None, None, f"{reason}; nothing loaded from it, earlier values kept"))


def _read_row(row: dict[str, str], line: int, name: str, spec: dict, missing: set[str],
              measures: dict[str, dict[str, str]], councils: dict[str, list[_Council]],
              summary: OfficialSummary) -> list[list]:
    """The official rows one CSV line gives, in the official table's column order; problems recorded, good values on
    the line still loaded."""
    if None in row or any(v is None for v in row.values()):
        return _problem(summary, name, line, None, None, "has the wrong number of cells")
    for key in ("level", "rows"):
        if key in spec and _selector_skips(row, spec[key]):
            return []
    year_text = row[spec["year"]].strip()
    if not (year_text.isdigit() and 2000 <= int(year_text) <= 2100):
        return _problem(summary, name, line, spec["year"], year_text, "is not a year between 2000 and 2100")
    year = int(year_text)
    values = _values(row, line, name, spec, missing, measures, summary)
    if not values:
        return []
    first = measures[values[0][0]]
    period = date(year, int(first["census_month"]), int(first["census_day"]))
    areas = [("England", None, None)] if "area" in spec else _attribute(row, line, name, spec, period, councils,
                                                                         summary)
    source, note = _source(row, spec, year)
    url = (row.get(spec["url_column"], "").strip() if "url_column" in spec else "") or spec["url"]
    level = "national" if "area" in spec else "council"
    return [[source, url, name, line, measure, measures[measure]["metric"], area, level, code, combined, year,
             date(year, int(measures[measure]["census_month"]), int(measures[measure]["census_day"])), value,
             measures[measure]["unit"], note]
            for area, code, combined in areas for measure, value in values]


def _selector_skips(row: dict[str, str], selector: dict) -> bool:
    wanted = selector.get("values") or [selector["value"]]
    return row[selector["column"]].strip() not in wanted


def _values(row: dict[str, str], line: int, name: str, spec: dict, missing: set[str],
            measures: dict[str, dict[str, str]], summary: OfficialSummary) -> list[tuple[str, float]]:
    """The numeric values on a line that pass their measure's range; each bad cell is a problem."""
    out = []
    for column, measure in spec["columns"].items():
        cell = row[column].strip()
        if cell.lower() in missing:
            summary.suppressed[name] = summary.suppressed.get(name, 0) + 1
            continue
        try:
            value = float(cell.replace(",", ""))
        except ValueError:
            _problem(summary, name, line, column, cell, "is not a number")
            continue
        low, high = float(measures[measure]["min"]), float(measures[measure]["max"])
        if not low <= value <= high:
            unit = measures[measure]["unit"]
            _problem(summary, name, line, column, cell, f"is outside {low:g}–{high:g} ({unit})")
            continue
        out.append((measure, value))
    return out


def _attribute(row: dict[str, str], line: int, name: str, spec: dict, period: date,
               councils: dict[str, list[_Council]], summary: OfficialSummary) -> list[tuple[str, str, str | None]]:
    """(council, DfE code, combined area name) for each council a row describes.

    A combined row ("314 / 318") is attributed to each council, marked with DfE's combined name. When two
    councils share a code (a county replaced by a unitary of the same name), the one that existed on the
    census day gets the row.
    """
    codes = [c.strip() for c in row[spec["code"]].split("/")]
    ons = [c.strip() for c in row[spec["ons_code"]].split("/")]
    combined = row[spec["name"]].strip() if len(codes) > 1 else None
    out = []
    for i, code in enumerate(codes):
        candidates = councils.get(code, [])
        if not candidates:
            _problem(summary, name, line, spec["code"], code, "is not the DfE code of any council in councils.csv")
            continue
        existing = [c for c in candidates if c.existed_on(period)]
        if not existing:
            _problem(summary, name, line, spec["code"], code, f"names no council that existed on {period:%d %B %Y}")
            continue
        council = existing[0]
        if len(ons) == len(codes) and not any(ons[i] in c.ons_codes for c in candidates):
            _problem(summary, name, line, spec["ons_code"], ons[i],
                     f"does not match council {council.name} (DfE code {code})")
            continue
        out.append((council.name, code, combined))
    return out


def _source(row: dict[str, str], spec: dict, year: int) -> tuple[str, str | None]:
    edition = row.get(spec.get("edition_column", ""), "").strip() or spec.get("edition", "")
    note = None
    for n in spec.get("notes", []):
        if n["from"] <= year <= n["to"]:
            edition, note = n["edition"], n["text"] or None
    label = f"{spec['publication']}, {edition} edition" if edition.isdigit() else f"{spec['publication']}, {edition}"
    return label, note


def _problem(summary: OfficialSummary, name: str, line: int, column: str | None, cell: str | None,
             reason: str) -> list:
    summary.problems.append(Problem(name, line, column, cell, reason))
    return []


def _record_problems(con: duckdb.DuckDBPyConnection, summary: OfficialSummary, names: list[str]) -> None:
    """Keep the problems in official_errors, and one line per file in load_errors (cleared when clean)."""
    now = datetime.now()
    con.execute("DELETE FROM official_errors")
    if summary.problems:
        con.executemany("INSERT INTO official_errors VALUES (?, ?, ?, ?, ?, ?)",
                        [[p.file_name, p.line, p.column, p.cell, p.reason, now] for p in summary.problems])
    for name in names:
        source = f"reference/{name}"
        mine = [p for p in summary.problems if p.file_name == name]
        con.execute("DELETE FROM load_errors WHERE source = ?", [source])
        if mine:
            reason = f"{len(mine)} problem(s), first: {mine[0]}"
            con.execute("INSERT INTO load_errors VALUES (?, ?, ?, NULL, ?)", [source, name, reason, now])
