"""Word lists and patterns the speaker rules share (extraction stage).

General lexicons only: speech (cue) verbs in every form, role nouns, words
that start sentences but are never names.  English is written here; every
other language is one data file, `data/lexicon-<lang>.toml`: speech verbs,
"according to" forms (and those holding a pronoun, "по его словам"), words
after a quote that name its speaker ("so"), a next sentence that does ("об
этом"), function words, determiners, auxiliaries, prepositions, role nouns
(every case, for declining languages) → the English role they stand for,
pronouns → gender, honorifics.  Adding a language is adding a file.  Nothing
here names an article or one of its sentences.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Language:
    """One language's words for the speaker rules (`data/lexicon-<lang>.toml`)."""

    code: str
    cue_verbs: tuple[str, ...]
    according_to: tuple[str, ...]
    after_quote: tuple[str, ...]
    said_this: tuple[str, ...]
    function_words: tuple[str, ...]
    determiners: tuple[str, ...]
    auxiliaries: tuple[str, ...]
    prepositions: tuple[str, ...]
    of: tuple[str, ...]
    pronouns: dict[str, str]  # pronoun → male | female | plural
    according_pronouns: dict[str, str]  # "по его словам" → "он"
    role_nouns: dict[str, str]  # as written, lower case → English role noun
    honorifics_male: tuple[str, ...]
    honorifics_female: tuple[str, ...]


def _strings(data: dict[str, object], key: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"lexicon {data.get('language')}: {key} must be a list of strings")
    return tuple(value)


def load_languages() -> list[Language]:
    """Every bundled language file, in name order."""
    found = []
    folder = resources.files("statement_search") / "data"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not (entry.name.startswith("lexicon-") and entry.name.endswith(".toml")):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        roles = {str(k): str(v) for k, v in dict(data.get("role_nouns", {})).items()}
        found.append(
            Language(
                code=str(data.get("language", entry.name[8:-5])),
                cue_verbs=_strings(data, "cue_verbs"),
                according_to=_strings(data, "according_to"),
                after_quote=_strings(data, "after_quote"),
                said_this=_strings(data, "said_this"),
                function_words=_strings(data, "function_words"),
                determiners=_strings(data, "determiners"),
                auxiliaries=_strings(data, "auxiliaries"),
                prepositions=_strings(data, "prepositions"),
                of=_strings(data, "of"),
                pronouns={str(k): str(v) for k, v in dict(data.get("pronouns", {})).items()},
                according_pronouns={
                    str(k): str(v) for k, v in dict(data.get("according_pronouns", {})).items()
                },
                role_nouns=roles,
                honorifics_male=_strings(data, "honorifics_male"),
                honorifics_female=_strings(data, "honorifics_female"),
            )
        )
    return found


LANGUAGES = load_languages()
# Role nouns of other languages → the English role noun they stand for ("глава
# государства" → "head of state"); English nouns stand for themselves.
FOREIGN_ROLES: dict[str, str] = {
    noun: role for lang in LANGUAGES for noun, role in lang.role_nouns.items()
}
# Role nouns written without an article (Russian, Ukrainian): "— подчеркнула депутат".
BARE_ROLES = sorted(
    {noun for lang in LANGUAGES if not lang.determiners for noun in lang.role_nouns},
    key=len,
    reverse=True,
)
FOREIGN_DETERMINERS = sorted(
    {d for lang in LANGUAGES for d in lang.determiners if d[-1:].isalpha()}, key=len, reverse=True
)
AUXILIARIES = sorted({a for lang in LANGUAGES for a in lang.auxiliaries}, key=len, reverse=True)
OF_WORDS = sorted({"of", *(w for lang in LANGUAGES for w in lang.of)}, key=len, reverse=True)
ACCORDING_TO = sorted(
    {"according to", *(w for lang in LANGUAGES for w in lang.according_to)}, key=len, reverse=True
)
# Words before a name that make it a place or thing, not the speaker ("en el Congreso").
FOREIGN_PREPOSITIONS = frozenset(
    w for lang in LANGUAGES for w in (*lang.prepositions, *lang.of, *lang.determiners)
)
# «…». Об этом заявил X.: a sentence after the quote that says who said it.
SAID_THIS = sorted({w for lang in LANGUAGES for w in lang.said_this}, key=len, reverse=True)
# "По его словам": an "according to" phrase holding a pronoun → that pronoun.
ACCORDING_PRONOUNS: dict[str, str] = {
    phrase: pronoun for lang in LANGUAGES for phrase, pronoun in lang.according_pronouns.items()
}
# Words after a quote that introduce its speaker without a verb ("„…“, so Scholz").
AFTER_QUOTE = sorted({w for lang in LANGUAGES for w in lang.after_quote}, key=len, reverse=True)
PRONOUN_GENDERS: dict[str, str] = {"he": "male", "she": "female", "they": "plural"}
for _lang in LANGUAGES:
    PRONOUN_GENDERS.update(_lang.pronouns)

_REGULAR_CUES = """
add admit advise affirm agree allege announce answer argue ask assert assure
boast call caution charge chime claim clarify comment complain concede conclude confirm
contend continue counter declare deny demand describe disagree echo elaborate emphasise
emphasize estimate explain exclaim gripe highlight hint indicate insist joke lament
exhort maintain mention muse note object observe offer opine plead pledge point post praise
predict proclaim promise protest question react reason recall recount reflect reiterate remark
remind repeat reply report respond retort say scoff shout sigh signal snap speculate state
stress suggest summarise summarize tease testify thank tweet underline underscore urge
vow warn whisper wonder yell
acknowledge bark beam bellow brag chant chuckle concur confess crow deadpan fume gush
groan grumble holler interject interrupt laugh lecture marvel mock mutter murmur posit
rant recommend remember retaliate reveal roar scold snarl taunt thunder vent boom
surmise bemoan decry sneer wager reckon venture
""".split()
_IRREGULAR_CUES = """
said says saying told tells telling wrote writes writing written spoke speaks speaking
thought thinks put puts went goes began begins admitted admitting quipped quips quipping
regretted regrets omitted submitted committed added pressed
dismissed derided labeled labelled branded
swore swears sang sings cried cries
""".split()
_CUE_PHRASES = [
    r"told\s+(?:reporters|journalists|the\s+\w+|\w+)",
    r"(?:is|was|were|are)\s+(?:convinced|sure|certain|adamant|quoted\s+as\s+saying)",
    r"went\s+on(?:\s+to\s+say)?",
    r"pointed\s+out",
    r"points\s+out",
    r"chimed\s+in",
    r"summed\s+(?:it\s+)?up",
    r"put\s+it",
    r"made\s+clear",
    r"made\s+it\s+clear",
    r"drew\s+attention",
    r"doubled\s+down",
    r"spoke\s+out",
    r"weighed\s+in",
    r"shot\s+back",
    r"fired\s+back",
    r"pushed\s+back",
    r"wrote\s+on\s+\w+",
]


def _forms(verb: str) -> list[str]:
    if verb.endswith("e"):
        return [verb, verb + "s", verb + "d", verb[:-1] + "ing"]
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return [verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"]
    if verb.endswith(("s", "sh", "ch", "x")):
        return [verb, verb + "es", verb + "ed", verb + "ing"]
    return [verb, verb + "s", verb + "ed", verb + "ing"]


CUE_WORDS = frozenset(
    [form for verb in _REGULAR_CUES for form in _forms(verb)]
    + _IRREGULAR_CUES
    + [verb for lang in LANGUAGES for verb in lang.cue_verbs]
) - {"state", "post", "posts", "point", "points", "offer", "offers", "question", "questions"}

# Second halves of hyphenated words that make a name into a description.
COMPOUND_ENDS = frozenset(
    """style area based born era like led backed type level language languages shirt shirts
    speaking owned run made funded friendly related specific wide bound minded controlled
    aligned leaning affiliated allied linked supporting loving hating obsessed""".split()
)
# Office and role nouns that can stand for a person ("the Russian leader").
ENGLISH_ROLE_NOUNS = [
    "head of state",
    "head of government",
    "prime minister",
    "foreign minister",
    "defence minister",
    "defense minister",
    "press secretary",
    "secretary of state",
    "vice president",
    "president-elect",
    "president",
    "leader",
    "premier",
    "chancellor",
    "minister",
    "secretary",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chief",
    "governor",
    "senator",
    "mayor",
    "nominee",
    "candidate",
    "chairman",
    "chairwoman",
    "ambassador",
    "diplomat",
    "official",
    "king",
    "queen",
    "monarch",
    "pontiff",
    "pope",
    "congressman",
    "congresswoman",
    "lawmaker",
    "businessman",
    "billionaire",
    "businesswoman",
    "frontrunner",
    "front-runner",
    "director",
    "commander",
    "general",
    "speaker",
    "host",
    "anchor",
    "moderator",
    "adviser",
    "advisor",
    "aide",
    "strategist",
    "pollster",
    "manager",
    "mogul",
    "politician",
    "tycoon",
]
# With every language's: longest first, so no noun comes after one it starts with.
ROLE_NOUNS = sorted({*ENGLISH_ROLE_NOUNS, *FOREIGN_ROLES}, key=len, reverse=True)


def alternation(words: list[str]) -> str:
    """`words` as one regex alternation, factored by shared prefixes ("pre(?:mier|sident)").

    The engine then reads each spot once instead of once per word; it matches
    what "w1|w2|…" matches as long as a longer word comes before any word it
    starts with, which is checked here. A space stands for any whitespace.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            if "" in node:  # an earlier word ends here: this word starts with it
                break
            node = node.setdefault(char, {})
        if "" in node:  # (or is that word again)
            raise ValueError(f"{word!r} must come before the word it starts with")
        node[""] = {}
    return _alternation(trie)


def _alternation(node: dict[str, dict]) -> str:
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _alternation(child)
        for char, child in node.items()
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    return (body if body.startswith("(?:") and len(branches) > 1 else "(?:" + body + ")") + "?"


ROLE_NOUN = "(?i:" + alternation(ROLE_NOUNS) + ")"
# A cue: a fixed phrase, or a speech verb (longest first).
CUE = (
    "(?:"
    + "|".join([*_CUE_PHRASES, alternation(sorted(CUE_WORDS, key=len, reverse=True))])
    + r")\b"
)
CUE_RE = re.compile(r"\b" + CUE)
# Roles that name the top office: an unqualified one can be the site's own president.
HEAD_ROLES = frozenset(
    {
        "president",
        "leader",
        "head of state",
        "chief",
        "head of government",
        "premier",
        "prime minister",
        "chancellor",
        "king",
        "queen",
        "monarch",
    }
)
ROLE_CLASSES = [
    frozenset({"president", "leader", "head of state", "chief"}),
    frozenset({"prime minister", "premier", "leader", "head of government", "chief"}),
    frozenset({"chancellor", "leader", "head of government"}),
    frozenset({"king", "queen", "monarch", "leader", "head of state"}),
    frozenset({"spokesman", "spokeswoman", "spokesperson", "press secretary", "secretary"}),
    frozenset({"nominee", "candidate", "frontrunner", "front-runner"}),
    frozenset({"businessman", "billionaire", "mogul", "tycoon", "businesswoman"}),
    frozenset({"foreign minister", "minister", "diplomat", "secretary of state"}),
]
# Place words that stand for a country's adjective ("the Kremlin chief").
ADJECTIVE_SYNONYMS = {
    "kremlin": "russian",
    "russia": "russian",
    "moscow": "russian",
    "belarus": "belarusian",
    "minsk": "belarusian",
    "belarussian": "belarusian",
    "ukraine": "ukrainian",
    "kyiv": "ukrainian",
    "kiev": "ukrainian",
    "u.s.": "american",
    "us": "american",
    "america": "american",
    "united states": "american",
    "white house": "american",
    "washington": "american",
    "china": "chinese",
    "beijing": "chinese",
    "france": "french",
    "elysee": "french",
    "germany": "german",
    "berlin": "german",
    "britain": "british",
    "uk": "british",
    "hungary": "hungarian",
    "poland": "polish",
    "turkey": "turkish",
    "kazakhstan": "kazakh",
    "iran": "iranian",
    "israel": "israeli",
    "gop": "republican",
    "democrat": "democratic",
}
# Capitalised words that start sentences or clauses but never names.
NOT_NAME_WORDS = frozenset(
    """a an the this that these those it its he she they we i you his her their our my
    your him them us me who what when where why how which whose whom there here then
    and but or nor so yet for if as at by in on of to from with without into onto upon
    after before during since until while although though because unless whether also
    however meanwhile moreover still even just only now today yesterday tomorrow later
    earlier recently instead indeed thus therefore besides furthermore nevertheless
    according asked speaking speaking, both all each every some many most several few
    no not yes one two three four five six seven eight nine ten first second third
    last next new other another such monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october
    november december in general overall well oh ok okay thank thanks
    please dear let like said says say told tells asked answered added noted stressed
    again once twice given considering
    """.split()
) | {
    # Other languages' pronouns and function words ("Она добавила", "Об этом заявил");
    # not the articles that also start names and places ("Los Angeles", "de Gaulle").
    word
    for lang in LANGUAGES
    for word in (*lang.pronouns, *lang.function_words, *lang.prepositions, *lang.determiners)
    if word not in {"los", "las", "el", "la", "le", "les", "de", "du", "des", "der", "den", "da"}
    and word not in {"di", "von", "van", "a", "an", "am", "in", "so", "al", "bin", "son", "su"}
}
FEMALE_FIRST_NAMES = frozenset(
    """hillary kellyanne nancy elizabeth sarah sara melania ivanka michelle huma donna
    debbie karine jen kamala nikki marine angela theresa ursula kaja maria mariya
    valentina natalia natalya svetlana sviatlana tulsi amy elise susan mary anne ann
    jane janet jill katie kate megyn rachel hope condoleezza madeleine barbara laura
    chelsea jennifer jessica christine lisa karen linda patricia margaret helen emma
    olga irina tatiana tatyana yulia julia victoria liz marsha dianne kirsten tammy
    heidi claire jeanne jeanine ana alexandria ilhan rashida ayanna lindsey katrina
    kristen kristi kelly robin sharon""".split()
)
MALE_FIRST_NAMES = (
    frozenset(
        """donald barack bernie ted marco jeb ben chris john joe joseph mike michael mitt paul
    rand rick scott bill bob robert tim tom thomas james jim david dan daniel mark steve
    stephen george jeff jeffrey josh jason sean kevin brian eric corey reince newt rudy
    rudolph lindsey harry chuck charles vladimir aleksandr alexander sergey sergei dmitry
    viktor emmanuel olaf recep xi boris justin andrew richard peter jake john-paul ryan
    martin howard lloyd ron anthony tony frank larry gary jerry greg gregory adam matt
    matthew nick nicholas sam samuel william henry jack jon jonathan patrick pat carl""".split()
    )
    - FEMALE_FIRST_NAMES
)
# Places that head sentences like people do ("South Carolina votes"), never speakers' names.
PLACE_NAMES = (
    frozenset(
        """alabama alaska arizona arkansas california colorado connecticut delaware florida
    georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland
    massachusetts michigan minnesota mississippi missouri montana nebraska nevada
    ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington
    wisconsin wyoming america europe asia africa russia china ukraine belarus britain
    france germany israel iran iraq syria mexico canada japan brussels moscow minsk
    kyiv kiev beijing london paris berlin""".split()
    )
    | {
        "new hampshire",
        "new jersey",
        "new mexico",
        "new york",
        "north carolina",
        "north dakota",
        "rhode island",
        "south carolina",
        "south dakota",
        "west virginia",
        "united states",
        "north korea",
        "south korea",
        "saudi arabia",
        "new york city",
        "white house",
        "los angeles",
        "san francisco",
        "san diego",
        "san antonio",
        "las vegas",
        "new orleans",
        "salt lake city",
        "hong kong",
        "sri lanka",
        "new zealand",
        "south africa",
        "costa rica",
        "puerto rico",
        "el salvador",
        "united kingdom",
        "soviet union",
        "middle east",
        "latin america",
        "north america",
        "south america",
    }
    | set(
        """italy spain poland hungary greece turkey egypt libya india pakistan afghanistan
    philippines cuba venezuela brazil argentina chile colombia peru nigeria kenya ethiopia
    somalia sudan yemen lebanon qatar kuwait vietnam korea indonesia malaysia
    australia ireland scotland wales england sweden norway denmark finland netherlands
    belgium austria switzerland portugal romania serbia georgia armenia azerbaijan
    kazakhstan uzbekistan chicago boston miami houston dallas philadelphia detroit atlanta
    seattle denver cleveland phoenix baltimore pittsburgh tokyo seoul delhi baghdad tehran
    damascus kabul cairo jerusalem istanbul ankara warsaw rome madrid vienna geneva
    havana caracas manila""".split()
    )
)
# Head words of organisations, outlets and regions: such a name can be a
# source ("the Washington Examiner reported") but is never "he" or "she".
NOT_PERSON_WORDS = frozenset(
    """committee party campaign campaigns news post times journal foundation department
    university college school embassy council senate congress court agency association
    institute center centre network group company corporation corp inc bank board
    commission administration office ministry service society union league coalition
    caucus club church press media channel radio television tv magazine review tribune
    herald daily examiner chronicle gazette reuters twitter facebook instagram youtube
    google pac fund project organization organisation federation alliance program
    programme republicans democrats police army navy government state america europe
    asia africa city county street avenue airport museum hospital
    initiative movement institution watch trust forum action enquirer politico breitbart
    cnn msnbc nbc abc cbs
    fox npr bbc ap afp gop nato un eu fbi cia nsa doj dnc rnc""".split()
)
FEMALE_TITLES = frozenset(
    {"mrs", "mrs.", "ms", "ms.", "miss", "madam", "lady", "dame", "queen"}
    | {h for lang in LANGUAGES for h in lang.honorifics_female}
)
MALE_TITLES = frozenset(
    {"mr", "mr.", "sir", "lord", "king", "father"}
    | {h for lang in LANGUAGES for h in lang.honorifics_male}
)
# Words of other languages' role nouns and honorifics: descriptions, never names.
FOREIGN_TITLE_WORDS = frozenset(
    word
    for lang in LANGUAGES
    for phrase in (*lang.role_nouns, *lang.honorifics_male, *lang.honorifics_female)
    for word in phrase.split()
    if word not in lang.of and word not in lang.determiners
)
