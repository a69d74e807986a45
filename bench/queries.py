"""The benchmark query set: indexed quotes → queries of every type, with a fixed seed.

Words are drawn from the quote vocabulary, half by frequency (what people
type) and half uniformly from words seen at least three times (the long
tail); filters are drawn from the speakers, topics and dates that exist.
Each query has an engine-neutral form (`FtsQuery`) that both engines run.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter

from fts import FtsQuery, Row
from whoosh.analysis import STOP_WORDS

KINDS = ["plain", "phrase", "highlight", "speaker", "topic", "date"]
_TOKEN = re.compile(r"[a-z]{3,}")
_SPANS = [31, 182, 365, 3 * 365]  # date-range widths in days


def _words(text: str) -> list[str]:
    return [w for w in _TOKEN.findall(text.lower()) if w not in STOP_WORDS]


def build_queries(rows: list[Row], per_kind: int, seed: int = 8) -> dict[str, list[FtsQuery]]:
    """`per_kind` queries of each kind in KINDS, reproducible for a seed."""
    rng = random.Random(seed)
    freq: Counter[str] = Counter()
    for row in rows:
        freq.update(list(dict.fromkeys(_words(row.text))))  # a set would change order per run
    common = [w for w, _ in freq.most_common()]
    weights = [freq[w] for w in common]
    tail = [w for w in common if freq[w] >= 3]

    def word() -> str:
        if rng.random() < 0.5:
            return rng.choices(common, weights)[0]
        return rng.choice(tail)

    def words() -> list[str]:
        return [word() for _ in range(1 if rng.random() < 0.7 else 2)]

    def word_from(row: Row) -> list[str]:
        found = _words(row.text)
        return [rng.choice(found)] if found else words()

    by_speaker: dict[str, list[Row]] = {}
    by_topic: dict[str, list[Row]] = {}
    for row in rows:
        if row.speaker:
            by_speaker.setdefault(row.speaker, []).append(row)
        for topic in row.topics:
            by_topic.setdefault(topic, []).append(row)
    speakers = [s for s, r in by_speaker.items() if len(r) >= 5]
    speaker_weights = [len(by_speaker[s]) for s in speakers]
    dates = sorted(r.date for r in rows if r.date)

    out: dict[str, list[FtsQuery]] = {k: [] for k in KINDS}
    for _ in range(per_kind):
        out["plain"].append(FtsQuery("plain", words()))
        out["highlight"].append(FtsQuery("highlight", words(), highlight=True))
        out["phrase"].append(FtsQuery("phrase", _phrase(rows, rng), phrase=True))
        if speakers:
            name = rng.choices(speakers, speaker_weights)[0]
            out["speaker"].append(
                FtsQuery("speaker", word_from(rng.choice(by_speaker[name])), speaker=name)
            )
        if by_topic:
            topic = rng.choice(sorted(by_topic))
            out["topic"].append(
                FtsQuery("topic", word_from(rng.choice(by_topic[topic])), topic=topic)
            )
        if dates:
            start = _to_date(rng.choice(dates))
            end = start + dt.timedelta(days=rng.choice(_SPANS))
            out["date"].append(FtsQuery("date", words(), since=start, until=end))
    return {k: v for k, v in out.items() if v}


def _phrase(rows: list[Row], rng: random.Random) -> list[str]:
    """Two consecutive non-stop words from a random quote."""
    for _ in range(100):
        tokens = re.findall(r"[A-Za-z]+", rng.choice(rows).text)
        pairs = [
            (a.lower(), b.lower())
            for a, b in zip(tokens, tokens[1:], strict=False)
            if len(a) > 2
            and len(b) > 2
            and a.lower() not in STOP_WORDS
            and b.lower() not in STOP_WORDS
        ]
        if pairs:
            return list(rng.choice(pairs))
    return ["united", "states"]


def _to_date(number: int) -> dt.date:
    return dt.date(number // 10000, number // 100 % 100, number % 100)


def whoosh_text(query: FtsQuery) -> str:
    """The same query in the Whoosh query language statement-search parses."""
    if query.phrase:
        return '"' + " ".join(query.words) + '"'
    return " ".join(query.words)
