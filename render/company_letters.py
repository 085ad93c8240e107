"""Letters to PWBD/PDS companies (surat himbauan, teguran tertulis I and II) as printable A4 PDF.

:func:`company_letter_pdf` fills the letter of one ladder step
(``analysis/company_ladder.json``) with the company's own figures: its
status and the rule behind it, workers employed and enrolled, wages reported
and registered, programmes registered and required, and the date by which it
is asked to comply (the step's waiting days after the letter's date).  The
words are the catalogs' (``letter.*``), in Indonesian by default; the sender,
place and signatory are the ``[letters]`` settings.  The letter number is
left blank for the office's own register.

The PDF is drawn with fpdf2 and the DejaVu Sans font that ships with
matplotlib (Unicode, embedded: nothing is fetched).  Text from the file
(company and desa names) is written as text; control characters are
removed and very long names wrap.  An illustrative file's letters carry
"ILUSTRATIF" in a banner at the top and in the footer of every page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from babel.dates import format_date
from fontTools import subset
from fontTools.ttLib import TTFont
from fpdf import FPDF

from analysis.company_steps import load_ladder
from analysis.config import LettersConfig
from core.formatting import check_lang, format_int, format_rupiah
from core.i18n import localize, t
from render.exports.naming import slug

#: The letters a step can send.
LETTERS = ("himbauan", "teguran_1", "teguran_2")
_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
_FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
#: The characters of the small font every letter uses first: Latin (with accents and Vietnamese), punctuation,
#: currency, arrows, maths, shapes.  A letter with any other character uses the whole font (slower to embed).
_LETTER_RANGES = ((0x20, 0x24F), (0x300, 0x36F), (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x20A0, 0x20CF),
                  (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x25A0, 0x25FF))
_LETTER_CHARS = frozenset(chr(u) for lo, hi in _LETTER_RANGES for u in range(lo, hi + 1)) | {"\n"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
#: Height of the signature block (mm).
_SIGNATURE_MM = 34
#: Longest name printed whole (characters); longer ones are cut with an ellipsis.
MAX_NAME_CHARS = 200


def _clean(text: object) -> str:
    value = _CONTROL.sub("", str(text or "")).strip()
    return value if len(value) <= MAX_NAME_CHARS else value[: MAX_NAME_CHARS - 1] + "…"


def _date(day: dt.date, lang: str) -> str:
    return format_date(day, "d MMMM y", locale=lang)


def _rupiah(value: object, lang: str) -> str:
    return "-" if pd.isna(value) else format_rupiah(value, lang, compact=False)


def _programmes(text: object) -> str:
    return str(text).replace(",", ", ") if isinstance(text, str) and text else "-"


@cache
def _small_font(file: str) -> Path:
    """DejaVu Sans cut to :data:`_LETTER_RANGES` (a tenth of its glyphs: read and embedded ten times faster).

    Made once per process into the temporary folder, under a name that changes with the font and the ranges.
    """
    source = _FONT_DIR / file
    digest = hashlib.sha256(source.read_bytes() + repr(_LETTER_RANGES).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"peta_letters_{digest}_{file}"
    if not path.is_file():
        options = subset.Options()
        options.layout_features, options.name_IDs, options.notdef_outline = ["*"], ["*"], True
        options.drop_tables += ["FFTM"]
        font = TTFont(source)
        cutter = subset.Subsetter(options)
        cutter.populate(unicodes=[u for lo, hi in _LETTER_RANGES for u in range(lo, hi + 1)])
        cutter.subset(font)
        partial = path.with_name(f".{path.name}.{os.getpid()}.{id(font)}.part")   # one per process
        font.save(partial)
        partial.replace(path)
    return path


def _font_files(texts: Iterable[str]) -> dict[str, Path]:
    """The fonts for a letter's texts: the small cut when it holds every character, else the whole font."""
    small = all(set(text) <= _LETTER_CHARS for text in texts)
    return {style: _small_font(file) if small else _FONT_DIR / file for style, file in _FONTS.items()}


class _Letter(FPDF):
    def __init__(self, lang: str, illustrative: bool, footer_text: str, fonts: dict[str, Path]) -> None:
        super().__init__(format="A4", unit="mm")
        self.lang, self.illustrative, self.footer_text = lang, illustrative, footer_text
        for style, path in fonts.items():
            self.add_font("DejaVu", style, str(path))
        self.set_margins(22, 18, 22)
        self.set_auto_page_break(True, margin=22)

    def footer(self) -> None:
        self.set_y(-16)
        self.set_font("DejaVu", "", 7.5)
        self.set_text_color(90, 90, 90)
        text = self.footer_text
        if self.illustrative:
            text = f"{t('letter.illustrative_footer', self.lang)} · {text}"
        self.multi_cell(0, 3.6, text, align="C")
        self.set_text_color(0, 0, 0)


def company_letter_pdf(company: Mapping[str, Any], letter: str, *, today: dt.date, settings: LettersConfig,
                       region_name: str, previous_date: dt.date | None = None, lang: str = "id",
                       illustrative: bool = False, source: str = "") -> bytes:
    """One company's letter as PDF bytes.

    Parameters
    ----------
    company : mapping
        A row of :func:`analysis.compliance.company_status` (name, desa,
        kecamatan, figures, ``status``, ``rule``, ``missing_programmes``,
        ``required_programmes``, ``uncovered``).
    letter : {"himbauan", "teguran_1", "teguran_2"}
    today : datetime.date
        The letter's date; the deadline is the step's waiting days later.
    settings : LettersConfig
        Sender, place, signatory.
    region_name : str
        The kabupaten/kota in the address (``Kabupaten Garut``).
    previous_date : datetime.date, optional
        Date of the previous letter, named in a warning.
    lang : str
        The letter's language (Indonesian by default).
    illustrative : bool
        The companies are the illustrative file's: "ILUSTRATIF" on every page.
    source : str
        File the figures come from (named in the footer).

    Raises
    ------
    ValueError
        For an unknown letter.
    """
    if letter not in LETTERS:
        raise ValueError(f"letter must be one of {LETTERS}, not {letter!r}")
    lang = check_lang(lang)
    days = load_ladder().wait_days[letter] or 0
    deadline = today + dt.timedelta(days=days)
    name = _clean(company["name"])
    texts = [name, str(company.get("desa")), str(company.get("kecamatan")), region_name, source,
             *(str(v) for v in vars(settings).values())]
    pdf = _Letter(lang, illustrative, t("letter.footer", lang, source=_clean(source) or "-", made=_date(today, lang)),
                  _font_files(texts))
    pdf.set_title(f"{t(f'letter.subject.{letter}', lang)} — {name}")
    pdf.set_creator("Peta Cakupan Jamsostek Garut")
    pdf.set_creation_date(dt.datetime.combine(today, dt.time(), tzinfo=dt.timezone.utc))
    pdf.add_page()
    if illustrative:
        _banner(pdf, t("letter.illustrative_banner", lang))
    _letterhead(pdf, settings)
    _heading(pdf, letter, lang, settings, today)
    _address(pdf, name, company, region_name, lang)
    _body(pdf, company, name, letter, lang, deadline, days, previous_date)
    _figures(pdf, company, lang)
    _closing(pdf, letter, lang, deadline, days, settings, today)
    return bytes(pdf.output())


def _banner(pdf: FPDF, text: str) -> None:
    pdf.set_fill_color(178, 24, 43)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(0, 7, text, align="C", fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(3)


def _letterhead(pdf: FPDF, settings: LettersConfig) -> None:
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(0, 6.5, _clean(settings.sender).upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    if settings.address:
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(0, 4.5, _clean(settings.address), align="C", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 1.5
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_line_width(0.2)
    pdf.set_y(y + 5)


def _heading(pdf: FPDF, letter: str, lang: str, settings: LettersConfig, today: dt.date) -> None:
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 5.2, f"{_clean(settings.city)}, {_date(today, lang)}", align="R", new_x="LMARGIN", new_y="NEXT")
    for label, value in ((t("letter.number", lang), "……………………………"),
                         (t("letter.attachment", lang), "-"),
                         (t("letter.subject", lang), t(f"letter.subject.{letter}", lang))):
        pdf.cell(28, 5.2, label)
        pdf.cell(4, 5.2, ":")
        pdf.set_font("DejaVu", "B" if label == t("letter.subject", lang) else "", 10)
        pdf.multi_cell(0, 5.2, value, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)
    pdf.ln(4)


def _address(pdf: FPDF, name: str, company: Mapping[str, Any], region_name: str, lang: str) -> None:
    text = t("letter.to", lang, company=name, desa=_clean(company.get("desa")),
             kecamatan=_clean(company.get("kecamatan")), region=_clean(region_name))
    pdf.multi_cell(0, 5.2, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(0, 5.2, text, align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2.5)


def _body(pdf: FPDF, company: Mapping[str, Any], name: str, letter: str, lang: str, deadline: dt.date, days: int,
          previous_date: dt.date | None) -> None:
    _paragraph(pdf, t("letter.opening", lang))
    _paragraph(pdf, t("letter.basis", lang))
    statuses = [s for s in str(company.get("statuses") or company["status"]).split(",") if s]
    findings = [t(f"letter.finding.{s}", lang, **_finding_params(company, name, lang))
                for s in statuses if s in ("pwbd", "pds_tk", "pds_upah", "pds_program")]
    _paragraph(pdf, " ".join(findings) or t("letter.finding.none", lang, company=name))
    if letter != "himbauan" and previous_date is not None:
        _paragraph(pdf, t("letter.previous", lang, date=_date(previous_date, lang)))


def _finding_params(company: Mapping[str, Any], name: str, lang: str) -> dict[str, str]:
    enrolled = company.get("workers_enrolled")
    uncovered = company.get("uncovered")
    return {
        "company": name, "employed": format_int(company["workers_employed"], lang),
        "enrolled": "-" if pd.isna(enrolled) else format_int(enrolled, lang),
        "uncovered": "-" if pd.isna(uncovered) else format_int(uncovered, lang),
        "registered": _rupiah(company.get("wage_registered"), lang),
        "reported": _rupiah(company.get("wage_reported"), lang),
        "missing": _programmes(company.get("missing_programmes")),
    }


def _figures(pdf: FPDF, company: Mapping[str, Any], lang: str) -> None:
    enrolled, uncovered = company.get("workers_enrolled"), company.get("uncovered")
    rows = [
        (t("letter.figure.status", lang), localize(company.get("rule", ""), lang) or
         t(f"compliance.status.{company['status']}", lang)),
        (t("letter.figure.employed", lang), format_int(company["workers_employed"], lang)),
        (t("letter.figure.enrolled", lang), "-" if pd.isna(enrolled) else format_int(enrolled, lang)),
        (t("letter.figure.uncovered", lang), "-" if pd.isna(uncovered) else format_int(uncovered, lang)),
        (t("letter.figure.wage_reported", lang), _rupiah(company.get("wage_reported"), lang)),
        (t("letter.figure.wage_registered", lang), _rupiah(company.get("wage_registered"), lang)),
        (t("letter.figure.programmes", lang), _programmes(company.get("programmes"))),
        (t("letter.figure.required", lang), _programmes(company.get("required_programmes"))),
    ]
    pdf.set_font("DejaVu", "", 9)
    with pdf.table(col_widths=(55, 111), text_align=("LEFT", "LEFT"), line_height=4.4,
                   first_row_as_headings=False) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label)
            row.cell(str(value))
    pdf.set_font("DejaVu", "", 10)
    pdf.ln(4)


def _closing(pdf: FPDF, letter: str, lang: str, deadline: dt.date, days: int, settings: LettersConfig,
             today: dt.date) -> None:
    _paragraph(pdf, t(f"letter.request.{letter}", lang, deadline=_date(deadline, lang), days=days))
    _paragraph(pdf, t("letter.closing", lang))
    if pdf.get_y() > pdf.h - pdf.b_margin - _SIGNATURE_MM:   # the signature stays on the page of the text
        pdf.add_page()
    pdf.ln(2)
    x = pdf.w / 2 + 5
    pdf.set_x(x)
    pdf.multi_cell(0, 5.2, _clean(settings.signatory_title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(18)
    pdf.set_x(x)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(0, 5.2, _clean(settings.signatory_name) or "(……………………………………)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)


def letter_filename(company: Mapping[str, Any], letter: str, illustrative: bool = False) -> str:
    """``surat_<letter>_<company>_baris<row>[_ilustratif].pdf`` (the row keeps two same-named companies apart)."""
    name = slug(str(company["name"]))[:60] or "perusahaan"
    return f"surat_{letter}_{name}_baris{int(company['row'])}{'_ilustratif' if illustrative else ''}.pdf"


def follow_up_letters(follow_up: pd.DataFrame, *, today: dt.date, settings: LettersConfig, region_name: str,
                      lang: str = "id", illustrative: bool = False, source: str = "") -> list[tuple[str, bytes]]:
    """The letters of every company whose next step sends one, as ``(file name, PDF bytes)``.

    Parameters
    ----------
    follow_up : DataFrame
        :func:`analysis.company_steps.follow_up_list` (its ``letter`` and
        ``last_date`` columns choose the letter and the previous letter's date).
    """
    letters = []
    for company in follow_up.to_dict("records"):
        letter = company.get("letter")
        if letter not in LETTERS:
            continue
        previous = company.get("last_date") if company.get("last_step") in LETTERS else None
        pdf = company_letter_pdf(company, letter, today=today, settings=settings, region_name=region_name,
                                 previous_date=previous, lang=lang, illustrative=illustrative, source=source)
        letters.append((letter_filename(company, letter, illustrative), pdf))
    return letters
