"""The Whoosh fast path's one switch: ours where it is tested, Whoosh's own elsewhere.

The fast path (our segment writer, codec byte layout, merge policy, filtered
collector, lazy title boost, memory-mapped segment parts) reads and writes
Whoosh's private structures.  `fast_path_enabled()` is True only when the
installed whoosh-reloaded is a version it is tested with (`version.py`) and
`STATEMENT_SEARCH_WHOOSH_FALLBACK` is not set (to anything but `0`); otherwise
every switch point below takes Whoosh's public API instead and no fast-path
module is imported.  An untested version is said once, one line on stderr.

The switch points (each call site makes one call here):

- writing: `open_writer` (`QuoteSegmentWriter` | Whoosh's `ix.writer()`, documents
  added with `add_document` either way), `merge_policy` (`merge_tiers` |
  Whoosh's `MERGE_SMALL`; the separate tier-merge commit only on the fast
  path), `analyze_ahead` (the workers make Whoosh postings | `analyze=False`),
  `merge_helpers` (a large optimize written in parts by workers | one process);
- reading: `map_segment_files` (the `BufferFile` patch | not installed),
  `fast_leaf_matchers` (posting lists skip by binary search, blocks decoded in C | Whoosh's),
  `keep_term_lookups` (each segment's term lookups kept | Whoosh's probes),
  `weighting` (`SegmentLengthBM25F`, lengths read from segment bytes | Whoosh's `BM25F`),
  `top_hits` (`filtered_top` | Whoosh's collector with its filter),
  `title_boost` (`LazyAndMaybe` | Whoosh's `AndMaybe`), `matching_docs`
  (posting blocks as set algebra | Whoosh's `docs_for_query`), highlights'
  one-loop analysis (`highlight.py` asks `fast_path_enabled`).

Both sides write the same format (Whoosh 3 segments) and rank with the same
BM25F: an index written by either is read by the other, and one index gives
the same hits, scores and highlights on either side (tests compare).  Two
indexes of the same quotes written by different sides score alike until
Whoosh's writer merges segments: it sums the one-byte approximations of the
documents' field lengths into the field totals, where ours keeps them exact
(`segment_writer.py`), so BM25's average lengths, and the scores, drift a
little (by less than the totals drift; the matches stay the same).

Where a public Whoosh extension point carries, or could carry, an optimisation:
the tier merge policy is a `mergetype` callable on public calls only
(`SegmentReader`, `add_reader`); it lives in `segment_merge.py` beside private
readers, so the fallback takes Whoosh's `MERGE_SMALL`, but moved to a module of
its own it could run on both sides.  The filtered collector is a `Collector`
(`FilterCollector.collect_matches`); only reading document numbers straight
from posting blocks needs the leaf matcher's private fields, and a walk by
the public `Matcher.skip_to` would keep it public at part of the gain.  The
segment byte layout could be a `Codec` (`whoosh.codec.base.Codec`, whose
`field_writer`/`per_document_writer` are public), but Whoosh's `SegmentWriter`
drives a codec one posting at a time: the gain is in filing whole term lists
analysed ahead by the workers, which no public hook takes.  The title boost
(`LazyAndMaybeMatcher`) overrides one private hook (`_first_b`); a `Matcher` of
its own on public methods would carry it on both sides.  The deadline and the
`pairs` phrases override public methods only (`bounds.py`, `pair_phrases.py`)
and run on both sides.

`PRIVATE_NAMES` lists every private Whoosh name the fast path uses, by module;
none is used outside `engines/whoosh/` (tests/test_fast_path.py checks the list
against the code and the installed Whoosh).
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .version import TESTED_WHOOSH, installed_whoosh, whoosh_fast_path_supported

if TYPE_CHECKING:
    from whoosh import query as wq

FALLBACK_ENV = "STATEMENT_SEARCH_WHOOSH_FALLBACK"
WHOOSH_LOCK_SECONDS = 10.0

# Module → the private Whoosh names it reads, calls, sets or overrides.
PRIVATE_NAMES: dict[str, tuple[str, ...]] = {
    "filtered_top": (  # posting blocks read straight; a FilterCollector's filter sets;
        # a TopCollector given a score read from posting lists (`_collect`)
        "_allow", "_byteids", "_collect", "_exclude", "_ids", "_length", "_next_block",
        "_postfile", "_read_ids", "_restrict", "_startoffset",
    ),
    "indexers": ("_stem",),
    "length_scores": (  # a segment's per-document reader and its lengths column
        "_basepos", "_cached_reader", "_count", "_dbfile", "_perdoc", "_typecode",
    ),
    "term_ranges": ("_keycoder", "_range_for_key", "_tindex"),  # W3TermsReader's, replaced
    "leaf_matcher": (  # W3LeafMatcher's block state; `skip_to` and its block reads replaced
        "_atend", "_blocklength", "_byteids", "_data", "_i", "_ids", "_maxid", "_next_block",
        "_read_data", "_read_ids", "_read_weights", "_weights",
    ),  # a Snowball StemFilter's stemming function
    "merge_parts": (  # a field writer's codec, files and maps; `_fieldid` and
        # `_postwriter` are set on a stand-in for Whoosh's field writer
        "_blocklimit", "_codec", "_compression", "_fieldid", "_fieldmap", "_fieldunmap",
        "_postfile", "_postwriter", "_terms", "_tindex",
    ),
    "optional_boost": ("_first_b",),  # AndMaybeMatcher's hook, overridden
    "posting_scores": (  # posting blocks read straight, with their weights
        "_byteids", "_exclude", "_ids", "_length", "_next_block", "_postfile", "_read_ids",
        "_read_weights", "_startoffset", "_weights",
    ),
    "postings": ("_child", "_level", "_module"),  # the stored column's compression
    "segment_files": ("_buf", "_name"),  # BufferFile's fields, its __init__ replaced
    "segment_format": (  # postings and term-index writers; `_write_hashes` overridden
        "_blocklimit", "_compression", "_fieldid", "_postfile", "_postwriter", "_struct",
        "_tindex", "_write_hashes",
    ),
    "segment_merge": ("_fieldunmap", "_postfile", "_terms", "_tindex"),  # readers' files
    "segment_writer": (  # SegmentWriter's state and hooks, the per-document columns
        "_added", "_cached_reader", "_check_fields", "_check_state", "_child", "_colwriters",
        "_doc_boost", "_docnum", "_field_boost", "_fieldlengths", "_flush_segment",
        "_lenfield", "_perdoc", "_stored", "_tindex",
    ),
}  # fmt: skip

_warned: list[str] = []  # the untested version already said


@lru_cache(maxsize=8)
def _tested(version: str) -> bool:
    return whoosh_fast_path_supported(version)


def fast_path_enabled() -> bool:
    """Whether the fast path runs: a tested whoosh-reloaded and no forced fallback."""
    if os.environ.get(FALLBACK_ENV, "").strip() not in ("", "0"):
        return False
    version = installed_whoosh()
    if _tested(version):
        return True
    if version not in _warned:
        _warned.append(version)
        low, high = (".".join(map(str, bound)) for bound in TESTED_WHOOSH)
        print(
            f"statement-search: whoosh-reloaded {version or '(unknown version)'} is not one "
            f"the fast path is tested with (>={low},<{high}); using Whoosh's own writer "
            "and collector",
            file=sys.stderr,
        )
    return False


# -- writing --------------------------------------------------------------------


def open_writer(ix: Any, **options: Any) -> Any:
    """Our `QuoteSegmentWriter`, or Whoosh's own writer (also when its multiprocess
    writer is asked for with `procs`); Whoosh's `LockError` when its lock is held."""
    if options.get("procs", 1) > 1 or not fast_path_enabled():
        return ix.writer(timeout=WHOOSH_LOCK_SECONDS, **options)
    from .segment_writer import QuoteSegmentWriter

    return QuoteSegmentWriter(ix, timeout=WHOOSH_LOCK_SECONDS, **options)


def merge_policy(separate: bool = False) -> Any:
    """What a commit merges: our tiers (`keep_segments` when the tier merge runs in a
    commit of its own, `separate`), or Whoosh's `MERGE_SMALL`."""
    if not fast_path_enabled():
        from whoosh.writing import MERGE_SMALL

        return MERGE_SMALL
    from .segment_merge import keep_segments, merge_tiers

    return keep_segments if separate else merge_tiers


def tiers_to_merge(ix: Any) -> bool:
    """Whether our tier policy has segments of a Whoosh index to merge or drop in a commit
    of their own (never on Whoosh's side: its policy merges in each batch's commit)."""
    if not hasattr(ix, "indexname") or not fast_path_enabled():
        return False  # another engine's sync target merges its own segments
    from .segment_merge import plan_tiers

    segments = committed_segments(ix)
    kept, merging = plan_tiers(segments)
    return bool(merging) or len(kept) != len(segments)


def committed_segments(ix: Any) -> list[Any]:
    """The segments a Whoosh index's last commit lists, through Whoosh's public `TOC`."""
    from whoosh.index import TOC

    return list(TOC.read(ix.storage, ix.indexname).segments)


def analyze_ahead() -> bool:
    """Whether the preparing workers make the Whoosh postings our writer files."""
    return fast_path_enabled()


def merge_helpers(documents: int) -> bool:
    """Whether an optimize of `documents` is written in parts by worker processes."""
    if not fast_path_enabled():
        return False
    from .segment_writer import PARTS_MIN_DOCUMENTS

    return documents >= PARTS_MIN_DOCUMENTS


# -- reading --------------------------------------------------------------------


def map_segment_files() -> bool:
    """Make Whoosh read segment parts through their memory map (`segment_files.py`);
    whether that is installed."""
    if not fast_path_enabled():
        return False
    from .segment_files import install

    install()
    return True


def fast_leaf_matchers() -> bool:
    """Make Whoosh's posting lists skip by binary search and decode blocks in C
    (`leaf_matcher.py`); whether that is installed."""
    if not fast_path_enabled():
        return False
    from .leaf_matcher import install

    install()
    return True


def keep_term_lookups() -> bool:
    """Make each segment keep its term lookups (`term_ranges.py`); whether that is installed."""
    if not fast_path_enabled():
        return False
    from .term_ranges import install

    install()
    return True


def weighting() -> Any:
    """The searchers' BM25F: `SegmentLengthBM25F` (the same scores, lengths read from the
    segment's bytes), or Whoosh's own `BM25F`."""
    if not fast_path_enabled():
        from whoosh.scoring import BM25F

        return BM25F()
    from .length_scores import SegmentLengthBM25F

    return SegmentLengthBM25F()


def top_hits(searcher: Any, query: Any, allowed: Any, limit: int, run: Any) -> Any:
    """Whoosh's `Results` of the best `limit` matches of `query` among `allowed` (None,
    a doc-id set or a date window): `filtered_top`, or Whoosh's top-N collector with
    the filter.  Both skip blocks that cannot reach the top except through a NOT."""
    if fast_path_enabled():
        from .filtered_top import filtered_top

        return filtered_top(searcher, query, allowed, limit, run)
    from .bounds import has_negation

    optimize = not has_negation(query)
    collector = searcher.collector(limit=limit, filter=allowed, optimize=optimize)
    run(query, collector)
    return collector.results()


def title_boost(required: wq.Query, optional: wq.Query) -> wq.Query:
    """`required` scored with `optional` where it also matches (same hits, same scores)."""
    if fast_path_enabled():
        from .optional_boost import LazyAndMaybe

        return LazyAndMaybe(required, optional)
    from whoosh import query as wq

    return wq.AndMaybe(required, optional)


def matching_docs(searcher: Any, query: wq.Query) -> set[int]:
    """The document numbers (index-wide) of every match of `query`."""
    if fast_path_enabled():
        from .filtered_top import matching_docs as from_blocks

        return from_blocks(searcher, query)
    return set(searcher.docs_for_query(query))
