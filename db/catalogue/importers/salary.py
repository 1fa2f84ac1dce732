"""Salary sentences as fiches write them → gross monthly euros (:class:`db.catalogue.records.Salary`).

Rules (issue 3, "Normalisation"):
- "A partir de N" → min N; "Entre N et N", "De N € à N €", "N-N €" → min, max;
  a single "N euros brut par mois" → min = max = N.
- Thousands may be grouped with spaces, no-break spaces (U+00A0, U+202F) or dots.
- "3 500-7 500€ brut/mois (débutant 3 200-4 500€ …)": the starting figures are the salary,
  the first range is kept as the career range (``career_min_eur``/``career_max_eur``).
- "Smic" → the gross monthly SMIC in force at ``source_date`` (:func:`db.catalogue.nomenclature.smic_at`).
- Annual amounts ("par an", "annuel", "k€") are divided by 12 and rounded to the euro.
- Daily, hourly and weekly rates, fees per service or per show, allowances ("euros
  d'indemnités"), percentages and "Variable…" give no figure; when a later statement gives a
  monthly one ("1440 euros pour 1 semaine. 2344 euros pour 1 CDI"), that one is read.
- Pay while at school ("En tant qu'élève fonctionnaire… 1486 euros en 1re année") is not the
  starting salary: the sentence is passed over. So is a figure under 500 € a month, which no
  full-time salary is (an amount per service whose unit was left out).
- "À partir de N et jusqu'à M" → min N, max M (M read in the same clause, unless it is the
  end of a career); "N à M euros" and "environ N" (no unit) are read as well.
- A figure with no period stated is monthly (the French convention for salaries) unless it
  is 10 000 € or more, which only makes sense per year.
The original text is always kept, stripped of surrounding whitespace; figures are read in
its first 1 000 characters.
"""
from __future__ import annotations

import re

from db.catalogue.nomenclature import smic_at
from db.catalogue.records import Salary
from db.text import fold

_NUM = r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_EURO = r"(?:€|euros?|eur\b)"
_K = r"(?:\s*k\s*€|\s*k\s*euros?|\s*k(?=\s|$|[,;.)]))"
# The first salary expression wins; each alternative names its figures low/high/only.
_SEP = r"(?:\s*(?:\bet|\ba|\bau)\s+|\s*[-–]\s*)"
_EXPRESSION = re.compile(
    rf"(?P<smic_range>\b(?:entre\s+le|du)\s+smic{_SEP}(?P<smic_high>{_NUM})(?P<smic_k>{_K})?)"
    rf"|(?P<range>\b(?:entre|de)\s+(?P<low>{_NUM})(?P<low_k>{_K})?\s*{_EURO}?\s*(?:brut\s*)?"
    rf"{_SEP}(?P<high>{_NUM})(?P<high_k>{_K})?)"
    rf"|(?P<bare>(?P<blow>{_NUM})(?P<blow_k>{_K})?\s*{_EURO}?\s+(?:a|au)\s+(?P<bhigh>{_NUM})"
    rf"(?:(?P<bhigh_k>{_K})|\s*{_EURO}))"
    rf"|(?P<dash>(?P<dlow>{_NUM})(?P<dlow_k>{_K})?\s*{_EURO}?\s*[-–]\s*(?P<dhigh>{_NUM})(?P<dhigh_k>{_K})?)"
    rf"|(?P<from>\b(?:a\s+partir\s+de|des|au\s+moins|minimum(?:\s+de)?)\s+(?P<fnum>{_NUM})(?P<f_k>{_K})?)"
    # "Environ 1770 pour un débutant": no unit, so only what can follow a figure alone ("environ
    # 2900 à 3500 euros" is the range below; "environ 2 000 €" the single figure).
    rf"|(?P<about>\benviron\s+(?P<anum>{_NUM})(?P<a_k>{_K})?(?=\s*(?:pour\b|bruts?\b|net\b|par\b|\(|$|[,.;])))"
    rf"|(?P<smic>\bsmic\b)"
    rf"|(?P<single>(?P<snum>{_NUM})(?:(?P<s_k>{_K})|\s*{_EURO}))",
)
_STARTING = re.compile(rf"\bdebutants?\s*:?\s*(?:entre\s+|de\s+)?(?P<low>{_NUM})(?P<low_k>{_K})?\s*{_EURO}?"
                       rf"(?:{_SEP}(?P<high>{_NUM})(?P<high_k>{_K})?)?")
_MONTHLY = re.compile(r"par\s+mois|/\s*mois|mensuel|\bpar\s+mensualite")
_ANNUAL = re.compile(r"par\s+an\b|/\s*an\b|annuel|par\s+annee|\bbrut\s+an\b")
_RATE = re.compile(r"par\s+jour|/\s*jour|journ(?:ee|alier)|par\s+heure|de\s+l'heure|/\s*h\b|horaire"
                   r"|par\s+semaine|hebdomadaire|cachet|par\s+seance|forfait|par\s+mile|par\s+enfant"
                   r"|pour\s*cent|%|pourcentage|par\s+(?:representation|prestation|spectacle|concert)"
                   r"|(?:par|pour)\s+(?:1|une)\s+semaine|d'indemnites?\b")
_NO_FIGURE_START = re.compile(r"^(?:salaire\s+|remuneration\s+|tres\s+|le\s+salaire\s+est\s+)?variable")
_SCHOOL = re.compile(r"\beleves?\s+fonctionnaires?\b|\ben\s+tant\s+qu'eleve")
_SENTENCE_BREAK = re.compile(r"[.!?]\s|<br\s*/?>|\n")
_UP_TO = re.compile(rf"^[^.;!?\n]{{0,60}}?\bjusqu['\u2019]?\s*a\s+(?P<num>{_NUM})(?P<k>{_K})?(?P<rest>.{{0,40}})")
_PERIODS = (("monthly", _MONTHLY), ("annual", _ANNUAL), ("rate", _RATE))
_CLAUSE_BREAK = re.compile(r"[.;!?]\s|<br\s*/?>|\n")
_AFTER_WINDOW = 45
# Figures are read in the first sentences only: salary statements are short, and a bound
# keeps the patterns fast on any input (the full text is still kept).
_MAX_READ = 1000
_ANNUAL_THRESHOLD = 10_000
_LEAST_MONTHLY = 500
# The groups that say "k€" (thousands, so a year's pay unless the text says otherwise).
_THOUSANDS = ("low_k", "high_k", "blow_k", "bhigh_k", "dlow_k", "dhigh_k", "f_k", "a_k", "s_k", "smic_k")


def parse_salary(text: str, source_date: str | None = None, country: str = "FR",
                 *, scope: str = "debutant") -> Salary:
    """Read a salary sentence; see the module docstring for the rules.

    ``scope`` is what the figures mean when the text does not say ("debutant" under ONISEP's
    "Salaire du débutant"; "inconnu" for a range that may span a career). The result always
    keeps ``text``; ``min_eur``/``max_eur`` are None when no monthly figure can be read.
    """
    original = text.strip()
    salary = Salary(text=original, scope=scope, source_date=source_date, country=country,
                    year=_year(source_date))
    key = _normalise(original[:_MAX_READ])
    if not key or _NO_FIGURE_START.match(key):
        return salary
    for match in _EXPRESSION.finditer(key):
        figures = _monthly_figures(key, match, source_date)
        if figures is None:
            continue  # not a salary (a rate, pay at school, a fee): a later statement may be
        low, high = figures
        starting = _starting_range(key[match.end():], _period(key, match))
        if starting and starting[0] is not None:
            salary.career_min_eur, salary.career_max_eur = low, high
            low, high = starting
            salary.scope = "debutant"
        salary.min_eur, salary.max_eur = low, high
        break
    return salary


def _monthly_figures(key: str, match: re.Match[str],
                     source_date: str | None) -> tuple[int | None, int | None] | None:
    """The monthly figures ``match`` states, or None when they are no salary."""
    if _SCHOOL.search(_sentence(key, match)):
        return None
    period = _period(key, match)
    if period == "rate":
        return None
    low, high = _figures(match, source_date)
    if high is None and low is not None:
        high = _up_to(key[match.end():], low)
    low, high = _to_monthly(low, high, period, match)
    if any(value is not None and value < _LEAST_MONTHLY for value in (low, high)):
        return None
    return low, high


def _up_to(after: str, low: float) -> float | None:
    """M of "à partir de N [euros…] et jusqu'à M" (same clause, M above N, not a career's end)."""
    found = _UP_TO.match(after)
    if not found or "fin de carriere" in found.group("rest"):
        return None
    high = _number(found.group("num"), bool(found.group("k")))
    return high if high is not None and high > low else None


def _sentence(key: str, match: re.Match[str]) -> str:
    start = max((m.end() for m in _SENTENCE_BREAK.finditer(key, 0, match.start())), default=0)
    found = _SENTENCE_BREAK.search(key, match.end())
    return key[start:found.start() if found else len(key)]


def _normalise(text: str) -> str:
    # Folding drops accents and maps U+00A0/U+202F to plain spaces ("à" becomes "a"); one
    # space between words keeps the patterns simple and free of slow backtracking.
    return re.sub(r"[^\S\n]+", " ", fold(text)).strip()


def _year(source_date: str | None) -> int | None:
    if source_date and re.match(r"^\d{4}", source_date):
        return int(source_date[:4])
    return None


def _number(raw: str | None, thousands: bool = False) -> float | None:
    """'1 600' → 1600, '1.600' → 1600, '1 801,80' → 1801.8, '2,5' → 2.5 (× 1000 with k€)."""
    if raw is None:
        return None
    if re.fullmatch(r"\d{1,3}(?:[ .]\d{3})+(?:,\d+)?", raw):
        raw = raw.replace(" ", "").replace(".", "")
    value = float(raw.replace(",", "."))
    return value * 1000 if thousands else value


def _figures(match: re.Match[str], source_date: str | None) -> tuple[float | None, float | None]:
    g = match.group
    if g("smic_range"):
        return smic_at(source_date), _number(g("smic_high"), bool(g("smic_k")))
    if g("range"):
        return _number(g("low"), bool(g("low_k") or g("high_k"))), _number(g("high"), bool(g("high_k")))
    if g("dash"):
        return (_number(g("dlow"), bool(g("dlow_k") or g("dhigh_k"))),
                _number(g("dhigh"), bool(g("dhigh_k"))))
    if g("bare"):
        return (_number(g("blow"), bool(g("blow_k") or g("bhigh_k"))),
                _number(g("bhigh"), bool(g("bhigh_k"))))
    if g("from"):
        return _number(g("fnum"), bool(g("f_k"))), None
    if g("about"):
        value = _number(g("anum"), bool(g("a_k")))
        return value, value
    if g("smic"):
        return smic_at(source_date), None
    value = _number(g("snum"), bool(g("s_k")))
    return value, value


def _period(key: str, match: re.Match[str]) -> str:
    """"monthly", "annual", "rate" (daily/hourly/weekly/fee: no figure) or "unstated".

    The words right after the figures decide first ("2000 euros brut par mois, ou 12 euros de
    l'heure" is monthly); otherwise the whole clause around them does.
    """
    after = key[match.end(): match.end() + _AFTER_WINDOW]
    after = after[: _clause_end(after)]
    found = [(m.start(), period) for period, pattern in _PERIODS if (m := pattern.search(after))]
    if found:
        return min(found)[1]
    clause = _clause(key, match)
    if _RATE.search(clause):
        return "rate"
    if _MONTHLY.search(clause):
        return "monthly"
    if _ANNUAL.search(clause) or any(match.group(name) for name in _THOUSANDS):
        return "annual" if not match.group("smic") else "monthly"
    return "unstated"


def _clause_end(text: str) -> int:
    found = _CLAUSE_BREAK.search(text)
    return found.start() if found else len(text)


def _clause(key: str, match: re.Match[str]) -> str:
    """The sentence (up to ". ", ";", a line break) that holds the matched figures."""
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(key, 0, match.start())), default=0)
    end = match.end() + _clause_end(key[match.end():])
    return key[start:end]


def _to_monthly(low: float | None, high: float | None, period: str,
                match: re.Match[str]) -> tuple[int | None, int | None]:
    if match.group("smic") or match.group("smic_range"):
        if period == "annual" and high is not None:
            high = high / 12
        return _round(low), _round(high)
    biggest = max(v for v in (low, high) if v is not None) if (low or high) else 0
    if period == "annual" or (period == "unstated" and biggest >= _ANNUAL_THRESHOLD):
        low = low / 12 if low is not None else None
        high = high / 12 if high is not None else None
    return _round(low), _round(high)


def _round(value: float | None) -> int | None:
    # Half up, as people round money (Python's round() is half-to-even).
    return None if value is None else int(value + 0.5)


def _starting_range(key: str, period: str) -> tuple[int | None, int | None] | None:
    """The "(débutant 3 200-4 500€ …)" figures stated after the main figures, monthly, or None."""
    found = _STARTING.search(key)
    if not found:
        return None
    thousands = bool(found.group("low_k") or found.group("high_k"))
    low = _number(found.group("low"), thousands)
    high = _number(found.group("high"), bool(found.group("high_k")) or thousands)
    if period == "annual":
        low, high = (low / 12 if low else low), (high / 12 if high else high)
    return _round(low), _round(high)
