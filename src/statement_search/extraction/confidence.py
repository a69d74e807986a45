"""How sure an attribution is (extraction stage): rule and mention → a number in 0–1.

Each rule that finds a speaker is right at its own rate: a cue verb right
after the quote naming a full name ("…,” said Ann Lee) almost always, a
pronoun or a role noun less often, a sentence subject without a cue verb
least.  `CONFIDENCE` holds those rates as measured on the PolNeAR training
articles (`bench/calibration.py --by-rule`), rounded down; the dev sets are
kept for checking the calibration (`bench/calibration.py`).
"""

from __future__ import annotations

from .names import name_tokens

# (rule, how) → share of right speakers for a full name and for a name of one
# word (a surname the article never completes, more often a word taken for one).
# Fitted on polnear-dev/train (shares in the comments), rounded down; rules
# PolNeAR rarely uses (labels, roles) get a cautious value.
CONFIDENCE: dict[tuple[str, str], tuple[float, float]] = {
    ("given", "label"): (0.99, 0.95),  # turns given by structured input
    ("label", "label"): (0.95, 0.9),
    ("after_verb", "name"): (0.96, 0.6),  # .979 (470), .667 (9)
    ("after_name", "name"): (0.96, 0.9),  # .981 (1027), .968 (124)
    ("lead_cue", "name"): (0.93, 0.85),  # .956 (880), .921 (76)
    ("according", "name"): (0.9, 0.85),
    ("lead_according", "name"): (0.9, 0.85),
    ("after_late", "name"): (0.85, 0.75),  # .929 (14)
    ("earlier", "name"): (0.8, 0.75),  # .852 (27)
    ("subject", "name"): (0.8, 0.7),  # .850 (80), 1.00 (9)
    ("possessive", "name"): (0.5, 0.4),  # .500 (6)
    ("after_dash", "name"): (0.6, 0.4),
    ("split", "continuation"): (0.88, 0.88),  # .940 (888), .942 (86)
    ("continuation", "continuation"): (0.75, 0.7),  # .835 (91)
    ("after_name", "pronoun"): (0.75, 0.75),  # .788 (457), .815 (54): silver gold
    ("lead_cue", "pronoun"): (
        0.65,
        0.65,
    ),  # .751 (197), .778 (36): a "she added:" lead is shown unsure
    ("subject", "pronoun"): (0.6, 0.5),  # .800 (15), .000 (2)
    ("earlier", "pronoun"): (0.6, 0.5),
    ("mentioned", "pronoun"): (0.5, 0.4),  # a last resort: the last such person mentioned
}
_DEFAULT = {"name": (0.7, 0.6), "role": (0.7, 0.6), "pronoun": (0.6, 0.5), "label": (0.9, 0.85)}


def confidence(rule: str, how: str, speaker: str | None) -> float:
    """The share of right speakers among attributions made like this one (0 without one)."""
    if not speaker:
        return 0.0
    full, single = CONFIDENCE.get((rule, how), _DEFAULT.get(how, (0.6, 0.5)))
    return full if len(name_tokens(speaker)) >= 2 else single
