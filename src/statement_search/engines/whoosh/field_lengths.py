"""Field lengths remembered as a segment's documents are written, instead of read back."""

from __future__ import annotations

from array import array

from whoosh.util.numeric import byte_to_length, length_to_byte


class _StoredLengths(dict[int, int]):
    """A field length → the length its one-byte column gives back, each worked out once."""

    def __missing__(self, length: int) -> int:
        stored = self[length] = byte_to_length(length_to_byte(length))
        return stored


STORED_LENGTH = _StoredLengths()


class FieldLengths:
    """Field lengths of the segment being written, as its length column will give them back.

    One array per field indexed by docnum (4 bytes a document, merges included).
    """

    def __init__(self) -> None:
        self._by_field: dict[str, array[int]] = {}

    def record(self, fieldname: str, docnum: int, length: int) -> None:
        if not length:
            return
        lengths = self._by_field.get(fieldname)
        if lengths is None:
            lengths = self._by_field[fieldname] = array("I")
        if len(lengths) <= docnum:
            lengths.extend([0] * (docnum + 1 - len(lengths)))
        lengths[docnum] = STORED_LENGTH[length]

    def of_field(self, fieldname: str) -> array[int]:
        return self._by_field.get(fieldname, array("I"))

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._by_field.get(fieldname)
        if lengths is None or docnum >= len(lengths) or not lengths[docnum]:
            return default
        return lengths[docnum]
