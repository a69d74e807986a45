"""Speaker filters by lookup: the index speakers a filter means, without a walk of them all.

Input: the index's folded speakers and their folded canonical names
(`filters.speaker_canon`), and a filter's folded forms (`filters.speaker_forms`);
output: the same keys `filters.speaker_keys_for` finds, in the same order.
"""

from __future__ import annotations


class SpeakerKeys:
    """`filters.speaker_keys_for` over one `canon` by lookups (canonical name, last word)
    instead of a walk of every speaker per filter: same keys, in `canon`'s order."""

    def __init__(self, canon: dict[str, str]) -> None:
        self.order = {key: i for i, key in enumerate(canon)}
        self.by_canon: dict[str, list[str]] = {}
        self.by_last: dict[str, list[str]] = {}
        for key, key_canon in canon.items():
            self.by_canon.setdefault(key_canon, []).append(key)
            words = key.split()
            if words:
                self.by_last.setdefault(words[-1], []).append(key)

    def keys_for(self, forms: set[str], wanted: str, last_names: set[str]) -> list[str]:
        """The keys for a filter's (forms, canonical name, last names) (`speaker_forms`)."""
        found = {key for key in forms if key in self.order}
        found.update(self.by_canon.get(wanted, ()))
        for last in last_names:
            found.update(self.by_last.get(last, ()))
        return sorted(found, key=self.order.__getitem__)
