"""`ris3hub consultation themes ANSWERS.csv`: open answers of a consultation grouped into themes.

Reads a CSV of answers (UTF-8 by default; comma, semicolon, tab or pipe separated, found from the
header), groups the answers of ``--text-column`` into themes with the multilingual encoder of the
settings (RIS3HUB_ENCODER, the multilingual Universal Sentence Encoder by default), and writes each
answer's theme and each theme's label, keywords and size: as text, or with ``--json`` as

    {"answers": [{"id": ..., "theme": ...}], "themes": [{"id": ..., "label": ..., "keywords": [...], "size": N}]}

An answer's id is the value of ``--id-column``, or its row number among the answers (1 the first
row under the header). An empty answer has the theme null. Needs no database.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
DELIMITERS = tuple(DELIMITER_NAMES)


def themes_argument(value: str) -> int | None:
    """``auto`` (None) or a whole number of themes of at least 1."""
    if value.strip().lower() == "auto":
        return None
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is neither 'auto' nor a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"the number of themes must be at least 1, not {number}")
    return number


def register(subparsers, common) -> None:
    parser = subparsers.add_parser("consultation", parents=[common],
                                   help="public consultations: themes of open answers")
    commands = parser.add_subparsers(dest="consultation_command", required=True)
    p = commands.add_parser(
        "themes", parents=[common], help="group the open answers of a CSV file into themes",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("path", metavar="ANSWERS.csv")
    p.add_argument("--text-column", required=True, metavar="COL", help="the column of the answers")
    p.add_argument("--id-column", metavar="COL", help="the column of the answers' ids (default: row number)")
    p.add_argument("--language-column", metavar="COL",
                   help="the column of the answers' languages (it/en; detected from the text without it)")
    p.add_argument("--themes", type=themes_argument, default=None, metavar="auto|N",
                   help="number of themes, or auto to choose it (default: auto)")
    p.add_argument("--delimiter", choices=list(DELIMITER_NAMES.values()),
                   help="the CSV delimiter (default: found from the header)")
    p.add_argument("--encoding", default="utf-8", help="the file's text encoding (default: utf-8)")
    p.add_argument("--json", action="store_true", help="write JSON")
    p.set_defaults(func=cmd_themes, skip_setup=True)


@dataclass
class Answers:
    ids: list = field(default_factory=list)  # str from the id column, else the row number (int)
    texts: list[str] = field(default_factory=list)
    languages: list[str | None] = field(default_factory=list)  # "it", "en" or None (to detect)
    notes: list[str] = field(default_factory=list)  # things done that a person should know


def _header(text: str, delimiter: str) -> list[str]:
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0]), delimiter=delimiter), [])
    return [h.strip() for h in first]


def find_delimiter(path: Path, text: str, columns: list[str]) -> str:
    """The delimiter whose header holds all ``columns``; InputError naming the missing ones."""
    from ris3hub.importers.base import InputError, RowError

    for delimiter in DELIMITERS:
        if all(c in _header(text, delimiter) for c in columns):
            return delimiter
    header = max((_header(text, d) for d in DELIMITERS), key=len)
    missing = [c for c in columns if c not in header]
    raise InputError(RowError(str(path), 1, ", ".join(missing),
                              f"no column {', '.join(repr(c) for c in missing)} in the header "
                              f"(its columns: {', '.join(repr(h) for h in header)})"))


def read_answers(path: Path, text_column: str, *, id_column: str | None = None,
                 language_column: str | None = None, delimiter: str | None = None,
                 encoding: str = "utf-8") -> Answers:
    """The answers of ``path``: all row errors are collected and raised together as InputError."""
    from ris3hub.engines.themes.text import normalise_language
    from ris3hub.importers.base import InputError, RowError, read_csv, read_text

    columns = [c for c in (text_column, id_column, language_column) if c]
    text = read_text(path, encoding)
    if delimiter is None:
        delimiter = find_delimiter(path, text, columns)
    answers = Answers()
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    rows = 0
    for item in read_csv(path, columns, delimiter=delimiter, encoding=encoding):
        if isinstance(item, RowError):
            errors.append(item)
            continue
        line, values = item
        rows += 1
        if id_column:
            answer_id = values[id_column].strip()
            if not answer_id:
                errors.append(RowError(str(path), line, id_column, "the id is empty"))
                continue
            if answer_id in first_line:
                errors.append(RowError(str(path), line, id_column,
                                       f"the id '{answer_id}' is already on line {first_line[answer_id]}"))
                continue
            first_line[answer_id] = line
        else:
            answer_id = rows
        language = None
        if language_column:
            given = values[language_column].strip()
            language = normalise_language(given)
            if given and language is None:
                answers.notes.append(f"{path.name}, line {line}, column {language_column}: '{given}' is "
                                     "neither Italian nor English; the language is detected from the text")
        answers.ids.append(answer_id)
        answers.texts.append(values[text_column])
        answers.languages.append(language)
    if errors:
        raise InputError(errors)
    if not answers.texts:
        raise InputError(RowError(str(path), None, None, "the file has a header and no answers"))
    if not any(t.strip() for t in answers.texts):
        raise InputError(RowError(str(path), None, text_column, f"every answer in column {text_column} is empty"))
    if delimiter != ",":
        answers.notes.append(f"{path.name} is read as {DELIMITER_NAMES[delimiter]}-separated")
    return answers


def cmd_themes(args) -> int:
    from ris3hub.importers.base import InputError

    delimiter = {name: d for d, name in DELIMITER_NAMES.items()}.get(args.delimiter or "")
    try:
        answers = read_answers(Path(args.path), args.text_column, id_column=args.id_column,
                               language_column=args.language_column, delimiter=delimiter,
                               encoding=args.encoding)
    except InputError as error:
        for problem in error.errors:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    except LookupError:
        print(f"error: '{args.encoding}' is not a text encoding Python knows (try utf-8, latin-1, cp1252)",
              file=sys.stderr)
        return 1
    for note in answers.notes:
        print(f"note: {note}", file=sys.stderr)

    from ris3hub.engines.matching.encoders import default_encoder
    from ris3hub.engines.themes import find_themes

    filled = [i for i, text in enumerate(answers.texts) if text.strip()]
    if args.themes is not None and args.themes > len(filled):
        print(f"error: {len(filled)} non-empty answers cannot make {args.themes} themes", file=sys.stderr)
        return 1
    result = find_themes([answers.texts[i] for i in filled], default_encoder(os.environ),
                         languages=[answers.languages[i] for i in filled], n_themes=args.themes)
    theme_of: list[int | None] = [None] * len(answers.texts)
    for position, theme in zip(filled, result.assignment):
        theme_of[position] = theme
    if args.json:
        print(json.dumps(as_json(answers.ids, theme_of, result), ensure_ascii=False, indent=2))
    else:
        write_text(answers, theme_of, result, filled)
    return 0


def as_json(ids: list, theme_of: list[int | None], result) -> dict:
    return {
        "answers": [{"id": answer_id, "theme": theme} for answer_id, theme in zip(ids, theme_of)],
        "themes": [{"id": t.id, "label": t.label, "keywords": t.keywords, "size": t.size} for t in result.themes],
    }


def write_text(answers, theme_of: list[int | None], result, filled: list[int], out=None) -> None:
    out = out or sys.stdout
    how = "chosen" if result.chosen else "asked for"
    print(f"{len(filled)} answers, {len(result.themes)} themes ({how})", file=out)
    for theme in result.themes:
        print(f"\ntheme {theme.id}: {theme.label} ({theme.size} answers)", file=out)
        print(f"  keywords: {', '.join(theme.keywords)}", file=out)
        for index in theme.representatives:
            text = " ".join(answers.texts[filled[index]].split())
            print(f"  - {text[:157] + '...' if len(text) > 160 else text}", file=out)
    print("\nid\ttheme", file=out)
    for answer_id, theme in zip(answers.ids, theme_of):
        print(f"{answer_id}\t{'' if theme is None else theme}", file=out)
