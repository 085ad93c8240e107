"""Words the exports print (titles, footers, table headers), in Bahasa Indonesia and English.

Metric names, KPI labels and the sample banner come from :mod:`core.i18n`
so that an export says exactly what the app says; the strings here are the
ones only documents need (page headers, source lines, table titles).
Plain text: the HTML export escapes them itself.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from core.formatting import check_lang, format_change_pp, format_int, format_percent
from core.i18n import t

#: Name of the tool, in footers and file metadata.
TOOL_NAME = "Peta Cakupan Jamsostek Garut"

def x(key: str, lang: str = "id", **fmt: object) -> str:
    """Return an export text (catalog key ``export.<key>``) with placeholders filled in.

    Parameters
    ----------
    key : str
        Dotted key, e.g. ``"briefing.title"``.
    lang : str
        ``"id"`` or ``"en"``.
    **fmt
        Placeholder values (already formatted).

    Returns
    -------
    str
    """
    return t(f"export.{key}", lang, **fmt)


def sample_banner(lang: str = "id") -> str:
    """The sample-data notice of :mod:`analysis.sample` in a language."""
    return t("sample.banner", lang)


def format_period(period: str | None, lang: str = "id") -> str:
    """``"2024-12"`` -> ``"Desember 2024"`` (id) / ``"December 2024"`` (en); None -> "not given".

    Parameters
    ----------
    period : str or None
        ``YYYY-MM``.
    lang : str

    Returns
    -------
    str
    """
    if not period:
        return t("format.period_not_given", lang)
    year, month = (int(part) for part in period.split("-"))
    return format_date(dt.date(year, month, 1), "LLLL y", locale=check_lang(lang))


def format_day(day: dt.date, lang: str = "id") -> str:
    """``2026-11-24`` -> ``"24 November 2026"`` in the language's month names."""
    return format_date(day, "d MMMM y", locale=check_lang(lang))


def level_label(level: str, lang: str = "id") -> str:
    """``"desa"`` -> ``"desa/kelurahan"``, ``"kecamatan"`` -> ``"kecamatan"``."""
    return x(f"level.{level}", lang)


def target_text(target: float, lang: str = "id") -> str:
    """A target fraction as a whole percentage when it is one (``0.7`` -> ``"70%"``)."""
    digits = 0 if abs(target * 100 - round(target * 100)) < 1e-9 else 1
    return format_percent(target, lang, digits=digits)


def scheme_label(scheme: str, lang: str = "id") -> str:
    """Short name of a classification scheme (the app's label without its parenthesis)."""
    return t(f"scheme.{scheme}", lang).split(" (")[0]


def workers_estimate_text(info: dict, lang: str) -> str:
    """``Pekerja: estimasi dari penduduk 15–64 th (Dukcapil ..., 2024-06), total 836.000``."""
    return t("export.workers_estimated", lang, source=info["label"], date=info.get("date") or "-",
             total=format_int(info["total"], lang))


def trend_sentences(trend, lang: str = "id") -> list[str]:
    """The trend of :func:`analysis.trend.coverage_trend` in words: rates, pace, pace needed, when reached, source."""
    lang = check_lang(lang)
    first, last = trend.periods.iloc[0], trend.periods.iloc[-1]
    target = target_text(trend.target, lang)
    by = format_period(trend.target_by, lang)
    lines = [t("trend.rates", lang, area=trend.nama, first=format_percent(first["coverage_rate"], lang),
               first_period=format_period(first["period"], lang), last=format_percent(last["coverage_rate"], lang),
               last_period=format_period(last["period"], lang))]
    if trend.pace_pp is None:
        lines.append(t("trend.one_period", lang))
    else:
        lines.append(t("trend.pace", lang, pace=format_change_pp(trend.pace_pp / 100, lang, 2)))
    if trend.latest_rate >= trend.target:
        lines.append(t("trend.reached", lang, target=target))
    else:
        if trend.needed_pp is None:
            lines.append(t("trend.date_passed", lang, target=target, by=by))
        else:
            lines.append(t("trend.needed", lang, target=target, by=by,
                           needed=format_change_pp(trend.needed_pp / 100, lang, 2)))
        if trend.reached_at:
            lines.append(t("trend.reached_at", lang, target=target, when=format_period(trend.reached_at, lang)))
        elif trend.pace_pp is not None:
            lines.append(t("trend.never", lang, target=target))
    lines.append(t("trend.source", lang, source=trend.target_source))
    return lines
