"""Speaker resolution and target mentions across an article (ANNOTATION.md sections 2 and 3).

Rules, not a model: a source span names a person ("Serbian President Aleksandar Vucic" ->
"Aleksandar Vucic"), an institution ("the Serbian Foreign Ministry"), a pronoun ("he"), a role
noun ("the president") or nobody in particular ("officials"). Pronouns and role nouns resolve
to the most recent compatible speaker, surnames to the full name the article gives, and a quote
without a source continues the last speaker.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from models.schema import TargetSpec

PERSON_PRONOUNS = {"he", "she", "him", "her", "i"}
GROUP_PRONOUNS = {"they", "it", "we"}
INDEFINITE = {
    "a",
    "an",
    "one",
    "some",
    "several",
    "many",
    "most",
    "other",
    "two",
    "three",
    "few",
    "another",
    "senior",
    "local",
    "western",
    "unnamed",
    "anonymous",
}
ANONYMOUS_HEADS = {
    "question",
    "q",
    "officials",
    "official",
    "sources",
    "source",
    "critics",
    "residents",
    "analysts",
    "diplomats",
    "diplomat",
    "witnesses",
    "witness",
    "observers",
    "experts",
    "protesters",
    "people",
    "villagers",
    "locals",
    "insiders",
    "others",
    "activists",
    "lawmakers",
    "ministers",
    "commentators",
    "reports",
    "media",
    "police",
    "authorities",
    "organisers",
    "organizers",
    "sides",
    "leaders",
}
TITLE_WORDS = {
    "mep",
    "pm",
    "governor",
    "under",
    "assistant",
    "president",
    "prime",
    "minister",
    "foreign",
    "defence",
    "defense",
    "interior",
    "deputy",
    "chief",
    "secretary",
    "general",
    "secretary-general",
    "ambassador",
    "envoy",
    "special",
    "representative",
    "commander",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "mayor",
    "director",
    "head",
    "speaker",
    "chairman",
    "chairwoman",
    "chair",
    "senator",
    "sen.",
    "rep.",
    "dr",
    "dr.",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "gen.",
    "col.",
    "lt.",
    "maj.",
    "capt.",
    "professor",
    "prof.",
    "bishop",
    "patriarch",
    "father",
    "judge",
    "prosecutor",
    "lieutenant",
    "colonel",
    "major",
    "captain",
    "admiral",
    "sergeant",
    "commissioner",
    "chancellor",
    "king",
    "queen",
    "pope",
    "rev.",
    "acting",
    "former",
    "vice",
    "high",
    "top",
    "lt",
    "gen",
    "col",
    "serbian",
    "serbia's",
    "kosovo",
    "kosovo's",
    "kosovar",
    "albanian",
    "nato",
    "nato's",
    "kfor",
    "kfor's",
    "eu",
    "eu's",
    "u.s.",
    "us",
    "american",
    "british",
    "german",
    "french",
    "russian",
    "russia's",
    "italian",
    "european",
    "western",
    "hungarian",
    "croatian",
    "montenegrin",
    "bosnian",
    "un",
    "state",
    "department",
    "opposition",
    "presidential",
    "ruling",
    "negotiator",
    "lead",
    "senior",
    "mp",
    "leader",
}
INSTITUTION_WORDS = {
    "ministry",
    "office",
    "government",
    "commission",
    "council",
    "embassy",
    "police",
    "army",
    "force",
    "forces",
    "parliament",
    "assembly",
    "presidency",
    "mission",
    "department",
    "service",
    "agency",
    "command",
    "alliance",
    "union",
    "party",
    "cabinet",
    "kremlin",
    "kfor",
    "nato",
    "eulex",
    "unmik",
    "osce",
    "un",
    "eu",
    "court",
    "tribunal",
    "church",
    "list",
    "lista",  # Srpska Lista
    "movement",
    "institute",
    "centre",
    "center",
    "foundation",
    "bank",
    "fund",
    "club",
    "federation",
    "association",
    "committee",
    "board",
    "administration",
    "house",
    "media",
    "network",
    "newspaper",
    "tv",
    "radio",
    "television",
    "daily",
    "times",
    "post",
    "news",
    "press",
    "coalition",
    "sector",
    "management",
    "directorate",
    "bureau",
    "inspectorate",
    "authority",
    "ombudsman",
    "chamber",
    "secretariat",
    "company",
    "corporation",
    "group",
    "university",
    "school",
    "hospital",
    "observatory",
    "laboratory",
    "archive",
    "programme",
    "program",
    "faculty",
    "initiative",
    "watch",
    "monitor",
    "project",
    "statement",
    "report",
    "organization",
    "organisation",
    "diocese",
    "eparchy",
    "patriarchate",
    "monastery",
    "municipality",
    "guard",
    "league",
    "exchange",
    "society",
    "academy",
    "forum",
    "prosecution",
    "ratings",
    "institution",
}
DOCUMENT_NOUNS = {"statement", "release", "report", "communique", "post", "letter", "document", "readout"}
PERSONAL_DOCUMENTS = {"statement", "release", "communique", "post", "letter"}
REPORT_NOUNS = {
    "study",
    "survey",
    "poll",
    "findings",
    "assessment",
    "analysis",
    "decision",
    "resolution",
    "text",
    "indictment",
    "audit",
    "memo",
    "filing",
    "dossier",
}
# Singular heads that are anonymous only with an indefinite article ("a diplomat"); with "the"
# they point back to someone already named.
SINGULAR_ANONYMOUS = {"official", "source", "diplomat", "witness", "person"}
_INDEFINITE_DIPLOMAT = re.compile(
    r"\b(?:an?|one|two|three|several|some)\s+(?:[\w-]+\s+){0,3}?diplomats?\b", re.IGNORECASE
)
# Public figures often named by surname alone in news about the region; an article that gives
# a full name itself takes precedence.
KNOWN_PEOPLE = (
    "Aleksandar Vucic",
    "Aleksandar Vučić",
    "Albin Kurti",
    "Vjosa Osmani",
    "Ivica Dacic",
    "Ivica Dačić",
    "Ana Brnabic",
    "Ana Brnabić",
    "Petar Petkovic",
    "Petar Petković",
    "Milos Vucevic",
    "Miloš Vučević",
    "Marko Djuric",
    "Marko Đurić",
    "Aleksandar Vulin",
    "Jens Stoltenberg",
    "Mark Rutte",
    "Miroslav Lajcak",
    "Miroslav Lajčák",
    "Josep Borrell",
    "Kaja Kallas",
    "Marta Kos",
    "Peter Sorensen",
    "Maria Zakharova",
    "Sergei Lavrov",
    "Vladimir Putin",
    "Donika Gervalla",
    "Donika Gërvalla",
    "Hashim Thaci",
    "Ramush Haradinaj",
    "Avdullah Hoti",
    "Xhelal Svecla",
    "Xhelal Sveçla",
    "Goran Rakic",
    "Goran Rakić",
    "Milan Radoicic",
    "Milan Radoičić",
    "Ursula von der Leyen",
    "Antony Blinken",
    "Jeffrey Hovenier",
    "Emmanuel Macron",
    "Olaf Scholz",
    "Giorgia Meloni",
    "Viktor Orban",
    "Viktor Orbán",
)
_WORD = re.compile(r"[\w.'’-]+")
_CAPITALISED = re.compile(r"^[A-ZÀ-ÖØ-ÞČĆŠŽĐ]")


@dataclass(frozen=True)
class SourceReading:
    """What a source span names: kind is name, institution, person_pronoun, group_pronoun,
    role ("the president"), titled ("Russia's ambassador"), anonymous or none."""

    kind: str
    value: str | None = None


# Name searches look at the start of each sentence only: names come early, and a pathological
# 100,000-character "sentence" must not make resolution slow.
SCAN_CHARS = 1_000
PLURAL_ENDINGS = ("ists", "ers", "ans", "ors", "ents", "ants", "ics", "ies", "als", "sts", "rts", "ees", "ians")
PARTICLES = {"von", "van", "der", "de", "den", "al", "bin", "el", "da", "di", "do", "dos", "del", "la", "le"}


# Titles of an office holder, as opposed to the nationality and place words TITLE_WORDS also holds.
OFFICE_TITLES = {
    "governor", "president", "minister", "director", "chief", "head", "chairman", "chairwoman", "spokesman",
    "spokeswoman", "spokesperson", "ambassador", "envoy", "commissioner", "secretary", "deputy", "mayor", "judge",
}  # fmt: skip

# Titles shared by several people named in a row ("Foreign Ministers Ivica Dacic and ...").
PLURAL_TITLES = {
    f"{title}s"
    for title in ("minister", "president", "ambassador", "envoy", "commissioner", "leader", "senator", "mayor")
}


def _is_title(token: str) -> bool:
    lowered = token.lower()
    return lowered in TITLE_WORDS or lowered in PLURAL_TITLES


def _strip_titles(tokens: list[str], after_role: bool = False) -> list[str]:
    """Drop titles: the name is what follows the last title word ("Mining and Energy Minister
    Dubravka Djedovic Handanovic" -> "Dubravka Djedovic Handanovic"); an untitled run longer than
    a name keeps its last two words (plus any particle), and "of"/"and" end a name ("Bishop
    Teodosije of Raska and Prizren" -> "Teodosije"). After a lowercase role word ("coach Alberto
    Ruiz Ortega") nothing descriptive is left before the name, so three words stay."""
    titles = [i for i, t in enumerate(tokens) if _is_title(t) or t.lower() in PORTFOLIO_WORDS]
    if titles and titles[-1] < len(tokens) - 1:
        tokens = tokens[titles[-1] + 1 :]
    joiner = next((i for i, t in enumerate(tokens) if i > 0 and t.lower() in JOINERS - PARTICLES), None)
    if joiner is not None:
        tokens = tokens[:joiner]
    while len(tokens) > 1 and tokens[0].lower() in TITLE_WORDS:
        tokens = tokens[1:]
    if len(tokens) > 3 or (len(tokens) > 2 and not titles and not after_role):  # "Social Democrat Ivo Marinic"
        start = len(tokens) - 2
        while start > 1 and tokens[start - 1].lower() in PARTICLES:
            start -= 1
        if tokens[start].lower() in PARTICLES:
            start -= 1
        tokens = tokens[start:]
    if len(tokens) == 2 and tokens[0].lower() in TITLE_WORDS:
        tokens = tokens[1:]  # "Brigadier General Wrobel" -> "Wrobel", completed from the article later
    return tokens


# Portfolio words of a minister's title ("Minister of Foreign Affairs", "Mining and Energy Minister").
PORTFOLIO_WORDS = {
    "affairs",
    "energy",
    "mining",
    "trade",
    "justice",
    "health",
    "finance",
    "economy",
    "education",
    "culture",
    "agriculture",
    "labour",
    "labor",
    "integration",
    "diaspora",
    "environment",
    "infrastructure",
    "transport",
}


# Pronoun agreement: most first names in this region's news that end in -a are women's,
# except these men's names.
MALE_NAMES_IN_A = {
    "ivica",
    "nikola",
    "luka",
    "luca",
    "sava",
    "andrija",
    "jovica",
    "perica",
    "sasa",
    "sasha",
    "mirza",
    "ilija",
    "kosta",
    "toma",
    "mitja",
    "nikita",
    "joshua",
    "ezra",
    "aliya",
    "isa",
    "musa",
    "nebojsa",
    "nemanja",
    "zarija",
    "zika",
    "pera",
    "sima",
    "jova",
    "gavrila",
    "dimitrija",
    "zaharija",
    "dragisa",
    "hajrulla",  # Albanian men's names in -a
    "abdulla",
    "avdulla",
    "zija",
    "vasa",
    "bora",
    "misa",
}
FEMALE_NAMES_NOT_IN_A = {
    "artane",
    "donika",
    "ingrid",
    "karen",
    "marisa",
    "kaja",
    "ursula",
    "ruth",
    "mimoza",
    "edith",
    "elizabeth",
    "margaret",
    "catherine",
    "anne",
    "jane",
    "kate",
    "marie",
    "sophie",
    "claire",
    "nicole",
    "michelle",
    "rachel",
    "helen",
    "ellen",
    "emily",
    "agnes",
    "ines",
    "dolores",
    "mercedes",
    "gulsen",
    "rebecca",
    "sofie",
    "julie",
    "charlotte",
    "caroline",
    "louise",
    "christine",
    "jacqueline",
    "danielle",
    "valerie",
    "stephanie",
    "natalie",
    "emilie",
    "josephine",
    "madeleine",
    "helene",
    "brigitte",
    "simone",
    "astrid",
    "sigrid",
    "kirsten",
    "heidi",
    "annette",
    "yvonne",
    "birgit",
    "karin",
    "signe",
    "esther",
    "miriam",
    "judith",
    "sarah",
    "hannah",
    "carmen",
    "isabel",
    "mary",
    "lucy",
    "alice",
    "grace",
    "rose",
    "jennifer",
    "elif",
    "ayse",
    # Albanian first names of women that end in -e ("-ije" names are matched by their ending)
    "fatime", "valdete", "lindite", "donike", "kimete", "xhevahire", "fitore", "qendrese", "shqipe", "ardiane",
    "besarte", "drite", "hatixhe", "fatmire", "mirvete", "hanife", "sebahate", "igballe", "vjose", "edone",
    "jehone", "dafine", "hyrite", "halime", "selime", "merite", "teute", "blerte", "shprese", "vlore",
}  # fmt: skip


def name_gender(name: str, single: bool = False) -> str | None:
    """ "f", "m" or None (not a two-word personal name; with `single`, a first name alone counts:
    "Dragana, 61", who gave only her first name)."""
    tokens = name.split()
    if len(tokens) < (1 if single else 2):
        return None
    if single and len(tokens) == 1 and tokens[0].isupper() and len(tokens[0]) > 1:
        return None  # an acronym alone ("KEDS", "UEFA") is a body's name
    first = fold_accents(tokens[0]).lower()  # "Nebojša" is "Nebojsa", a man's name in -a
    if first in FEMALE_NAMES_NOT_IN_A:
        return "f"
    if first.endswith("ije") and len(first) > 4:  # Hajrije, Lirije, Bukurije
        return "f"
    if first.endswith("a") and first not in MALE_NAMES_IN_A:
        return "f"
    return "m"


JOINERS = {"of", "for", "and", "de", "von", "van", "al", "bin", "el", "da", "do", "dos", "das", "di", "del", "der"}
# Words after which a source phrase says where or how someone spoke, not who they are.
CUT_WORDS = {
    "in",
    "at",
    "from",
    "on",
    "with",
    "who",
    "which",
    "that",
    "speaking",
    "based",
    "whose",
    "after",
    "during",
    "to",
    "via",
    "close",
}
# Lower-case words that open a phrase of place or time, never a speaker's name.
ADVERBIAL_STARTS = {"in", "at", "across", "on", "from", "after", "during", "outside", "inside", "near"}
DETERMINERS = {"the", "a", "an", "this", "that", "his", "her", "its", "their", "our", "my"}
# Capitalised only because they start the sentence: never part of a name (speakers, source spans).
LEADING_FUNCTION_WORDS = {
    "on",
    "at",
    "for",
    "from",
    "to",
    "whether",
    "neither",
    "nor",
    "among",
    "with",
    "by",
    "unlike",
    "like",
    "despite",
    "in",
    "if",
    "when",
    "while",
    "after",
    "before",
    "although",
    "though",
    "as",
    "but",
    "and",
    "so",
    "since",
    "because",
    "meanwhile",
    "however",
    "yet",
    "also",
    "even",
    "then",
    "now",
    "still",
}
# Capitalised only as a sentence's first word before a comma ("Underneath, the paper accused ...").
SENTENCE_ADVERBS = {
    "underneath",
    "elsewhere",
    "separately",
    "later",
    "earlier",
    "instead",
    "today",
    "yesterday",
    "overnight",
    "previously",
    "initially",
    "finally",
    "again",
    "here",
    "there",
    "above",
    "below",
    "inside",
    "outside",
    "afterwards",
    "nevertheless",
    "nonetheless",
    "moreover",
    "indeed",
    "privately",
    "publicly",
    "officially",
}
NUMBER_WORDS = {
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "twenty",
    "dozens",
    "hundreds",
    "thousands",
    "about",
    "around",
    "nearly",
    "almost",
    "roughly",
    "more",
    "half",
}
# Peoples named in the plural ("North Mitrovica Serbs said") are groups, not speakers.
PEOPLES = {
    "serbs",
    "albanians",
    "kosovars",
    "bosniaks",
    "croats",
    "russians",
    "ukrainians",
    "roma",
    "turks",
    "hungarians",
}
# Plural groups that name no one ("Members of the ruling party said").
GROUP_HEADS = {
    "members",
    "fishermen",
    "farmers",
    "owners",
    "defenders",
    "supporters",
    "opponents",
    "workers",
    "voters",
    "citizens",
    "economists",
    "scientists",
    "researchers",
    "students",
    "families",
    "representatives",
    "polls",
    "surveys",
}
# Lowercase role nouns that stand right before a person's name ("Red Star coach Milos Zecevic").
ROLE_NOUNS = {
    "columnist",
    "commentator",
    "reporter",
    "coach",
    "manager",
    "expert",
    "analyst",
    "economist",
    "researcher",
    "historian",
    "scientist",
    "lawyer",
    "journalist",
    "editor",
    "activist",
    "priest",
    "candidate",
    "founder",
    "owner",
    "striker",
    "midfielder",
    "goalkeeper",
    "defender",
    "player",
    "captain",
    "singer",
    "writer",
    "author",
    "executive",
    "student",
    "farmer",
    "resident",
    "official",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "mayor",
    "minister",
    "president",
    "ambassador",
    "envoy",
    "commander",
    "director",
    "head",
    "chairman",
    "chairwoman",
    "senator",
    "professor",
    "bishop",
    "judge",
    "commissioner",
    "chancellor",
    "deputy",
    "negotiator",
    "leader",
    "mp",
    "secretary",
    "representative",
}


def _person_before_of(run: list[str]) -> list[str]:
    """ "Radomir Lukic of the Freedom and Justice Party" -> "Radomir Lukic": a name before "of"
    is a person's affiliation, unless the words before it name a body ("Central Bank of ...") or
    are all titles ("Prime Minister of Kosovo Albin Kurti")."""
    for i, word in enumerate(run):
        if word.lower() in {"of", "for"} and i >= 2:
            before = [w.lower() for w in run[:i]]
            if not any(w in INSTITUTION_WORDS for w in before) and any(
                w not in TITLE_WORDS | PORTFOLIO_WORDS for w in before
            ):
                return run[:i]
            return run
    return run


def _capitalised_runs(words: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of capitalised words with their start index; "of", "for" and "and" (also "of the")
    may join two capitalised words ("Ministry of Finance", "Office for Kosovo and Metohija",
    "International Committee of the Red Cross")."""

    def capitalised(i: int) -> bool:
        return i < len(words) and bool(_CAPITALISED.match(words[i]))

    runs: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for i, word in enumerate(words):
        lowered = word.lower()
        joins = bool(current) and (
            (lowered in JOINERS and (capitalised(i + 1) or (words[i + 1 : i + 2] == ["the"] and capitalised(i + 2))))
            or (lowered == "the" and current[-1].lower() in {"of", "for"} and capitalised(i + 1))
        )
        if _CAPITALISED.match(word) or joins:
            current.append(word)
        else:
            if current:
                runs.append((i - len(current), current))
            current = []
    if current:
        runs.append((len(words) - len(current), current))
    return runs


KIN_WORDS = (
    "brother", "sister", "son", "daughter", "wife", "husband", "mother", "father", "cousin", "uncle",
    "aunt", "nephew", "niece", "widow", "widower", "grandson", "granddaughter", "grandmother",
    "grandfather", "daughter-in-law", "son-in-law", "brother-in-law", "sister-in-law",
)  # fmt: skip
_KIN = re.compile(
    r"^(?:[A-Z][\w'’-]*\s+)?([A-Z][\w-]+)['’]s\s+(?:\w+\s+)?(?:"
    + "|".join(sorted(KIN_WORDS, key=len, reverse=True))
    + r"),?\s+([A-Z][\w'’-]+)$"
)


# "Russia's Ambassador to Serbia Alexander Botsan-Kharchenko": the posting sits between the title
# and the name ("the United States", "the United Nations" take two words).
_POSTED_TO = re.compile(
    r"\b([Aa]mbassador|[Ee]nvoy)\s+to\s+(?:the\s+)?[A-Z][\w.]*(?:\s+(?:States|Nations|Kingdom|Union))?\s+"
    r"(?=[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]+\s+[A-ZÀ-ÖØ-ÞČĆŠŽĐ])"
)


@functools.lru_cache(maxsize=4096)  # pure; the classifier reads each source twice (speakers, mentions)
def read_source(source: str | None) -> SourceReading:
    """Classify a source span and extract the name it gives, titles stripped."""
    if not source or not source.strip():
        return SourceReading("none")
    if _PSEUDONYM.fullmatch(source.strip()):
        return SourceReading("anonymous")  # "Witness W04": a protected witness has no name to give
    if kin := _KIN.match(source.strip()):  # "Bunjaku's brother, Blerim" -> "Blerim Bunjaku"
        return SourceReading("name", f"{kin.group(2)} {kin.group(1)}")
    # "the former Vojvodina midfielder", "the Partizan coach": a role, not the club's name
    described = re.fullmatch(r"[Tt]he\s+(?:former\s+)?(?:[A-Z][\w'’.-]*\s+){1,3}([a-z]+)", source.strip())
    if described and described.group(1) in (ROLE_NOUNS | PERSON_NOUNS) - TITLE_WORDS:
        return SourceReading("role", described.group(1))
    if re.fullmatch(r"(?:the|his|her|their)\s+defen[cs]e(?:\s+team)?", source.strip(), re.IGNORECASE):
        return SourceReading("role", "lawyer")  # "according to the defence": the accused's lawyer
    bare = re.fullmatch(r"[Tt]he\s+([A-Z][a-z]+)", source.strip())
    if bare and bare.group(1).lower() in INSTITUTION_WORDS:
        return SourceReading("role", bare.group(1).lower())  # "The Office" takes up the office named before
    if re.fullmatch(r"(?:[\w.'’]+\s+)?PM", source.strip()):
        return SourceReading("titled", "pm")  # "Kosovo PM says ...": the prime minister the body names
    # "Serbia's Vucic", "EU's Kallas" (headlines): the person, whose full name the article gives
    place = re.match(r"^([A-Z][\w.]*)['’]s\s+(?=[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]+$)", source.strip())
    if place and (place.group(1) in COUNTRY_WORDS | QUALIFIERS or place.group(1).lower() in CAPITALS):
        source = source.strip()[place.end() :]
    # "Srpska Lista's Igor Simic", "the ministry's Ana Petrovic": the body's person
    member = re.match(r"^(.+?)['’]s\s+(?=[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]+\s+[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]+$)", source.strip())
    if member and member.group(1).split()[-1].lower() in INSTITUTION_WORDS:
        source = source.strip()[member.end() :]
    # "Vucic's Serbian Progressive Party (SNS)": the party's name, not its leader or its initials
    source = re.sub(r"^(.*[a-z].*?)\s*\([A-Z]{2,6}\)\s*$", r"\1", source.strip())
    owner = _PERSONS_BODY.match(source)
    if owner and owner.group(1) not in COUNTRY_WORDS | {"Kosovo"} and owner.group(1).lower() not in CAPITALS:
        source = source[owner.end() :]
    source = _POSTED_TO.sub(r"\1 ", source)
    # "Ministry of Industry, Entrepreneurship and Trade": a comma inside a body's name splits nothing
    listed = _LISTED_NAME.search(source)
    if listed:
        source = source[: listed.start()] + listed.group().replace(",", "\x00") + source[listed.end() :]
    parts = [p.strip() for p in re.split(r",|\(|\)|—|–", source) if p.strip()]
    # "19-year-old Luka Pavlovic", "the 54-year-old Dragan Ilic": the age describes the name after it
    parts = [re.sub(r"^(?:the\s+|a\s+)?\d{1,3}-year-old\s+(?=[A-ZÀ-ÖØ-ÞČĆŠŽĐ])", "", p) for p in parts]
    # "in the Serb-majority north, Dragana, 61": a place or time before the speaker is not a name
    # and neither is a description after it ("The document, dated Dec. 4")
    parts = [
        p
        for n, p in enumerate(parts)
        if p.split()[0].lower() not in ADVERBIAL_STARTS and not (n and re.fullmatch(r"[a-z]+ed", p.split()[0]))
    ] or parts
    readings = [_read_part(p) for p in parts]
    if listed:  # the commas back into the name as read
        plain = " ".join(listed.group().replace(",", " ").split())
        readings = [SourceReading(r.kind, r.value.replace(plain, listed.group())) if r.value else r for r in readings]
    # A full personal name anywhere in the span wins ("Russia's ambassador, Alexander X"); a part
    # that is nothing but the name before one found inside a longer phrase ("The United States
    # representative, Robert Hallman").
    full = [(p, r) for p, r in zip(parts, readings, strict=True) if r.kind == "name" and " " in (r.value or "")]
    for part, reading in full:
        if reading.value == part:
            return reading
    if full:
        return full[0][1]
    # "Her son, 22", "A former officer of the Serbian interior ministry": a person left unnamed,
    # not the family's last speaker nor the body they work for (a spokesman speaks for the body)
    head = _UNNAMED_PERSON.match(source)
    if head and not head.group(0).lower().endswith(("spokesman", "spokeswoman", "spokesperson")):
        return SourceReading("anonymous")
    if any(r.kind == "role" and r.value in KIN_NOUNS for r in readings):
        return SourceReading("anonymous")
    for kind in ("name", "institution", "person_pronoun", "group_pronoun", "role", "titled", "anonymous"):
        for reading in readings:
            if reading.kind == kind:
                return reading
    return SourceReading("anonymous")


COUNTRY_ADJECTIVES = {
    "Serbia": "Serbian",
    "Russia": "Russian",
    "Albania": "Albanian",
    "Croatia": "Croatian",
    "Montenegro": "Montenegrin",
    "Germany": "German",
    "France": "French",
    "Italy": "Italian",
    "Hungary": "Hungarian",
    "Bosnia": "Bosnian",
    "Spain": "Spanish",
    "Britain": "British",
    "Greece": "Greek",
    "Turkey": "Turkish",
    "Romania": "Romanian",
    "Bulgaria": "Bulgarian",
    "Slovakia": "Slovak",
    "Slovenia": "Slovenian",
    "Austria": "Austrian",
    "Poland": "Polish",
    "Ukraine": "Ukrainian",
    "China": "Chinese",
    "Japan": "Japanese",
    "America": "American",
    "Canada": "Canadian",
    "Australia": "Australian",
    "Sweden": "Swedish",
    "Finland": "Finnish",
    "Norway": "Norwegian",
    "Denmark": "Danish",
    "Netherlands": "Dutch",
    "Belgium": "Belgian",
    "Switzerland": "Swiss",
    "Israel": "Israeli",
    "Iran": "Iranian",
    "India": "Indian",
    "Georgia": "Georgian",
    "Armenia": "Armenian",
    "Azerbaijan": "Azerbaijani",
    "Moldova": "Moldovan",
    "Belarus": "Belarusian",
    "Portugal": "Portuguese",
    "Ireland": "Irish",
}


COUNTRY_WORDS = COUNTRY_ADJECTIVES.keys() | COUNTRY_ADJECTIVES.values()


CHAIN_JOINERS = {"of", "for", "and", "the", "on", "in"}
CHAIN_HEADS = {"confederation", "federation", "centre", "center", "institute", "association", "council", "league"}


def _body_chain(body: list[str]) -> list[str] | None:
    """A body's name that runs to the end of the phrase, capitalised words joined by "of", "for",
    "and": after a descriptor ("the consumer group Voice of the Consumer", "the campaign group
    Clean Air Now") or starting with a body noun ("the Confederation of Autonomous Trade Unions",
    "the Centre for South-East European Policy")."""
    for start in range(len(body)):
        chain = body[start:]
        if not chain[0][:1].isupper() or chain[-1][:1].islower():
            continue
        if not all(w[:1].isupper() or w in CHAIN_JOINERS for w in chain):
            return None
        before = body[start - 1] if start else ""
        # not "An exit poll for public broadcaster RTV Slovenija": the poll is no speaker's
        described = before in BODY_DESCRIPTORS | {"tank"} and (len(chain) > 1 or chain[0].isupper())
        described = described and not {"for", "by", "from", "with"} & set(body[:start])
        headed = chain[0].lower() in CHAIN_HEADS and any(w in CHAIN_JOINERS for w in chain)
        return chain if described or headed else None
    return None


def _institution_value(words: list[str]) -> str:
    """ "a KFOR statement" -> "KFOR", "Spain's foreign ministry" -> "Spanish foreign ministry":
    a document stands for whoever issued it, and a country's body takes the adjective."""
    words = list(words)
    while len(words) > 1 and words[-1].islower() and words[-1] in DOCUMENT_NOUNS | {"annual", "latest", "own", "new"}:
        words.pop()
    return " ".join(_adjectival(words))


def _adjectival(words: list[str]) -> list[str]:
    """ "Serbia's Foreign Ministry" (possessive already dropped) -> "Serbian Foreign Ministry"."""
    if len(words) > 1 and words[0] in COUNTRY_ADJECTIVES:
        return [COUNTRY_ADJECTIVES[words[0]], *words[1:]]
    return words


ENVOY_TITLES = {"ambassador", "envoy", "representative", "delegate"}
CALENDAR_WORDS = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}
# Common nouns whose possessive is part of a body's name ("People's Party", "Prosecutor's Office").
POSSESSIVE_NAME_WORDS = {"people", "prosecutor", "children", "women", "men", "minister", "president", "ombudsperson"}


def _words(part: str) -> list[str]:
    words = []
    found = _WORD.findall(part)
    for i, word in enumerate(found):
        # Inside a body's name a possessive stays ("Workers' Party", "Prosecutor's Office"); a
        # place's or person's is dropped ("Kosovo's Ministry", "Kurti's office").
        base = re.sub(r"['’]s?$", "", word)
        inner = (
            i + 1 < len(found)
            and found[i + 1][:1].isupper()
            and base[:1].isupper()
            and (word.endswith(("s'", "s’")) or base.lower() in POSSESSIVE_NAME_WORDS)
        )
        initialism = re.fullmatch(r"(?:[A-Za-z]\.){2,}", word) is not None  # "U.N.", "U.K.", "U.S."
        abbreviation = word.lower().endswith(("dr.", "mr.", "mrs.", "ms.", "gen.", "col.", "lt.", "sen.", "rep."))
        if not initialism and not abbreviation:
            word = word.rstrip(".") if inner else word.rstrip(".'’")
        if word.endswith(("'s", "’s")) and not inner:
            word = word[:-2]  # "Kosovo's Ministry of Defence" -> "Kosovo Ministry of Defence"
        if word.endswith("-based") and word[:1].isupper():
            continue  # "the Belgrade-based Institute for European Affairs": where it sits, not its name
        pieces = word.split("-")
        if len(pieces) > 1 and all(p.lower() in TITLE_WORDS for p in pieces):
            words.extend(pieces)  # "Vice-President", "Secretary-General": read as the title words they are
            continue
        if word:
            words.append(word)
    for i, word in enumerate(words):
        # "U.S. Ambassador to Kosovo Jeffrey Hovenier": "to" after an envoy's title is part of it.
        if i > 0 and word in CUT_WORDS and not (word == "to" and words[i - 1].lower() in ENVOY_TITLES):
            return words[:i]
    return words


# Phrases whose speaker is a body named inside them. (An unnamed spokesperson stays anonymous,
# as the guide's "a diplomat" does.)
# "An audit of fuel supply contracts for the mission", "a review into the raid": a document named
# by its subject, whose author the article gives elsewhere
_DOCUMENT_ABOUT = re.compile(r"(?:an?|the)\s+(?:[a-z-]+\s+)?(audit|report|review|study|memo)\s+(?:of|into|on)\s", re.I)
_SPOKEN_FOR = [
    # "a survey by the Ankara pollster Metropoll", "a report published on Tuesday by the WHO"
    re.compile(
        r"^(?:\S+\s+){0,3}?(?:survey|study|poll|report|analysis|review|statement)\b.*?\b(?:by|from)\s+(.+)$", re.I
    ),
    # "Analysts at Stratbase", "Organisers from the Kosova Diaspora Forum"
    re.compile(
        r"^(?:international\s+|independent\s+|foreign\s+)?(?:analysts|researchers|experts|economists|organisers|organizers|monitors|observers|inspectors)"
        r"\s+(?:at|from)\s+(.+)$",
        re.I,
    ),
    # "An editorial in the Global Times": a paper's unsigned piece is the paper's.
    re.compile(r"^(?:an?\s+|the\s+)?(?:editorial|leader|commentary)\s+(?:in|of)\s+(.+)$", re.I),
    re.compile(r"^(?:data|figures|estimates)\s+(?:from|by)\s+(.+)$", re.I),
    # "KFOR figures", "NATO's own estimates", "the mission's own figures"
    re.compile(
        r"^(?:an?\s+)?(.+?)(?:'s|’s)?\s+(?:own\s+|annual\s+|latest\s+)*"
        r"(?:figures|estimates|assessments?|data|tests|team|headquarters)$",
        re.I,
    ),
]


# "the NATO-led mission", "NATO-led peacekeepers", "the Kosovo Force": KFOR under its descriptions.
_KFOR = re.compile(
    r"^(?:the\s+)?(?:NATO-led\s+(?:Kosovo\s+)?(?:peacekeeping\s+)?(?:mission|force|peacekeepers)|(?:NATO-led\s+)?Kosovo\s+Force"
    # "NATO's peacekeeping mission in Kosovo", "NATO peacekeepers", "NATO's mission in Kosovo"
    r"|NATO(?:['’]s)?\s+(?:Kosovo\s+)?peacekeep(?:ing\s+(?:mission|force)|ers)|NATO(?:['’]s)?\s+(?:mission|force)(?=\s+in\s+Kosovo)"
    r"|NATO(?:['’]s)?\s+KFOR(?:\s+(?:mission|force|peacekeepers))?)"  # "NATO's KFOR mission"
    r"(?:\s+in\s+Kosovo)?$",
    re.IGNORECASE,
)


def _office_holder(part: str) -> str | None:
    """ "Director of the Office for Kosovo and Metohija Petar Petkovic": an office named in full,
    then its holder, whose name is the last two capitalised words (with any particles between)."""
    tokens = part.split()
    if tokens and tokens[0].lower() == "the":
        tokens = tokens[1:]
    if len(tokens) < 5 or tokens[0].lower() not in TITLE_WORDS or not tokens[0][:1].isupper():
        return None
    if not any(t in ("of", "for") for t in tokens[1:3]):
        return None
    name: list[str] = []
    capitals = 0
    for token in reversed(tokens):
        if token.lower() in PARTICLES and name:
            name.insert(0, token)
        elif _CAPITALISED.match(token) and capitals < 2:
            name.insert(0, token)
            capitals += 1
        else:
            break
    if capitals < 2 or any(w.lower() in INSTITUTION_WORDS | TITLE_WORDS for w in name):
        return None
    rest = tokens[: len(tokens) - len(name)]
    if rest[-1].lower() in JOINERS | DETERMINERS or rest[-1][:1].islower():
        return None  # "Secretary of the Security Council": capitals right after "the" name the body
    return " ".join(name)


# "All 12 analysts polled by Reuters": the people asked speak, not the outlet that asked them.
_ASKED_BY = re.compile(r"\b(?:polled|surveyed|interviewed|questioned|asked|contacted)\s+by\b", re.IGNORECASE)


def _read_part(part: str) -> SourceReading:
    if _KFOR.match(part):
        return SourceReading("institution", "KFOR")
    if document := _DOCUMENT_ABOUT.match(part):
        return SourceReading("role", document.group(1).lower())
    if _ASKED_BY.search(part):
        return SourceReading("anonymous")
    if holder := _office_holder(part):
        return SourceReading("name", holder)
    for pattern in _SPOKEN_FOR:
        match = pattern.match(part)
        if match:
            inner = _read_part(match.group(1))
            if inner.kind in {"institution", "role", "name"}:
                return inner
    reading = _read_words(part)
    seat = _SEAT.search(part)
    if reading.kind == "institution" and seat and (reading.value or "").lower().endswith(seat.group(1).lower()):
        return SourceReading("institution", f"{reading.value} in {seat.group(2)}")
    return reading


# "the U.S. Embassy in Pristina", "NATO's office in Belgrade": a mission's seat is part of its name.
_SEAT = re.compile(r"\b(embassy|office|mission|consulate|delegation)\s+in\s+([A-Z][\w'’.-]*)", re.IGNORECASE)


def _read_words(part: str) -> SourceReading:
    words = _words(part)
    if not words:
        return SourceReading("anonymous")
    lowered = [w.lower() for w in words]
    if len(words) == 1 and lowered[0] in PERSON_PRONOUNS:
        return SourceReading("person_pronoun")
    if len(words) == 1 and lowered[0] in GROUP_PRONOUNS:
        return SourceReading("group_pronoun")
    body = words[1:] if lowered[0] in DETERMINERS else words
    # A capital that only starts the sentence ("Whether Kurti", "In Belgrade") is not a name.
    while len(body) > 1 and body[0].lower() in LEADING_FUNCTION_WORDS:
        body = body[1:]
    if not body:
        return SourceReading("anonymous")
    first = body[0].lower()
    # "Eleven of the 13 economists", "Members of the ruling party", "Residents of Voskepar": a
    # count or a group drawn from somewhere names no one.
    if first in NUMBER_WORDS or first[0].isdigit() or body[-1].lower() in PEOPLES:
        return SourceReading("anonymous")
    if len(body) > 1 and body[1].lower() == "of" and first.endswith("s") and first in ANONYMOUS_HEADS | GROUP_HEADS:
        return SourceReading("anonymous")
    indefinite = lowered[0] in INDEFINITE
    # "Russian envoy", "Kosovo's prime minister", "OSCE envoy": someone holding an office, to be
    # named from the article, not the body or country before the title.
    if not indefinite and lowered[-1] in PERSON_TITLES and (words[-1].islower() or len(words) == 1):
        start = len(words) - 1
        while start > 0 and words[start - 1].islower() and lowered[start - 1] in TITLE_WORDS:
            start -= 1
        # "Russia's ambassador" is a particular office holder, "the ambassador" whoever was last in view.
        qualified = any(w.lower() not in DETERMINERS for w in words[:start])
        return SourceReading("titled" if qualified else "role", " ".join(lowered[start:]))
    # A sentence-initial capital ("Officials said", "Climate researchers") is not a name.
    if first in ANONYMOUS_HEADS | INDEFINITE:
        body = body[1:]
    if chain := _body_chain(body):
        return SourceReading("institution", " ".join(chain))
    runs = [(start, _person_before_of(run)) for start, run in _capitalised_runs(body)]
    # "Ana Pejic of the green-left coalition": a name, then its affiliation.
    # "Assembly member Dusan Peric of Srpska lista": the same after a role word.
    for start, person in runs:
        described = start == 0 or body[start - 1] in ROLE_NOUNS | PERSON_NOUNS
        if described and len(person) >= 2 and body[start + len(person) : start + len(person) + 1] == ["of"]:
            if not any(w.lower() in INSTITUTION_WORDS | TITLE_WORDS for w in person):
                return SourceReading("name", " ".join(_strip_titles(person)))
            break
    # "Serbia's state utility EPS", "the Hungarian power exchange HUPX": a one-word name in
    # apposition to a lowercase noun at the end is the body that speaks.
    if len(runs) > 1 and len(runs[-1][1]) == 1 and runs[-1][0] == len(body) - 1:
        before = body[runs[-1][0] - 1]
        if before.islower() and before not in JOINERS | ROLE_NOUNS | TITLE_WORDS | CUT_WORDS:
            return SourceReading("institution", runs[-1][1][0])
    # "Kosovo police", "the Serbian government", "Kurti's government": a capitalised modifier
    # and a lowercase institution noun.
    if lowered[-1] == "media" and body[-1][0].islower():
        return SourceReading("anonymous")  # "Chinese state media", "Serbian media": many outlets, no one speaker
    if runs and body and lowered[-1] in INSTITUTION_WORDS and body[-1][0].islower():
        return SourceReading("institution", _institution_value(body[runs[-1][0] :]))
    # A lone capitalised plural at the start is a common noun ("Meteorologists", "Analysts").
    if len(runs) == 1 and runs[0][0] == 0 and len(runs[0][1]) == 1:
        word = runs[0][1][0]
        if word.lower().endswith(PLURAL_ENDINGS) and word.lower() not in INSTITUTION_WORDS and word[1:].islower():
            return SourceReading("anonymous")
    # "Young Boys coach Martin Aebischer": a name right after a lowercase role word is the speaker's,
    # whatever capitalised words (a club, a town) came before.
    for start, run in runs:
        before = body[start - 1] if start > 0 else ""
        if (
            before.islower()
            and before in ROLE_NOUNS
            and len(run) >= 2
            and not any(w.lower() in INSTITUTION_WORDS for w in run)
        ):
            stripped = _strip_titles(run, after_role=True)
            if len(stripped) >= 2:
                return SourceReading("name", " ".join(stripped))
    best_name: list[str] | None = None
    name_closes = False
    institution: list[str] | None = None
    for start, run in runs:
        if all(w.lower() in CALENDAR_WORDS for w in run):
            continue  # "Wednesday's front page of Informer"
        lowered_run = [w.lower() for w in run]
        # "ECOWAS Commission President Omar Touray": a title after the body starts a person's name.
        titled = [
            j
            for j, w in enumerate(lowered_run)
            if w in TITLE_WORDS
            and j < len(run) - 1
            # "Office for Kosovo and Metohija", "Office of the Prime Minister" name a body
            and lowered_run[j - 1] not in JOINERS | {"the"}
            and lowered_run[j + 1] not in JOINERS
        ]
        if titled and any(w in INSTITUTION_WORDS for w in lowered_run[: titled[-1]]):
            run, lowered_run = run[titled[-1] + 1 :], lowered_run[titled[-1] + 1 :]
        stripped = _strip_titles(run)
        # "the Secretary General" is a role; "the State Department" is a body.
        if (
            all(w in TITLE_WORDS for w in lowered_run)
            and lowered[0] == "the"
            and lowered_run[-1] not in INSTITUTION_WORDS
            and start + len(run) == len(body)  # not "the Serbian government's Office ..."
        ):
            return SourceReading("role", " ".join(lowered_run))
        if any(w in INSTITUTION_WORDS for w in lowered_run):
            # a body's name beats an adjective before it ("The Serbian government's Office for ...")
            if institution is None or all(w.lower() in TITLE_WORDS for w in institution):
                institution = run
        elif all(w in TITLE_WORDS for w in lowered_run):
            institution = institution or run
        elif best_name is None or (len(best_name) < 2 <= len(stripped)):
            best_name = stripped  # the first multi-word name wins over later places and bodies
            before = body[start - 1] if start > 0 else ""
            # "a move Secretary General Mark Rutte (called)": a name closing the phrase after a
            # common noun is the speaker, whatever article opened the phrase
            name_closes = (
                start + len(run) == len(body)
                and before.islower()
                and before not in JOINERS | DETERMINERS | CUT_WORDS | INDEFINITE
                and not any(w.isupper() and len(w) > 1 for w in stripped)  # "RTV Slovenija" is a body
            )
    plural_head = lowered[-1].endswith("s") and words[-1][0].islower()
    if best_name and plural_head and len(best_name) < 2:
        return SourceReading("anonymous")
    # "Local meteorologist Ivan Savic": a full name outweighs an anonymous-sounding first word.
    if best_name and (not indefinite or (len(best_name) >= 2 and (lowered[0] not in {"a", "an"} or name_closes))):
        return SourceReading("name", " ".join(best_name))
    adjective_only = institution is not None and all(w.lower() in TITLE_WORDS for w in institution)
    # Bare "police" names no one, "Kosovo Police" names the force.
    named_force = lowered[-1] == "police" and institution is not None and len(institution) > 1
    if (
        indefinite
        or (lowered[-1] in ANONYMOUS_HEADS - SINGULAR_ANONYMOUS and not named_force)
        or (plural_head and (not institution or adjective_only))
    ):
        return SourceReading("anonymous")
    nationality_only = adjective_only and not any(w.lower() in INSTITUTION_WORDS for w in institution or [])
    if nationality_only and words[-1].islower():
        # "the Serbian readout" stands for whoever issued it; "the Russian side" names no one.
        return SourceReading("role" if lowered[-1] in DOCUMENT_NOUNS else "anonymous", lowered[-1])
    if institution:
        return SourceReading("institution", _institution_value(institution))
    if lowered[0] in DETERMINERS:
        return SourceReading("role", lowered[-1])
    return SourceReading("anonymous")


# Nouns for a person of a country that are not its adjective.
DEMONYMS = {"Serb": "Serbia", "Croat": "Croatia", "Briton": "Britain", "Swede": "Sweden", "Dane": "Denmark",
            "Pole": "Poland", "Turk": "Turkey", "Frenchman": "France", "Spaniard": "Spain", "Dutchman": "Netherlands",
            "Kosovar": "Kosovo"}  # fmt: skip


def _national_person(source: str, people: Sequence[str], texts: Sequence[str]) -> str | None:
    """ "the Norwegian": the person last quoted whom the article ties to that country; "the Italian
    general": the person the article introduces with that adjective."""
    match = re.fullmatch(r"[Tt]he\s+([A-Z][a-z]+)(\s+[a-z]+)?", source.strip())
    if not match:
        return None
    word = match.group(1)
    if match.group(2):
        noun = match.group(2).strip()
        if noun in INSTITUTION_WORDS or noun not in PERSON_TITLES | ROLE_NOUNS | PERSON_NOUNS | TITLE_WORDS:
            return None
        return _introduced_as(word, texts)
    country = DEMONYMS.get(word) or next((c for c, a in COUNTRY_ADJECTIVES.items() if a == word), None)
    if country is None:
        return None
    tied = re.compile(rf"\b(?:{word}|{country}(?:['’]s)?|{COUNTRY_ADJECTIVES.get(country, word)})\b")
    for person in reversed(people):
        surname = re.escape(person.split()[-1])
        near = re.compile(rf"{tied.pattern}[^.,;]{{0,40}}?\b{surname}\b|\b{surname}\b[^.,;]{{0,12}}?\bof\s+{country}\b")
        if any(near.search(t) for t in texts):
            return person
    return None


def _introduced_as(adjective: str, texts: Sequence[str]) -> str | None:
    """The latest person written with this nationality: "Italian Major General Enrico Barduani", "a
    Polish lieutenant who gave his name only as Tomasz", "Selcuk Aydin of the Turkish Land Forces"."""
    name = r"(?:[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’.-]*\s+){1,4}[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]+"
    introduced = re.compile(
        rf"\b{adjective}\s+({name})"
        rf"|\b{adjective}\b[^.;]{{0,60}}?\bname(?:\s+only)?,?\s+(?:as\s+)?([A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]+)"
        rf"|({name})\s+of\s+(?:the\s+)?{adjective}\b"
    )
    for text in reversed(texts):
        for found in reversed(list(introduced.finditer(text))):
            if found.group(2):
                return found.group(2)
            tokens = _strip_titles((found.group(1) or found.group(3)).split())
            if len(tokens) >= 2 and not any(t.lower() in INSTITUTION_WORDS | PEOPLES for t in tokens):
                return " ".join(tokens)
    return None


_LISTED_NAME = re.compile(
    r"\b(?:Ministry|Department|Committee|Agency)\s+(?:of|for)\s+[A-Z][\w-]*(?:,\s+[A-Z][\w-]*)+,?\s+and\s+[A-Z][\w-]*"
)
_PSEUDONYM = re.compile(r"(?:(?:[Pp]rotected\s+)?[Ww]itness\s+)?[A-Z]{1,3}-?\d{1,4}")
_PRONOUN_KIN = re.compile(
    r"(?:His|Her|his|her)\s+(?:younger\s+|older\s+|elder\s+)?(?:"
    + "|".join(sorted(KIN_WORDS, key=len, reverse=True))
    + r"),?\s+([A-ZÀ-ÖØ-ÞČĆŠŽĐ][a-zà-ÿčćšžđ]+)"
)


def _first_full_name(surname: str, article_texts: Sequence[str]) -> str | None:
    """The first "First Last" the article writes for this surname: a profile's subject comes before
    the relatives who share the name."""
    if " " in surname:
        return surname
    if surname.isupper():
        return None  # a transcript label ("GASHI:") is read by _full_name
    return next((name for text in article_texts if (name := _longest_full_name(surname, [text]))), None)


def _longest_full_name(surname: str, texts: Sequence[str]) -> str | None:
    """The longest "First Last" in these texts ending with this single-word name, titles stripped."""
    pattern = re.compile(rf"((?:[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w.'’-]*\s+){{1,4}}){re.escape(surname)}\b")
    best = surname
    for text in (t[:SCAN_CHARS] for t in texts):
        for match in pattern.finditer(text):
            tokens = _strip_titles([*match.group(1).split(), surname])
            while tokens and tokens[0].lower() in LEADING_FUNCTION_WORDS | DETERMINERS:
                tokens = tokens[1:]  # "Whether Kurti", "The IMF"
            if (
                len(tokens) >= 2
                and not any(t.lower() in TITLE_WORDS | INSTITUTION_WORDS for t in tokens[:-1])
                and len(" ".join(tokens)) > len(best)
            ):
                best = " ".join(tokens)
    return best if best != surname else None


def _full_name(surname: str, article_texts: Sequence[str]) -> str:
    """The longest "First Last" in the article (else in the list of public figures) ending with this
    single-word name, titles stripped. An upper-case interview label ("GASHI:") is matched in title case."""
    if " " in surname:
        return surname
    # "A1B2".title() is still upper case: recursing on it would never end.
    if surname.isupper() and len(surname) > 3 and not surname.title().isupper():
        expanded = _full_name(surname.title(), article_texts)
        if " " in expanded:
            return expanded
        # A transcript introduces its speakers in capitals too: "HANNA VOGT, ANCHOR:".
        spelled = re.compile(rf"\b([A-ZÀ-ÖØ-ÞČĆŠŽĐ][A-ZÀ-ÖØ-ÞČĆŠŽĐ'’-]+)\s+{re.escape(surname)}\b")
        for text in (t[:SCAN_CHARS] for t in article_texts):
            match = spelled.search(text)
            if match and match.group(1).lower() not in TITLE_WORDS | INSTITUTION_WORDS:
                return f"{match.group(1).title()} {surname.title()}"
        return surname
    return (
        _longest_full_name(surname, article_texts)
        or _longest_full_name(surname, KNOWN_PEOPLE)
        or _name_starting_with(surname, article_texts)
        or surname
    )


def _name_starting_with(given: str, article_texts: Sequence[str]) -> str | None:
    """ "Fadil" after "Fadil Lekaj" in a feature, "Lin" after "Lin Jian": a person called by the
    first word of a two-word name written earlier in the article."""
    pattern = re.compile(rf"(?<![\w'’-]){re.escape(given)}\s+([A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]*)\b(?!\s+[A-ZÀ-ÖØ-ÞČĆŠŽĐ])")
    for text in (t[:SCAN_CHARS] for t in article_texts):
        for match in pattern.finditer(text):
            following = match.group(1)
            if following.lower() not in TITLE_WORDS | INSTITUTION_WORDS | LEADING_FUNCTION_WORDS | DETERMINERS:
                return f"{given} {following}"
    return None


# Headline shorthand for a title the body spells out ("Kosovo PM" is the prime minister).
ROLE_SYNONYMS = {"pm": ("prime minister",), "chief": ("chief", "secretary general", "secretary-general")}
# Words that say whose office a title is ("Serbian President ...", "EU foreign policy chief ...").
QUALIFIERS = {"Kosovo", "NATO", "EU", "UN", "KFOR", "European", "U.S.", "US", "American"}
QUALIFIER_FORMS = {COUNTRY_ADJECTIVES.get(q, q) for q in COUNTRY_WORDS | QUALIFIERS} | {"Kosovo"}


# Offices whose holder the article may name without the title ("Aleksandar Vucic travelled to
# Brussels. ... the Serbian president told reporters"); taken only when the article names them.
KNOWN_HOLDERS = {
    ("Serbian", "president"): "Aleksandar Vucic",
    ("Kosovo", "prime minister"): "Albin Kurti",
    ("Kosovo", "president"): "Vjosa Osmani",
}


def _known_holder(role: str, qualifier: str | None, earlier: Sequence[str]) -> str | None:
    holder = KNOWN_HOLDERS.get((qualifier or "", role))
    if holder and any(re.search(rf"\b{holder.split()[-1]}\b", text) for text in earlier):
        return holder
    return None


def _qualifier(source: str | None) -> str | None:
    """The country or body that qualifies a role: "Serbian president" -> "Serbian"."""
    words = re.findall(r"[\w.'’-]+", source or "")
    for word in words:
        bare = re.sub(r"['’]s$", "", word)
        if bare in COUNTRY_WORDS or bare in QUALIFIERS:
            return COUNTRY_ADJECTIVES.get(bare, bare)
    return None


def _role_name(role: str, earlier: Sequence[str], qualifier: str | None = None) -> str | None:
    """A name given with this role in earlier text: "President Aleksandar Vucic", "Vucic, the president".
    With a qualifier ("Serbian president"), a name whose role another country or body qualifies
    ("Kosovo President Vjosa Osmani") is not taken."""
    for spelled in ROLE_SYNONYMS.get(role, (role,)):
        named = _role_name_as(spelled, earlier, qualifier)
        if named:
            return named
    return None


def _role_name_as(role: str, earlier: Sequence[str], qualifier: str | None) -> str | None:
    # One way to match each name (no optional separators inside a repeat): no catastrophic backtracking.
    name = r"([A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]*(?:\s[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]*){0,2})"
    before = re.compile(rf"\b(?i:{re.escape(role)})\s+{name}")
    # "Vucic, the president", "Thomas Whitacre, the U.S. State Department's envoy"; not "Kurti,
    # speaking after the envoy had left"
    after = re.compile(rf"{name},\s+(?:the|a|an|[A-Z][\w.'’-]*)\s+(?:[\w.'’-]+\s+){{0,4}}?(?i:{re.escape(role)})\b")
    # "his lawyer, Nebojsa Vlajic, told Tanjug"
    appositive = re.compile(rf"\b(?i:{re.escape(role)}),\s+{name}(?=[,.]|\s+[a-z])")
    for text in (t[:SCAN_CHARS] for t in reversed(earlier)):
        for pattern in (before, after, appositive):
            found = []
            for m in pattern.finditer(text):
                if not _CAPITALISED.match(m.group(1)):
                    continue
                if pattern is appositive and re.search(
                    r"(?i)\b(?:deputy|vice|assistant|acting|former)\s+$", text[: m.start()]
                ):
                    continue  # "the First Deputy Prime Minister, Besnik Bislimi" is not the prime minister
                if qualifier and pattern is not after:
                    # the words just before the role say whose it is
                    context = {re.sub(r"['’]s$", "", w) for w in text[max(0, m.start() - 40) : m.start()].split()[-4:]}
                    context = {COUNTRY_ADJECTIVES.get(w, w) for w in context}
                    if context & QUALIFIER_FORMS and qualifier not in context:
                        continue
                preceding = text[max(0, m.start() - 6) : m.start()].split()[-1:]
                if pattern is after and preceding and preceding[0].lower() in ADVERBIAL_STARTS | {"to", "of", "by"}:
                    continue  # "the talks in Brussels, the director replied": a place, not the director
                # "President Vucic's dexterity": the name without its possessive
                found.append(re.sub(r"['’]s$", "", m.group(1).strip()))
            for candidate in reversed(found):
                tokens = _strip_titles(candidate.split())
                first = tokens[0].lower() if tokens else ""
                # "In December, the parliament speaker", "Underneath, the paper": a sentence's opener
                if first in LEADING_FUNCTION_WORDS | NON_SUBJECT_STARTS | CALENDAR_WORDS | SENTENCE_ADVERBS:
                    continue
                if tokens and not any(t.lower() in INSTITUTION_WORDS | TITLE_WORDS for t in tokens):
                    return " ".join(tokens)
    return None


# An interview question's label: "Q:", "Question:", "QUESTION:".
# Who asks in an interview; never the one who answers ("Our correspondent Jelena Markovic spoke to him").
GUEST_LABELS = {"guest", "caller", "panellist", "panelist"}
INTERVIEWER_WORDS = {"anchor", "host", "presenter", "interviewer", "moderator", "reporter", "correspondent"}
# "Q:", "Question.", or the asker's role as a transcript label ("REPORTER:", "Host:")
QUESTION_LABEL = re.compile(
    r"^\s*(?:(?:Q|Question|QUESTION)\s*[:.]|(?:"
    + "|".join(w for word in sorted(INTERVIEWER_WORDS) for w in (word.upper(), word.title()))
    + r")(?:\s*\([^)]*\))?\s*:)"  # "CORRESPONDENT (Zvecan):"
)


def resolve_speakers(texts: Sequence[str], is_quote: Sequence[bool], sources: Sequence[str | None]) -> list[str | None]:
    """Speaker per sentence of one article (None for non-quotes and anonymous sources)."""
    speakers: list[str | None] = []
    last_any: str | None = None
    last_person: str | None = None
    last_answerer: str | None = None
    answered_at = -1  # where last_answerer last spoke
    last_any_at = unnamed_at = -1  # where last_any last spoke, and where an unnamed source last did
    last_institution: str | None = None
    institution_at = -1  # where last_institution last spoke
    people: list[str] = []  # personal-name speakers, most recent last
    bodies: list[str] = []  # institutions that spoke under their own name, most recent last
    spoke_at: dict[str, int] = {}  # sentence index where each person last spoke
    # The person each sentence starts with, read only where a pronoun or answer needs it.
    subject_of = functools.cache(lambda j: _subject_person(texts[j], texts))

    def issued_in(document: str, i: int) -> str | None:
        """The body that spoke "in a press release" (or report ...) in an earlier sentence."""
        mention = re.compile(rf"\bin\s+(?:a|an|its|their)\s+(?:[\w-]+\s+)?(?:{document})\b", re.IGNORECASE)
        return next(
            (b for j in range(i - 1, -1, -1) if (b := speakers[j]) and b not in people and mention.search(texts[j])),
            None,
        )

    def subject_at(i: int) -> int | None:
        """The nearest sentence up to `i` that starts with a person ("Sanne Ververs attacked ...")."""
        return next((j for j in range(i, -1, -1) if subject_of(j)), None)

    def subject_by(i: int) -> str | None:
        """That sentence's person."""
        j = subject_at(i)
        return subject_of(j) if j is not None else None

    for i, (text, quote, source) in enumerate(zip(texts, is_quote, sources, strict=True)):
        if not quote:
            speakers.append(None)
            continue
        reading = read_source(source)
        speaker: str | None
        if reading.kind in {"name", "role", "titled", "anonymous"} and (
            national := _national_person(source or "", people, texts[: i + 1])
        ):
            speaker = national  # "the Norwegian said" after "Sander Holm of Norway"
        elif (kin := _PRONOUN_KIN.match((source or "").strip())) and last_person and name_gender(last_person):
            speaker = f"{kin.group(1)} {last_person.split()[-1]}"  # "His brother Goran": the family's name
        elif reading.kind == "name":
            # the full name given so far ("Tasic" is Bojan Tasic, not the mother named later), else
            # one given further on (a headline's surname), else a person already quoted by that
            # first name ("Goran said" after "His brother Goran")
            speaker = _first_full_name(reading.value or "", texts[: i + 1]) or _full_name(reading.value or "", texts)
            if " " not in speaker:
                speaker = next((p for p in reversed(people) if p.split()[0] == speaker), speaker)
        elif reading.kind == "institution":
            speaker = reading.value
            described = re.fullmatch(r"[A-Z][\w-]+ ([a-z]+)", speaker or "")
            if described and described.group(1) in BODY_DESCRIPTORS:
                # "the Italian club" after "Italian club Bologna": the body it describes
                speaker = _institution_named(described.group(1), texts[:i]) or speaker
        elif reading.kind == "person_pronoun":
            pronoun = (source or "").strip().lower()
            speaker = _agreeing(people, pronoun) or (
                None if _is_body(last_person) else last_person  # "he" is never a church or a ministry
            )
            # "Petrovic, 58, drives to Raska twice a week." then '"...," she said': a person who is
            # the subject of a later sentence than the last speaker's takes the pronoun.
            # "A KFOR officer at the gate explained." or '"...," said a resident of Zvecan.' since
            # then: the pronoun is that unnamed person's, not the last named speaker's.
            inside = _clause_person(text, source or "", texts)
            # "When French President Emmanuel Macron visited Belgrade, he told ...": the clause's person
            inside = inside if inside and _agreeing([inside], pronoun) else None
            for j in range(i, spoke_at.get(speaker or "", -1), -1) if inside is None else ():
                subject = subject_of(j)
                if subject and _agreeing([subject], pronoun):
                    speaker = subject
                    break
                if j < i and speakers[j] is None and _unnamed_person(texts[j], sources[j] if is_quote[j] else None):
                    speaker = None
                    break
            speaker = inside or speaker
        elif reading.kind == "group_pronoun" and i and _OPENS_WITH_DOCUMENT.match(_DATELINE.sub("", texts[i - 1])):
            # "The report by X, ... . It faults ...": the document's, so its author's
            speaker = _document_author(texts[max(0, i - 8) : i + 1]) or last_any
        elif reading.kind == "group_pronoun":
            speaker = last_any
        elif reading.kind == "role" and reading.value in DOCUMENT_NOUNS | REPORT_NOUNS:
            # The body an earlier sentence says issued it; else "the statement said" is whoever spoke
            # last, but a report, readout or study is never the person quoted from it since ("said
            # Ines Kovacevic, the report's lead author"): a statement or a post may be a person's.
            # A lead's report is often credited a sentence or two later ("The report, by X, ...").
            personal = reading.value in PERSONAL_DOCUMENTS
            ahead = [] if personal else texts[i + 1 : i + 3][::-1]
            # "In a press release, KFOR said ..." then "The press release closed by ...": KFOR's
            document = re.sub(r"^(?:the|this|that|its)\s+", "", (source or "").strip(), flags=re.IGNORECASE)
            speaker = (
                _document_author(texts[max(0, i - 8) : i + 1])
                or _document_author(ahead)
                or issued_in(re.escape(document), i)
                or (last_any if personal or last_any not in people else last_institution)
            )
        elif reading.kind == "role" and reading.value in INSTITUTION_WORDS:
            # "the company", "the party" take up the last body that spoke; "the ministry" or "the
            # office" only a ministry or an office ("the statistics office" is not the central bank)
            noun = reading.value or ""
            takes_up = last_institution and (noun in GENERIC_BODY_NOUNS or noun in last_institution.lower())
            possessed = (source or "").split()[0].lower() in {"his", "her", "their"}  # "his office"
            # "the electoral commission" is the "Republic Electoral Commission", not the European one
            modifier = re.match(rf"(?:the\s+)?([a-z]+)\s+{re.escape(noun)}$", (source or "").strip(), re.IGNORECASE)
            wanted = modifier.group(1).lower() if modifier else ""
            if wanted in DETERMINERS | {"same", "new", "local", "national"}:
                wanted = ""
            # a body that spoke under its full name comes first ("the office" after "the Statistical
            # Office of the Republic of Serbia said"), one that holds the modifier before any other
            spoken_bodies = [b for b in reversed(bodies) if noun in b.lower().split() and not possessed]
            spoken = next((b for b in spoken_bodies if wanted in b.lower()), None)
            named = _institution_named(noun, texts[: i + 1], must_contain=wanted) if wanted and not spoken else None
            spoken = spoken or (None if named else next(iter(spoken_bodies), None))
            if named is None and not (possessed and noun == "office"):
                # "his office" is the person's own office, never a body that an earlier sentence named
                named = _institution_named(noun, texts[: i + 1])
            speaker = spoken or named or (last_institution if takes_up else None)
            if speaker is None and noun in COMPANY_NOUNS:
                speaker = _described_company(texts[: i + 1])
        elif reading.kind in {"role", "titled"}:
            qualifier = _qualifier(source)
            named = _role_name(reading.value or "", texts[: i + 1], qualifier)
            if not named and i <= 1:  # a headline's or lead's "EU envoy" is named further down,
                named = _role_name(reading.value or "", texts[i + 1 :][::-1], qualifier)
                if not named and (reading.value or "").split()[-1] in PERSON_TITLES:
                    # or is the first person the story is about
                    named = next((p for p in map(subject_of, range(i + 1, len(texts))) if p), None)
            named = _full_name(named, texts) if named else None  # "the President" -> "President Vucic" -> full name
            named = named or _known_holder(reading.value or "", qualifier, texts[: i + 1])
            # "the diplomat" usually takes up an earlier "a Western diplomat", who has no name.
            # With no unnamed one before, "the diplomat" is the named envoy last quoted.
            anonymous = reading.kind == "titled" or (
                reading.value in SINGULAR_ANONYMOUS
                and (reading.value != "diplomat" or any(_INDEFINITE_DIPLOMAT.search(t) for t in texts[:i]))
            )
            # "Its commander" after KFOR spoke is KFOR's commander, not the last person quoted;
            # and a country quoted as "Serbia" is never "the president" later
            possessive = (source or "").split()[0].lower() in {"its", "his", "her", "their"} and (
                (reading.value or "").split()[-1] in TITLE_WORDS | PERSON_TITLES
            )
            fallback = last_person if last_person not in COUNTRY_WORDS | {"Kosovo"} else None
            if reading.value in OUTLET_NOUNS and institution_at > spoke_at.get(last_person or "", -1):
                fallback = last_institution  # "The same paper claimed": the outlet quoted since
            speaker = named or (None if anonymous or possessive else fallback)
        elif reading.kind == "none":
            # An interview question is the interviewer's; the answer after it continues the
            # interviewee, not the questioner.
            is_question = _asked(i, texts)
            speaker = None if is_question else (last_answerer if _follows_question(i, texts) else last_any)
            if _follows_question(i, texts) and not is_question:
                # "Edona Hajrullahu, the deputy foreign minister, spoke to us." after the last
                # answerer spoke: the interviewee just introduced answers
                introduced = (subject_of(j) for j in range(i - 1, answered_at, -1))
                speaker = next((p for p in introduced if p), speaker)
            if not is_question and speaker is None:
                # the interviewee introduced before anyone was quoted
                speaker = subject_by(i)
            if not is_question and not _follows_question(i, texts) and unnamed_at > last_any_at:
                speaker = None  # '"...," the witness told the court.' goes on: still the unnamed witness
        else:
            speaker = None
        body_pronoun = (source or "").split()[:1] in (["It"], ["it"], ["Its"], ["its"]) and reading.kind != "name"
        if body_pronoun and speaker in people and _personal(speaker):
            speaker = last_institution  # "according to its website": a body's, never a person's
        given = _first_name_given(text) if reading.kind not in {"name", "person_pronoun"} else None
        if given and (speaker is None or reading.kind == "role"):
            speaker = given  # "a young man, who gave only his first name, Vuk" (or "the owner of a shop, ...")
        if speaker is None and _DOCUMENT_AUTHORS.fullmatch((source or "").strip()):
            # "the auditors wrote", "the report's authors": whoever issued the document in view
            speaker = _document_author(texts[max(0, i - 8) : i + 1]) or issued_in(
                "|".join(REPORT_NOUNS | {"report"}), i
            )
        if _THE_AGED.match((source or "").strip()):
            # "the 24-year-old said at the finish": whichever came later, the last person quoted or
            # the last sentence that starts with someone ("Among the swimmers was Ivo Maric, 17.")
            about = subject_at(i)
            if about is not None and (last_person is None or spoke_at.get(last_person, -1) < about):
                speaker = subject_of(about)
            else:
                speaker = last_person
        if reading.kind in {"institution", "role"}:
            speaker = _country_body(source, speaker, text, texts)
        elif reading.kind == "anonymous" and _BARE_POLICE.match((source or "").strip()):
            # "Police said" under a PRISTINA dateline is the Kosovo Police, the force that speaks
            country = _story_country(text, texts, None)
            named_force = _named_police(texts[: i + 1])  # "Kosovo Police carried out ..."
            speaker = f"{COUNTRY_ADJECTIVES.get(country, country)} Police" if country else named_force
        speaker = _leader_office(source, last_person, texts[: i + 1]) or speaker
        label = (source or "q").strip().lower()
        correspondent_report = False
        if QUESTION_LABEL.match(text) and label in INTERVIEWER_WORDS | {"q", "question"}:
            # the label is the asker, not a speaker ("REPORTER: Do you still believe ...?"); a
            # correspondent's report is the correspondent's the article names ("with correspondent
            # Besnik Hoti reporting")
            correspondent_report = label in {"correspondent", "reporter"} and not text.rstrip().endswith("?")
            speaker = _named_in_role(label, texts) if correspondent_report else None
        if label in GUEST_LABELS and QUESTION_LABEL.match(text) is None and text.lstrip().startswith(source or "-"):
            speaker = _named_in_role(label, texts)  # "GUEST:" is the guest the intro names
        if government := _LEADERS_GOVERNMENT.match((source or "").strip()):
            speaker = f"{LEADER_COUNTRIES[government.group(1).lower()]} government"  # "Kurti's government"
        speakers.append(speaker)
        head = (source or "").strip().rstrip(".,").split()[-1:] or [""]
        if speaker is None and (head[0].lower() in UNNAMED_HEADS or _UNNAMED_PERSON.match((source or "").strip())):
            unnamed_at = i  # "the witness", "officials", "a driver from Lesak": not a stray tag like "The"
        # an anchor's line that reports someone ("ANCHOR: President Vucic said ...") is theirs
        reports_someone = (
            label not in INTERVIEWER_WORDS | {"q", "question"}
            and not text.rstrip().endswith("?")
            and not re.match(r"\s*(?:Q|Question|QUESTION)\s*[:.]", text)  # "Q: General, Belgrade says ..."
        )
        if speaker and (reports_someone or correspondent_report or not _asked(i, texts)):
            last_any = speaker
            last_any_at = i
            document = reading.kind == "role" and reading.value in DOCUMENT_NOUNS | REPORT_NOUNS
            if correspondent_report or not (document or _asks(text, source)):
                last_answerer = speaker  # neither a report nor the interviewer answers the questions
                answered_at = i
            if reading.kind in {"name", "person_pronoun", "role", "titled"} or (
                reading.kind == "none" and speaker == last_person
            ):
                last_person = speaker
            single = (
                (reading.kind in {"name", "anonymous"} or speaker == given)
                and " " not in speaker
                and speaker[:1].isupper()
            )
            if name_gender(speaker, single) and not _is_body(speaker) and not _named_body(source, speaker):
                people.append(speaker)
                spoke_at[speaker] = i
            elif reading.kind in {"institution", "name"}:
                last_institution = speaker  # a name that is no person's is a body's ("Stellantis")
                institution_at = i
                bodies.append(speaker)
    return speakers


# "MITROVICA – ", "BRUSSELS (Reuters) - ", "PRIZREN, Kosovo, Oct 8 (BWA) - ": a dateline before the subject.
_DATELINE = re.compile(r"^[A-ZÀ-ÖØ-ÞČĆŠŽĐ][A-ZÀ-ÖØ-ÞČĆŠŽĐ .'’-]+(?:,[^–—-]{0,40}?)?(?:\s*\([^)]*\))?\s*[–—-]+\s*")
_LEADING_NAME = re.compile(r"((?:[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’.-]*\s+){0,4}[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]*)(?=,|\s+([a-z]+)|\s*$)")
PLACE_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "new", "old", "upper"}
# Words that start a sentence without naming its subject ("Every Sunday", "Near Gracanica").
NON_SUBJECT_STARTS = {"every", "each", "near", "on", "in", "at", "after", "before", "since", "during", "last", "next"}
# Nouns after a capitalised run that make it a place or a building, not a person.
PLACE_NOUNS = {"monastery", "village", "town", "city", "river", "lake", "valley", "bridge", "street", "region", "mine"}


# A name with an age after a scene-setting clause: "Every morning at seven, Milena Stankovic, 52,
# unlocks ...", "Dragan, a 67-year-old retired miner, would give only his first name.", "Among
# them was Milos, 41, a father of three".
_AGED_APPOSITIVE = re.compile(
    r"(?:^|,\s+|\b(?:was|were|is|are)\s+)((?:[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]+\s+){0,2}[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]+),\s+"
    r"(?:\d{1,3}|an?\s+\d{1,3}-year-old)\b"
)


# A scene or time before the subject: "Back at the grocery, Dragana ...", "Later that evening, ..."
_OPENING_PHRASE = re.compile(r"^([A-Z][a-z]+)(?:\s+[\w'’-]+){0,7},\s+")
SCENE_OPENERS = {"back", "later", "earlier", "meanwhile", "outside", "inside", "afterwards", "then", "across", "nearby"}
SCENE_OPENERS |= {"on", "at", "in", "near", "by", "along", "beside", "behind", "under", "after", "during"}
_POSSESSIVE = re.compile(r"['’]s\b")  # "Gashi's Bursaspor": a team or a body, never a person's name
# A team, party or place, then a lowercase role, then the name: "Tromsdal coach Henrik Solberg".
_DESCRIBED_NAME = re.compile(
    r"^(?:[A-Z][\w'’.-]*\s+){1,3}((?:[a-z-]+\s+){1,2})([A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]+\s+[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]+)\b"
)
# Phrases that introduce the person a feature goes on to quote: "Its director, Nikola Vukasinovic,
# keeps ...", "Among them was Mimoza Selimaj, whose ...", "We spoke to US Colonel Dana Whitfield".
_INTRODUCING = re.compile(
    r"^(?:(?:Its|His|Her|Their)\s+(?:[a-z][\w-]*\s+){0,3}?[a-z][\w-]*,\s+"
    r"|Among\s+[^,.]{1,60}?\s+(?:was|were|is|are)\s+"
    r"|(?:We|I)\s+(?:spoke\s+(?:to|with)|talked\s+(?:to|with)|sat\s+down\s+with|interviewed|met)\s+)"
)


# A leading subordinate clause, whose subject a pronoun after it takes up.
_LEADING_CLAUSE = re.compile(r"^(?:When|After|As|While|Before|Once|Although|Though|Since|Until)\s+")


def _clause_person(text: str, source: str, texts: Sequence[str]) -> str | None:
    """The person a leading clause starts with, where the pronoun source comes after that clause."""
    clause = _LEADING_CLAUSE.match(text)
    comma = text.find(",")
    if not clause or comma < 0 or any(q in text[:comma] for q in '"“”') or text.find(source, comma) < 0:
        return None
    return _subject_person(text[clause.end() : comma], texts)


def _introduced_by_first_name(name: str, texts: Sequence[str]) -> bool:
    """The article gives this person only a first name: "Teodora, 21," or "gave only her first name, Teodora"."""
    introduced = re.compile(
        rf"\b{re.escape(name)},\s+(?:\d{{1,3}}\b|an?\s)|\bname(?:\s+only)?,?\s+(?:as\s+)?{re.escape(name)}\b"
    )
    return name_gender(name, single=True) is not None and any(introduced.search(t) for t in texts)


def _subject_person(text: str, texts: Sequence[str]) -> str | None:
    """The person a sentence starts with ("Vucic spoke for an hour", "Slavisa Milic, 63, whose...",
    "Next to her, Dragan, 67, clutched"), as a full name from the article, or None."""
    opening = _DATELINE.sub("", text[:SCAN_CHARS], count=1)
    if (aged := _AGED_APPOSITIVE.search(opening)) and not _POSSESSIVE.search(aged.group(1)):
        tokens = _strip_titles(aged.group(1).split())
        name = _full_name(" ".join(tokens), texts) if tokens else ""
        if (
            name
            and not any(t.lower() in INSTITUTION_WORDS | PLACE_WORDS or t in COUNTRY_WORDS for t in tokens)
            and name_gender(name, single=len(tokens) == 1)
        ):
            return name
    # "Later in the evening, Brnabic posted ...", "Back at the grocery, Dragana straightened ..."
    opener = _OPENING_PHRASE.match(opening)
    # or a participle: "Asked whether KFOR agreed, Barduani declined to assign blame."
    if opener and (opener.group(1).lower() in SCENE_OPENERS or opener.group(1).endswith(("ed", "ing"))):
        rest = opening[opener.end() :]
        after = _LEADING_NAME.match(rest)
        # the name goes on into a verb ("Dragana straightened") or an appositive ("Nikola Vucetic, 52,")
        described = after and re.match(r",\s+(?:\d{1,3}|an?|the|who)\b", rest[after.end() :])
        if after and (after.group(2) or described) and len(after.group(1).split()) <= 2:
            name = _full_name(after.group(1), texts)
            if (" " in name and name_gender(name)) or name_gender(name, single=True) == "f":
                return name
    if introducing := _INTRODUCING.match(opening):
        introduced = _LEADING_NAME.match(opening[introducing.end() :])
        tokens = _strip_titles(introduced.group(1).split()) if introduced else []
        name = " ".join(tokens)
        if len(tokens) >= 2 and name_gender(name) and not _POSSESSIVE.search(name):
            return name
    if (described := _DESCRIBED_NAME.match(opening)) and set(described.group(1).split()) <= DESCRIBING_WORDS:
        name = described.group(2)  # "Tromsdal coach Henrik Solberg did not hide his frustration."
        if name_gender(name) and not _POSSESSIVE.search(name):
            return name
    match = _LEADING_NAME.match(opening)
    if not match:
        return None
    tokens = match.group(1).split()
    following = (match.group(2) or "").lower()
    if tokens[0].lower() in LEADING_FUNCTION_WORDS | DETERMINERS | NON_SUBJECT_STARTS or following in PLACE_NOUNS:
        return None
    tokens = _strip_titles(tokens)
    if not tokens or any(
        t.lower() in INSTITUTION_WORDS | TITLE_WORDS | PLACE_WORDS or t in COUNTRY_WORDS or "." in t for t in tokens
    ):
        return None
    name = " ".join(tokens) if len(tokens) >= 2 else _full_name(tokens[0], texts)
    if name.split()[0].lower() in NON_SUBJECT_STARTS | PLACE_WORDS:
        return None  # "Gracanica" completed from a headline's "Near Gracanica"
    if " " not in name and following and _introduced_by_first_name(name, texts):
        return name  # "Teodora laughed" after '"...," said Teodora, 21, a student
    possessive = _POSSESSIVE.search(name)  # "Gashi's Bursaspor" is a team, not a person
    return name if " " in name and name_gender(name) and not possessive else None


_BODY_NAME = r"((?:[a-z'’-]+\s+){0,4}?[A-Z][\w&'’.-]*(?:\s+(?:of|for|and|in|the|[A-Z][\w&'’.-]*)){0,7})"
# "a study by the women's rights group Sfida", "a report published on Tuesday by the OSCE"
_WRITTEN_BY = re.compile(
    r"\b(?:study|report|survey|poll|assessment|analysis|declaration|resolution|readout|statement)\s+"
    r"(?:[\w,]+\s+){0,4}?by\s+(?:the\s+)?" + _BODY_NAME
)
# "The OSCE Mission in Kosovo on Tuesday published its annual assessment", "The European
# Parliament adopted its annual reports": the subject issued the document
_ISSUED = re.compile(
    r"^(?:The\s+)?" + _BODY_NAME + r"(?:,[^,]{1,90},)?\s+(?:on\s+\w+\s+|this\s+\w+\s+|last\s+\w+\s+)?"
    r"(?:published|released|issued|adopted|presented|approved|unveiled|estimated\s+in\s+a\s+study|(?:has\s+)?found|(?:has\s+)?concluded)\b"
)


_OPENS_WITH_DOCUMENT = re.compile(
    r"(?:The|An?|Its)\s+(?:[a-z-]+\s+){0,2}(?:" + "|".join(sorted(REPORT_NOUNS | {"report"})) + r")\b"
)
_DOCUMENT_AUTHORS = re.compile(r"(?:the|its|their)\s+(?:\w+['’]s\s+)?(?:authors|auditors)", re.IGNORECASE)


def _document_author(earlier: Sequence[str]) -> str | None:
    """The body that the latest of these sentences says issued a report, study or resolution."""
    for text in reversed(earlier):
        text = _DATELINE.sub("", text[:SCAN_CHARS], count=1)
        found = [m.group(1) for m in _WRITTEN_BY.finditer(text)]
        issued = _ISSUED.match(text)
        if issued:
            found.insert(0, issued.group(1))
        for phrase in reversed(found):
            reading = read_source(phrase.rstrip(".,"))
            if reading.kind == "institution" or (
                reading.kind == "name" and reading.value and not name_gender(reading.value)
            ):
                return reading.value
    return None


_FIRST_NAME_GIVEN = re.compile(
    r"\b(?:gave|giving|gives|give)\s+(?:only\s+)?(?:his|her|their)\s+(?:first\s+)?name(?:\s+only)?(?:,|\s+as)\s+([A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]+)"
)
PERSON_NOUNS = {
    "officer", "resident", "man", "woman", "soldier", "official", "diplomat", "farmer", "shopkeeper",
    "driver", "teacher", "student", "pensioner", "worker", "protester", "witness", "villager",
    "mother", "father", "policeman", "guard", "doctor", "nurse", "lawyer", "veteran", "owner",
    "spokesman", "spokeswoman", "spokesperson", "source", "member", "local", "neighbour", "neighbor",
    "coach", "player", "athlete", "fan", "passenger", "customer",
}  # fmt: skip
KIN_NOUNS = {
    "son", "daughter", "wife", "husband", "brother", "sister", "mother", "father", "uncle", "aunt", "nephew",
    "niece", "cousin", "grandson", "granddaughter", "grandmother", "grandfather", "widow", "widower",
}  # fmt: skip
UNNAMED_HEADS = (ANONYMOUS_HEADS - {"q", "question"}) | PERSON_NOUNS
DESCRIBING_WORDS = ROLE_NOUNS | PERSON_NOUNS  # words between a team or place and a name, not office titles
_UNNAMED_PERSON = re.compile(
    r"^(?:a|an|one)\s+(?:[\w'’-]+\s+){0,3}?(?:" + "|".join(sorted(PERSON_NOUNS)) + r"|\d+-year-old)\b", re.IGNORECASE
)


def _first_name_given(text: str) -> str | None:
    match = _FIRST_NAME_GIVEN.search(text[:SCAN_CHARS])
    return match.group(1) if match else None


def _unnamed_person(text: str, source: str | None) -> bool:
    """A sentence about, or a quote from, one person the article does not name ("A KFOR officer at
    the gate", "said a resident of Zvecan", "W04 said")."""
    if source is not None:
        return bool(_UNNAMED_PERSON.match(source.strip()) or _PSEUDONYM.fullmatch(source.strip()))
    return bool(_UNNAMED_PERSON.match(_DATELINE.sub("", text[:SCAN_CHARS], count=1)))


# Common nouns that say the name after them is a body's: "carmaker Stellantis", "power utility
# Elektroprivreda Srbije", "the pro-government daily Informer".
BODY_DESCRIPTORS = {
    "company", "firm", "carmaker", "automaker", "utility", "group", "bank", "lender", "insurer",
    "airline", "operator", "producer", "maker", "manufacturer", "retailer", "broadcaster", "daily",
    "newspaper", "tabloid", "weekly", "portal", "outlet", "channel", "agency", "party", "movement",
    "association", "union", "club", "institute", "watchdog", "regulator", "ngo", "network", "giant",
}  # fmt: skip


COMPANY_NOUNS = {
    "company", "firm", "carmaker", "automaker", "maker", "manufacturer", "producer", "retailer", "chain",
    "operator", "utility", "lender", "bank", "insurer", "airline", "group", "giant",
}  # fmt: skip
# "Kabeltech Automotive, a German maker of car wiring systems," / "At Tempo Plus, a supermarket chain"
_DESCRIBED_COMPANY = re.compile(
    r"([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,3}),\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}?(?:"
    + "|".join(sorted(COMPANY_NOUNS))
    + r")\b"
)


def _described_company(earlier: Sequence[str]) -> str | None:
    """The company an earlier sentence describes in an appositive, for "the company" when no body
    spoke; else the one-word name a sentence starts with and the article never uses as a place
    ("KRAGUJEVAC, Serbia - Stellantis will add a third shift ..., the company said")."""
    for text in reversed(earlier):
        found = list(_DESCRIBED_COMPANY.finditer(_DATELINE.sub("", text[:SCAN_CHARS], count=1)))
        if found:
            words = found[-1].group(1).split()
            while words and words[0].lower() in LEADING_FUNCTION_WORDS | ADVERBIAL_STARTS:
                words = words[1:]  # "At Tempo Plus"
            if words:
                return " ".join(words)
    article = " ".join(earlier)
    for text in reversed(earlier):
        subject = _SUBJECT_WORD.match(_DATELINE.sub("", text[:SCAN_CHARS], count=1))
        word = subject.group(1) if subject else ""
        if (
            word
            and word.lower() not in LEADING_FUNCTION_WORDS | DETERMINERS | NON_SUBJECT_STARTS | CAPITALS.keys()
            and word not in COUNTRY_WORDS | set(COUNTRY_ADJECTIVES.values()) | {"Kosovo"}
            and not re.search(rf"\b(?:in|from|near|to|of)\s+{re.escape(word)}\b", article)
            # nor as part of a longer name ("Prime Minister Kurti", "Kurti Government")
            and not re.search(rf"[A-Z][\w'’-]*\s+{re.escape(word)}\b|\b{re.escape(word)}\s+[A-Z]", article)
        ):
            return word
    return None


# A one-word capitalised subject and its verb: "Stellantis will add", "Gazprom, formed in 1989, ..."
_SUBJECT_WORD = re.compile(r"^([A-Z][\w&-]+)(?:\s+(?:will|has|had|is|was|said|says|plans|expects)\b|,\s+[a-z]+ed\b)")


def _named_body(source: str | None, name: str) -> bool:
    """A descriptor just before the name says it is a body's ("carmaker Stellantis"); elsewhere it
    describes a person ("Ruling party deputy Milica Djuric", "Djuric, a member of the party")."""
    before = (source or "").split(name.split()[0])[0]
    words = re.findall(r"[\w'’-]+", before)
    # "A Greek member from the Left group, Dimitra Kalogerou": an appositive name is a person's
    return bool(words) and words[-1] in BODY_DESCRIPTORS and not before.rstrip().endswith(",")


def _named_in_role(role: str, texts: Sequence[str]) -> str | None:
    """The full name the article gives after a role word ("with correspondent Besnik Hoti")."""
    name = r"[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]+\s+[A-ZÀ-ÖØ-ÞČĆŠŽĐ][\w'’-]+"
    found = (re.search(rf"\b(?i:{role})\s+(?:[a-z]+\s+){{0,2}}({name})", t) for t in texts)
    return next((m.group(1) for m in found if m), None)


def _asks(text: str, source: str | None) -> bool:
    """The source is introduced as the interviewer: "Our correspondent Jelena Markovic"."""
    if not source:
        return False
    at = max(text.find(source), 0)
    words = re.findall(r"[a-z]+", text[:at].lower())[-3:] + re.findall(r"[a-z]+", source.lower())
    return not INTERVIEWER_WORDS.isdisjoint(words)


# "Vucic's Serbian Progressive Party": a person's possessive before a capitalised body's name
_PERSONS_BODY = re.compile(
    r"^([A-Z][\w-]+)['’]s\s+(?=(?:[A-Z][\w-]*\s+)*(?:Party|Movement|List|Alliance|Coalition|Front)\b)"
)


def _is_body(name: str | None) -> bool:
    return bool(name) and any(w.lower() in INSTITUTION_WORDS for w in (name or "").split())


def _personal(name: str | None) -> bool:
    """A first name and a surname, not a one-word masthead ("Danas") or a party ("Georgian Dream")."""
    words = (name or "").split()
    return len(words) >= 2 and bool(name_gender(name or "")) and words[0] not in COUNTRY_ADJECTIVES.values()


def _agreeing(people: list[str], pronoun: str) -> str | None:
    """The most recent personal-name speaker whose first name agrees with he/she."""
    wanted = {"he": "m", "him": "m", "she": "f", "her": "f"}.get(pronoun)
    for person in reversed(people):
        if wanted is None or name_gender(person, single=True) == wanted:
            return person
    return None


def _institution_named(noun: str, earlier: Sequence[str], must_contain: str = "") -> str | None:
    """ "the ministry" -> the last capitalised name ending in that noun ("Kosovo Interior Ministry"),
    or a country's body in lower case ("Serbia's central bank" -> "Serbian central bank"); with
    `must_contain`, only a name holding that word ("electoral")."""
    seat = r"(?:\s+in\s+[A-Z][\w'’.-]*)?"
    words = r"(?:(?:of|for|and)\s+|[A-Z][\w'’.-]*\s+){0,4}"
    # The body's name may go on after the noun: "National Bank of Serbia", "Office for Kosovo and Metohija".
    named_after = r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:and\s+)?[A-Z][\w'’.-]*){0,3})"
    # or start with the noun when a name follows it ("the Office for Kosovo and Metohija")
    capitalised = re.compile(
        rf"(?:[A-Z][\w'’.-]*\s+{words}{noun.title()}\b{named_after}?|\b{noun.title()}{named_after}){seat}"
    )
    # "the Swiss company Norvance Therapeutics": the name after the noun is the body's
    lowercase = re.compile(
        rf"\b([A-Z][\w.-]*)(?:'s|’s)?\s+((?:[a-z]+\s+){{0,2}}?{re.escape(noun)}\b{seat})"
        rf"(?:\s+([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){{0,3}}))?"
    )
    for text in (t[:SCAN_CHARS] for t in reversed(earlier)):
        for alias in ROLE_BODIES.get(noun, ()):
            if re.search(rf"\b{re.escape(alias)}\b", text):
                return alias
        found = [m.group(0) for m in capitalised.finditer(text)]
        found = [f for f in found if must_contain.lower() in f.lower()]
        if found:
            name = re.sub(r"^(The|A)\s+", "", found[-1].replace("’s", "").replace("'s", ""))
            tokens = name.split()
            head = next(i for i, t in enumerate(tokens) if t.lower() == noun)
            # A person's title ends the body's name: "National Bank of Serbia Governor ...".
            cut = next((i for i in range(head + 1, len(tokens)) if tokens[i].lower() in OFFICE_TITLES), len(tokens))
            tail_words = tokens[head + 1 : cut]
            if tail_words and tail_words[-1].endswith(".") and tail_words[-1].count(".") == 1:
                tail_words[-1] = tail_words[-1][:-1]  # the sentence's full stop, not "U.S."
            return " ".join([*_adjectival(tokens[: head + 1]), *tail_words])
        bodies = [m for m in lowercase.finditer(text) if m.group(1) in COUNTRY_WORDS and must_contain in m.group(2)]
        if bodies:
            country, rest, name = bodies[-1].groups()
            return name.rstrip(".") if name else f"{COUNTRY_ADJECTIVES.get(country, country)} {rest}"
    return None


# Offices held by one person; "Russian envoy" and "the KFOR commander" point to a name in the article.
PERSON_TITLES = {
    "envoy",
    "ambassador",
    "minister",
    "president",
    "commander",
    "mp",
    "senator",
    "mayor",
    "representative",
    "governor",
    "chancellor",
    "negotiator",
    "premier",
    "chief",
}
# A capital in a seat ("the finance ministry in Belgrade") or a dateline names the government's country.
CAPITALS = {
    "belgrade": "Serbia",
    "pristina": "Kosovo",
    "prishtina": "Kosovo",
    "tirana": "Albania",
    "zagreb": "Croatia",
    "podgorica": "Montenegro",
    "sarajevo": "Bosnia",
    "moscow": "Russia",
    "ankara": "Turkey",
    "athens": "Greece",
    "budapest": "Hungary",
    "bucharest": "Romania",
    "sofia": "Bulgaria",
    "madrid": "Spain",
    "berlin": "Germany",
    "paris": "France",
    "rome": "Italy",
    "london": "Britain",
    "vienna": "Austria",
    "warsaw": "Poland",
    "kyiv": "Ukraine",
    "beijing": "China",
    "tbilisi": "Georgia",
}
GOVERNMENT_HEADS = {"government", "ministry", "presidency", "cabinet"}
_GOVERNMENT_BODY = re.compile(
    r"^(?:the\s+)?((?:[A-Za-z]+\s+){0,2}(?:government|ministry|presidency|cabinet|central\s+bank)"
    r"(?:\s+of\s+[A-Z][\w ,]*?)?)"
    r"(?:\s+in\s+([A-Z][\w'’-]*))?$",
    re.IGNORECASE,
)
_DATELINE_PLACE = re.compile(r"^([A-ZÀ-ÖØ-ÞČĆŠŽĐ][A-ZÀ-ÖØ-ÞČĆŠŽĐ '’-]+?)(?:,\s*([A-Z][a-z]+))?(?:,|\s*\(|\s*[–—-])")


def _dateline_country(texts: Sequence[str]) -> str | None:
    """The country of a wire story's dateline ("BELGRADE, April 10 (BNS) -", "ALEKSINAC, Serbia, ...")."""
    for text in texts[:3]:
        match = _DATELINE_PLACE.match(text) if _DATELINE.match(text) else None
        if match:
            named = match.group(2)
            if named in COUNTRY_ADJECTIVES or named == "Kosovo":
                return named
            return _place_country(match.group(1).strip().title())
    return None


_OPENING_PLACE = re.compile(r"^(?:In|From)\s+([A-Z][\w'’-]+),")


def _place_country(place: str) -> str | None:
    if place in COUNTRY_ADJECTIVES or place == "Kosovo":
        return place
    return CAPITALS.get(fold_accents(place).lower())


def _country_body(source: str | None, speaker: str | None, text: str, texts: Sequence[str]) -> str | None:
    """A government body the source leaves without its country takes the country of its seat, of
    the place the sentence opens with, or of the story's dateline: "the finance ministry in
    Belgrade" or "In Belgrade, the finance ministry" -> "Serbian finance ministry", "The government"
    under a BELGRADE dateline -> "Serbian government". A country already known (from the span or
    an earlier mention) is kept."""
    match = _GOVERNMENT_BODY.match((source or "").strip())
    if not match:
        return speaker
    body, seat = match.group(1), match.group(2)
    words = body.split()
    head = next(w for w in words if w.lower() in GOVERNMENT_HEADS | {"bank"}).lower()
    speaker_words = (speaker or "").split()
    if head in (speaker or "").lower() and any(w in COUNTRY_WORDS or w == "Kosovo" for w in speaker_words):
        return speaker  # the same kind of body, named with its country earlier in the article
    named, _, of_part = body.partition(" of ")  # "Ministry of Internal Affairs": the name, not a country
    if any(w[:1].isupper() and w.lower() not in GOVERNMENT_HEADS | TITLE_WORDS | JOINERS for w in named.split()[:-1]):
        return speaker  # "the Serbian government", "Kurti's government": qualified already
    if any(w.strip(",") in COUNTRY_WORDS | {"Kosovo"} for w in of_part.split()):
        return speaker  # "the Ministry of Defence of Serbia"
    country = _story_country(text, texts, seat)
    if country is None:
        return speaker
    return f"{COUNTRY_ADJECTIVES.get(country, country)} {body}"


_THE_AGED = re.compile(r"^the\s+(?:\d+-year-old(?:\s+[a-z-]+)?|teenager)$", re.IGNORECASE)  # "the 27-year-old guard"
_BARE_POLICE = re.compile(r"^(?:the\s+)?police$", re.IGNORECASE)


_NAMED_POLICE = re.compile(r"\b([A-Z][\w'’-]+)\s+Police\b")


def _named_police(earlier: Sequence[str]) -> str | None:
    """The last force named with a capital ("Kosovo Police"), which a later bare "the police" is."""
    for text in reversed(earlier):
        found = [
            m.group(1) for m in _NAMED_POLICE.finditer(text[:SCAN_CHARS]) if m.group(1) in COUNTRY_WORDS | {"Kosovo"}
        ]
        if found:
            return f"{COUNTRY_ADJECTIVES.get(found[-1], found[-1])} Police"
    return None


def _story_country(text: str, texts: Sequence[str], seat: str | None) -> str | None:
    """The country of a body's seat ("in Belgrade"), else of the place the sentence opens with, else
    of the story's dateline."""
    opening = _OPENING_PLACE.match(text)
    if seat:
        return _place_country(seat)
    if opening:
        return _place_country(opening.group(1))
    return _dateline_country(texts)


# The offices that speak for the leaders ("Kurti's office said"), named as the training gold names
# them most often.
LEADER_OFFICES = {
    "kurti": "Office of the Prime Minister of Kosovo",
    "osmani": "Office of the President of Kosovo",
    "vucic": "Serbian Presidency",
    "vučić": "Serbian Presidency",
}
LEADER_COUNTRIES = {"kurti": "Kosovo", "osmani": "Kosovo", "vucic": "Serbian", "vučić": "Serbian"}
_LEADERS_GOVERNMENT = re.compile(
    r"^(?:the\s+)?(?:[A-Z][\w'’-]+\s+)?(" + "|".join(LEADER_COUNTRIES) + r")['’]s\s+(?:government|cabinet)$",
    re.IGNORECASE,
)
_OFFICE_OF = re.compile(
    r"^(?:an?\s+statement\s+(?:from|by)\s+)?(?:the\s+)?(.+?)(?:['’]s|\s)\s*(?:press\s+)?office$", re.IGNORECASE
)


def _leader_office(source: str | None, last_person: str | None, earlier: Sequence[str]) -> str | None:
    """ "Kurti's office", "his office" (after Kurti spoke), "the prime minister's office" (Kurti in
    the article) -> "Office of the Prime Minister of Kosovo"; None for anyone else's office."""
    match = _OFFICE_OF.match((source or "").strip())
    if not match:
        return None
    owner: str | None = match.group(1)
    if owner and owner.lower() in {"his", "her"}:
        owner = last_person
    elif owner and owner.lower() in {"prime minister", "president"}:
        owner = _role_name(owner.lower(), earlier)
    return LEADER_OFFICES.get(owner.split()[-1].lower()) if owner else None


# Nouns that take up whichever body spoke last, whatever its name ("the company said").
GENERIC_BODY_NOUNS = {"company", "firm", "force", "party", "group", "organisation", "organization", "movement"}
OUTLET_NOUNS = {"paper", "tabloid", "broadcaster", "channel", "outlet", "portal", "weekly", "station"}
# Role nouns that stand for one well-known body when the article names it ("the alliance").
ROLE_BODIES = {"alliance": ("NATO",), "bloc": ("EU", "European Union"), "mission": ("KFOR", "EULEX", "UNMIK")}


def _asked(index: int, texts: Sequence[str]) -> bool:
    """A "Q:" line, or the question it goes on to ask ("Q: Kurti says the talks are dead." / "Is he right?")."""
    if QUESTION_LABEL.match(texts[index]):
        return True
    return index > 0 and bool(QUESTION_LABEL.match(texts[index - 1])) and texts[index].rstrip().endswith("?")


def _follows_question(index: int, texts: Sequence[str]) -> bool:
    return index > 0 and _asked(index - 1, texts)


def _base_letter(char: str) -> str:
    base = unicodedata.normalize("NFKD", char)[0]
    return base if base.isascii() else _UNDECOMPOSED.get(char, char)


# Letters NFKD leaves whole; everything else in Latin-1 and Latin Extended-A/B folds to its base.
_UNDECOMPOSED = {"đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ı": "i", "ß": "s"}
_FOLD = str.maketrans({chr(c): _base_letter(chr(c)) for c in range(0xC0, 0x250)})


def fold_accents(text: str) -> str:
    """One base letter per letter ("Vučić" -> "Vucic", "Gërvalla" -> "Gervalla", "Đurić" -> "Duric"),
    so offsets into the folded text are offsets into the original: real copy spells names both ways."""
    return text.translate(_FOLD)


def _alias_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    words = list(dict.fromkeys(fold_accents(w) for w in words if w))
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    # A hyphenated compound names the target ("NATO-led", "anti-NATO", "the Kosovo-Serbia talks",
    # "Belgrade-backed"); "the Belgrade-based institute" only says where something sits.
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w|-based\b)", re.IGNORECASE)


class MentionFinder:
    """`mentioned` per target: aliases in the sentence (exclusions blanked first), or a source
    pronoun or role noun resolved to a speaker who acts for the target."""

    def __init__(self, targets: Sequence[TargetSpec]) -> None:
        self.targets = list(targets)
        self._aliases = {t.name: _alias_pattern([*t.aliases, t.name]) for t in self.targets}
        self._exclusions = {t.name: _alias_pattern(t.exclusions) for t in self.targets}

    def spans(self, text: str, target: str) -> list[tuple[int, int]]:
        """Character spans of the target's aliases in the text, exclusions left out."""
        text = fold_accents(text)
        exclusion = self._exclusions[target]
        if exclusion is not None:
            text = exclusion.sub(lambda m: " " * len(m.group()), text)
        alias = self._aliases[target]
        return [m.span() for m in alias.finditer(text)] if alias else []

    def in_text(self, text: str, target: str) -> bool:
        return bool(self.spans(text, target))

    def find(
        self, text: str, source: str | None, speaker: str | None, named: Sequence[bool] | None = None
    ) -> dict[str, bool]:
        """`named`, when given, is `in_text(text, target)` per target, already computed by the caller."""
        if named is None:
            named = [self.in_text(text, t.name) for t in self.targets]
        resolved = read_source(source).kind in {"person_pronoun", "group_pronoun", "role", "titled"} and speaker
        return {
            t.name: hit or bool(resolved and self.in_text(speaker or "", t.name))
            for t, hit in zip(self.targets, named, strict=True)
        }
