"""CSV injection: text cells that a spreadsheet would run as a formula are neutralised.

Report text and tables are hostile. A cell such as ``=HYPERLINK("http://x","click")``,
``+cmd|' /C calc'!A0``, ``-2+3+cmd|' /C calc'!A0`` or ``@SUM(A1:A9)`` copied into a CSV
file runs as a formula when the file is opened in Excel, LibreOffice or Google Sheets.
As OWASP recommends, every text cell of the CSV files geomap writes that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, which
spreadsheets read as "this is text" and do not show; plain numbers ("-2", "+3.5") are left
as they are.

The guard can be undone exactly, so files geomap writes read back equal: a cell made of
apostrophes followed by a formula character gains one apostrophe when written (so that a
cell that really starts with ``'=`` stays itself) and loses one when read.

>>> guard_cell("=HYPERLINK(\\"http://x\\")"), guard_cell("-2"), guard_cell("'=1+1")
('\\'=HYPERLINK("http://x")', '-2', "''=1+1")
>>> all(unguard_cell(guard_cell(v)) == v for v in ["=1", "'=1", "''@x", "-", "plain", ""])
True
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["FORMULA_START", "guard_array", "guard_cell", "unguard_cell", "unguard_frame"]

#: The characters a spreadsheet starts a formula with (OWASP, "CSV Injection").
FORMULA_START = "=+-@\t\r"
# Both patterns hold in RE2 (pyarrow) and in Python's re.
_FORMULA = r"^'*[=+\-@\t\r]"
_NUMBER = r"^'*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_FORMULA_RE = re.compile(_FORMULA)
_NUMBER_RE = re.compile(_NUMBER)


def _guarded(text: str) -> bool:
    """Whether a written cell carries (or a cell to write needs) the apostrophe."""
    return bool(_FORMULA_RE.match(text)) and not _NUMBER_RE.match(text)


def guard_cell(text: str) -> str:
    """A text cell as written to CSV: an apostrophe before a formula, else unchanged."""
    return "'" + text if _guarded(text) else text


def unguard_cell(text: str) -> str:
    """A cell as read back from a CSV geomap wrote: the guard's apostrophe removed."""
    return text[1:] if text.startswith("'") and _guarded(text) else text


def guard_array(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """``guard_cell`` over a string column of an Arrow table, vectorised."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        return values
    needs = pc.and_(
        pc.match_substring_regex(values, _FORMULA),
        pc.invert(pc.match_substring_regex(values, _NUMBER)),
    )
    return pc.if_else(needs, pc.binary_join_element_wise("'", values, ""), values)


def unguard_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``unguard_cell`` over every text column of a frame read from a CSV (a copy)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    out = df.copy()
    for name in out.columns:
        if is_object_dtype(out[name].dtype) or is_string_dtype(out[name].dtype):
            out[name] = out[name].map(lambda v: unguard_cell(v) if isinstance(v, str) else v)
    return out
