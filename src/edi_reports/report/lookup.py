"""Finding published figures by measure and column values, fast.

A report looks up several hundred published figures (one measure, a breakdown, a
group...). Filtering the whole published table with pandas for each one cost more than a
second of every report, so each table gets an index, built once: the row positions of
every measure, and each column filtered on as an array of text (``astype(str)``, the
comparison the lookups always made). A lookup is then a comparison of a few numpy values.
The index is keyed by the table object and holds it, so a new or changed table (a new
build) gets its own; nothing is kept across processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

#: No published row matched (:func:`first`).
NONE = object()
#: Column values to match: a mapping, or (column, value) pairs applied in turn.
Where = Mapping[str, str] | Iterable[tuple[str, str]]


class _Index:
    """Row positions of each measure of one table, and its columns as arrays."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.positions: dict[str, np.ndarray] = {
            str(m): p for m, p in frame.groupby("measure", sort=False).indices.items()
        }
        self._columns: dict[tuple[str, bool], np.ndarray] = {}

    def column(self, key: str, text: bool = False) -> np.ndarray:
        """A whole column as a numpy object array: as text, or the values themselves."""
        found = self._columns.get((key, text))
        if found is None:
            values = self.frame[key].astype(str) if text else self.frame[key]
            found = self._columns[(key, text)] = values.to_numpy(dtype=object)
        return found

    def matching(self, measure: str, where: Where) -> np.ndarray | None:
        """Positions (in the table) of the measure's rows whose columns equal ``where``,
        compared as text; None when the measure has no rows."""
        rows = self.positions.get(measure)
        if rows is None:
            return None
        for key, value in where.items() if isinstance(where, Mapping) else where:
            rows = rows[self.column(key, text=True)[rows] == value]
        return rows


_INDEXES: dict[int, _Index] = {}


def index(frame: pd.DataFrame) -> _Index:
    """The index of ``frame``, built on first use (a few tables per report)."""
    found = _INDEXES.get(id(frame))
    if found is None or found.frame is not frame:
        if len(_INDEXES) > 32:
            _INDEXES.clear()
        found = _INDEXES[id(frame)] = _Index(frame)
    return found


def select(frame: pd.DataFrame, measure: str, where: Where) -> pd.DataFrame:
    """``frame``'s rows of ``measure`` whose columns equal ``where`` (as text), in table order."""
    rows = index(frame).matching(measure, where)
    return frame.iloc[:0] if rows is None else frame.iloc[rows]


def first(frame: pd.DataFrame, measure: str, column: str, where: Where) -> Any:
    """``select(frame, measure, where).iloc[0][column]``, or :data:`NONE` when no row
    matches, without building the selected frame."""
    idx = index(frame)
    rows = idx.matching(measure, where)
    if rows is None or not len(rows):
        return NONE
    return idx.column(column)[rows[0]]
