"""Number formatting for the UI, in Bahasa Indonesia (default) and English.

Every figure the app, the map tooltips and the legends show goes through
these functions, which use Babel's CLDR number patterns (never hand-written
separators):

=============================  ==================  ==================
call                           ``lang="id"``       ``lang="en"``
=============================  ==================  ==================
``format_int(836000)``         ``836.000``         ``836,000``
``format_percent(0.223)``      ``22,3%``           ``22.3%``
``format_rupiah(16800)``       ``Rp16.800``        ``Rp16,800``
``format_rupiah(1.2e9)``       ``Rp1,2 miliar``    ``Rp1.2 billion``
``format_change_pp(0.021)``    ``+2,1 poin``       ``+2.1 pp``
``format_value(None, kind)``   ``tidak ada data``  ``no data``
=============================  ==================  ==================

Babel's Indonesian percent pattern is ``#,##0%``: no space (plain or
non-breaking) before the sign, which is also the KBBI/BPS style, so the UI
shows ``22,3%``.  Rounding is half-up on the decimal value written as typed
(``0.12345`` -> ``12,35%``, ``12.5`` -> ``13``), as Excel and BPS tables round,
not Babel's default half-even and not through binary float artefacts.

The rupiah sign is CLDR's Indonesian symbol for IDR (``Rp``) in both
languages: English CLDR would write ``IDR16,800``, which readers of an
Indonesian coverage map do not expect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from numbers import Real

from babel.dates import format_date
from babel.numbers import (
    format_compact_decimal,
    format_decimal,
    get_currency_symbol,
    get_minus_sign_symbol,
    get_plus_sign_symbol,
)

from core.i18n import DEFAULT_LANG, LANGS, check_lang, t  # noqa: F401  (LANGS re-exported beside the formatters)

#: Metric kinds :func:`format_value` knows, plus ``"text"`` for names.
KINDS: tuple[str, ...] = ("count", "rate", "rupiah", "change")

#: The rupiah sign (CLDR's Indonesian symbol for IDR), used in both languages.
RUPIAH_SYMBOL: str = get_currency_symbol("IDR", locale="id")

#: From this absolute amount on, ``format_rupiah(..., compact="auto")`` writes
#: ``Rp1,2 juta`` instead of ``Rp1.234.567``.
COMPACT_FROM = 1_000_000


def is_missing(value: object) -> bool:
    """Tell whether a value counts as "no data" (None, NaN, pandas NA, infinity).

    Parameters
    ----------
    value : object

    Returns
    -------
    bool
    """
    if value is None:
        return True
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True  # pandas.NA, non-numeric junk
    return not math.isfinite(number)


def no_data_text(lang: str = DEFAULT_LANG, capitalize: bool = False) -> str:
    """Return the "no data" text.

    Parameters
    ----------
    lang : str
    capitalize : bool
        ``"Tidak ada data"`` (for a legend row) instead of ``"tidak ada data"``.

    Returns
    -------
    str
    """
    text = t("format.no_data", lang)
    return text[:1].upper() + text[1:] if capitalize else text


def _pattern(digits: int) -> str:
    if digits < 0:
        raise ValueError(f"digits must be >= 0, got {digits}.")
    return "#,##0" + ("." + "0" * digits if digits else "")


def _decimal(value: Real) -> Decimal:
    """The value as the decimal it reads as (``0.1`` -> ``Decimal("0.1")``)."""
    return Decimal(repr(float(value)))


def _rounded(value: Decimal, digits: int) -> Decimal:
    """Round half-up to ``digits`` decimals."""
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _decimal_text(value: Decimal, lang: str, digits: int) -> str:
    """Babel's number pattern with ``digits`` decimals, rounding half-up."""
    with localcontext() as context:
        context.rounding = ROUND_HALF_UP
        return format_decimal(value, format=_pattern(digits), locale=lang)


def format_number(value: Real | None, lang: str = DEFAULT_LANG, digits: int = 0) -> str:
    """Format a number with the language's grouping and decimal signs.

    Parameters
    ----------
    value : number or None
    lang : str
        ``"id"`` (``1.234,5``) or ``"en"`` (``1,234.5``).
    digits : int
        Exact number of decimals shown.

    Returns
    -------
    str
        The number, or the "no data" text when missing.
    """
    if is_missing(value):
        return no_data_text(lang)
    return _decimal_text(_decimal(value), check_lang(lang), digits)


def format_int(value: Real | None, lang: str = DEFAULT_LANG) -> str:
    """Format a count: ``836000`` -> ``"836.000"`` (id) / ``"836,000"`` (en).

    Parameters
    ----------
    value : number or None
        Rounded half-up to a whole number.
    lang : str

    Returns
    -------
    str
    """
    return format_number(value, lang, digits=0)


def format_percent(value: Real | None, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """Format a rate (a fraction) as a percentage: ``0.223`` -> ``"22,3%"``.

    Parameters
    ----------
    value : number or None
        A fraction: ``1.0`` is 100 %.
    lang : str
    digits : int
        Decimals after the percentage (``digits=0`` -> ``"22%"``).

    Returns
    -------
    str
        No space before ``%`` in either language.
    """
    if is_missing(value):
        return no_data_text(lang)
    return _decimal_text(_decimal(value) * 100, check_lang(lang), digits) + "%"


def _compact(amount: float, lang: str, digits: int) -> str:
    """Babel's long compact form of a positive amount (``1,2 miliar``)."""
    # Round at the amount's own magnitude first: Babel alone writes 999_950 as "1000 ribu".
    magnitude = 1000 ** int(math.log10(amount) // 3)
    rounded = _rounded(_decimal(amount) / magnitude, digits) * magnitude
    return format_compact_decimal(rounded, format_type="long", locale=lang, fraction_digits=digits)


def format_rupiah(value: Real | None, lang: str = DEFAULT_LANG, compact: bool | str = "auto",
                  digits: int = 1) -> str:
    """Format an amount of rupiah: ``16800`` -> ``"Rp16.800"``.

    Parameters
    ----------
    value : number or None
        Amount in rupiah (rounded half-up to whole rupiah when not compact).
    lang : str
    compact : bool or ``"auto"``
        ``True``: Babel's long compact form, ``"Rp1,2 miliar"`` /
        ``"Rp1.2 billion"`` (``juta``/``million``, ``triliun``/``trillion``).
        ``False``: every digit.  ``"auto"`` (default): compact from
        :data:`COMPACT_FROM` (one million) on.
    digits : int
        Maximum decimals of the compact form (trailing zeros are dropped:
        ``Rp1 juta``).

    Returns
    -------
    str
        Negative amounts as ``-Rp16.800``.
    """
    if is_missing(value):
        return no_data_text(lang)
    lang = check_lang(lang)
    amount = float(value)
    sign = get_minus_sign_symbol(lang) if amount < 0 else ""
    amount = abs(amount)
    if compact == "auto":
        compact = amount >= COMPACT_FROM
    if compact and amount >= 1000:
        return f"{sign}{RUPIAH_SYMBOL}{_compact(amount, lang, digits)}"
    whole = _decimal_text(_decimal(amount), lang, 0)
    if whole == "0":
        sign = ""
    return f"{sign}{RUPIAH_SYMBOL}{whole}"


def format_change_pp(value: Real | None, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """Format a change of a rate in percentage points: ``0.021`` -> ``"+2,1 poin"``.

    Parameters
    ----------
    value : number or None
        Difference of two fractions (``0.021`` is 2.1 percentage points).
    lang : str
        ``"id"`` -> ``"+2,1 poin"``, ``"en"`` -> ``"+2.1 pp"``.
    digits : int
        Decimals shown.

    Returns
    -------
    str
        Always signed, except a change that rounds to zero (``"0,0 poin"``).
    """
    if is_missing(value):
        return no_data_text(lang)
    lang = check_lang(lang)
    points = _rounded(_decimal(value) * 100, digits)
    sign = ""
    if points > 0:
        sign = get_plus_sign_symbol(lang)
    elif points < 0:
        sign = get_minus_sign_symbol(lang)
    return f"{sign}{_decimal_text(abs(points), lang, digits)} {t('format.pp_unit', lang)}"


def format_value(value: object, kind: str, lang: str = DEFAULT_LANG) -> str:
    """Format a value by metric kind: the one call the UI makes.

    Parameters
    ----------
    value : object
        A number, or text when ``kind == "text"``.
    kind : str
        ``"count"`` (:func:`format_int`), ``"rate"`` (:func:`format_percent`,
        1 decimal), ``"rupiah"`` (:func:`format_rupiah`, compact from one
        million), ``"change"`` (:func:`format_change_pp`) or ``"text"``
        (``str(value)``, unescaped).
    lang : str

    Returns
    -------
    str
        The "no data" text for a missing value (also for ``"text"``).

    Raises
    ------
    ValueError
        For an unknown kind or language.
    """
    check_lang(lang)
    if kind == "text":
        if value is None or (not isinstance(value, str) and is_missing(value)):
            return no_data_text(lang)
        text = getattr(value, "text", None)  # a catalog message shows in the reader's language
        return text(lang) if callable(text) else str(value)
    formatter = _FORMATTERS.get(kind)
    if formatter is None:
        raise ValueError(f"Unknown metric kind {kind!r}; choose one of {KINDS + ('text',)}.")
    return formatter(value, lang)


_FORMATTERS = {
    "count": format_int,
    "rate": format_percent,
    "rupiah": format_rupiah,
    "change": format_change_pp,
}


def formatter(kind: str, lang: str = DEFAULT_LANG, **options: object):
    """Return a one-argument formatter for a metric kind (e.g. for legend labels).

    Parameters
    ----------
    kind : str
        See :func:`format_value`.
    lang : str
    **options
        Passed on, e.g. ``digits=0`` for ``"rate"`` -> ``"30%"``.

    Returns
    -------
    callable
        ``value -> str``.
    """
    check_lang(lang)
    if kind not in _FORMATTERS:
        raise ValueError(f"Unknown metric kind {kind!r}; choose one of {KINDS}.")
    function = _FORMATTERS[kind]
    return lambda value: function(value, lang, **options)


@dataclass(frozen=True)
class Figure:
    """A number that a message shows the reader's way (``1.614`` / ``1,614``).

    Parameters
    ----------
    value : number
    kind : str
        ``"count"`` (default), ``"rate"``, ``"rupiah"`` (compact from a million),
        ``"rupiah_full"`` (every digit: ``Rp999.999``), ``"change"``, ``"number"`` or
        ``"date"`` (a ``datetime.date``: ``12 Mar 2025`` / ``12 Mar 2025``).
    digits : int, optional
        Decimals for ``rate`` and ``number`` (default 1 and 0).
    """

    value: object
    kind: str = "count"
    digits: int | None = None

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The number formatted for a language."""
        if self.kind == "rate":
            return format_percent(self.value, lang, digits=1 if self.digits is None else self.digits)
        if self.kind == "number":
            return format_number(self.value, lang, digits=0 if self.digits is None else self.digits)
        if self.kind == "rupiah_full":
            return format_rupiah(self.value, lang, compact=False)
        if self.kind == "date":
            return format_date(self.value, "d MMM y", locale=check_lang(lang))
        return format_value(self.value, self.kind, lang)

    def __str__(self) -> str:
        return self.text(DEFAULT_LANG)
