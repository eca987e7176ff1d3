"""What an organization wrote for a service, population or language, understood.

In this order: the code, a label or an alias after normalization (text.key) is the entry;
else the entry whose names are closest by similarity (rapidfuzz), when the score reaches
AUTOMATIC; else nothing, and the caller keeps the words as the organization's own, with the
three closest entries to show the maintainers. A cell holds several terms (`;`, `,`, `/`,
line breaks); a term joined by `et`/`and`/`&` is split only when the whole is not an entry
itself (`Accueil et installation` is one service, `Français et anglais` two languages).
Thresholds and scores live here only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .text import key, split_list

# Scores are 0-100. Measured on tests/unit/directory/data/vocabulary_terms.csv (207 French
# and English wordings, test_vocabulary_matching.py): the best wrong entry scores 81
# (`Jardin communautaire` as community life), the lowest right one 90; AUTOMATIC sits between.
AUTOMATIC = 86.0
CONTAINED = 90.0  # the term holds every word of an entry's name, and more
# One word in another gender or number (`réfugiées`, `réfugiés`: 94), not another word
# (`migrants`, `immigrants`: 89).
SAME_WORD = 90.0
CLOSEST = 3  # entries suggested for a term kept as free text
# Words that carry no meaning of their own in a service or population name.
_STOPWORDS = {"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les",
              "pour", "sur", "the", "of", "and", "for", "to", "in", "service", "services"}
_ELISION = re.compile(r"\b([dlcjmnst]|qu)['’ʼ](?=\w)", re.IGNORECASE)
_CONJUNCTIONS = re.compile(r"\s+(?:et|and|ou|or)\s+|\s*[&+]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Match:
    term: str  # as the organization wrote it
    code: str | None
    how: str  # "exact" | "similar" | "none"
    score: float = 100.0
    closest: tuple[tuple[str, float], ...] = ()  # (code, score), best first


def content_words(text: str) -> str:
    """The key without the words that do not tell entries apart; French elisions
    (`d'intégration`, `l'emploi`) are words of their own here, not joined as in text.key."""
    spaced = _ELISION.sub(r"\1 ", text)
    return " ".join(word for word in key(spaced).split() if word not in _STOPWORDS)


def _scorer(query: str, choice: str, **_) -> float:
    """Whole-string similarity of the content words, in any order; or CONTAINED when every
    word of the entry's name is in the term, give or take a gender or plural ending
    (`jumelage interculturel` is a kind of `jumelage`, `personnes réfugiées` of `réfugiés`).
    Not the other way round: `santé` is not `santé mentale`."""
    similarity = max(fuzz.ratio(query, choice), fuzz.token_sort_ratio(query, choice))
    words = query.split()
    if all(any(fuzz.ratio(entry_word, word) >= SAME_WORD for word in words)
           for entry_word in choice.split()):
        return max(similarity, CONTAINED)
    return similarity


class Matcher:
    """names: key of a code, label or alias -> code (the first writer of a key wins).
    similar_names: the subset compared by similarity (default: all of them)."""

    def __init__(self, names: dict[str, str], similar_names: dict[str, str] | None = None):
        self.names = names
        self.choices: dict[str, str] = {}
        for name, code in (similar_names if similar_names is not None else names).items():
            words = content_words(name)
            if len(words) > 2:  # two letters are a code, not a name to resemble
                self.choices.setdefault(words, code)
        self._keys = list(self.choices)

    def exact(self, text: str) -> str | None:
        return self.names.get(key(text))

    def nearest(self, text: str) -> list[tuple[str, float]]:
        """Entries by their best-scoring name, best first."""
        words = content_words(text)
        if not words or not self._keys:
            return []
        best: dict[str, float] = {}
        for name, score, _ in process.extract(words, self._keys, scorer=_scorer,
                                              limit=len(self._keys)):
            code = self.choices[name]
            best[code] = max(best.get(code, 0.0), score)
        return sorted(best.items(), key=lambda item: -item[1])

    def term(self, text: str) -> Match:
        code = self.exact(text)
        if code:
            return Match(text, code, "exact")
        nearest = self.nearest(text)
        closest = tuple((found, round(score, 1)) for found, score in nearest[:CLOSEST])
        tied = len(nearest) > 1 and nearest[1][1] == nearest[0][1]  # `femmes immigrantes`
        if nearest and nearest[0][1] >= AUTOMATIC and not tied:
            return Match(text, nearest[0][0], "similar", round(nearest[0][1], 1), closest)
        return Match(text, None, "none", closest[0][1] if closest else 0.0, closest)

    def item(self, text: str) -> list[Match]:
        """One item of a list cell: the whole when it is an entry, else its parts joined by
        `et`/`and`/`&` when one of them is (the others are kept as free text, not lost
        inside a whole that resembles one entry), else the whole by similarity."""
        whole = self.exact(text)
        if whole:
            return [Match(text, whole, "exact")]
        parts = [part.strip(" .-") for part in _CONJUNCTIONS.split(text) if part.strip(" .-")]
        if len(parts) > 1:
            matches = [self.term(part) for part in parts]
            if any(match.code for match in matches):
                return matches
        return [self.term(text)]

    def cell(self, text: str) -> list[Match]:
        """Every term of a cell, in order; a code found twice counts once."""
        matches: list[Match] = []
        codes: set[str] = set()
        for item in split_list(text):
            for match in self.item(item):
                if match.code is None:
                    matches.append(match)
                elif match.code not in codes:
                    matches.append(match)
                    codes.add(match.code)
        return matches
