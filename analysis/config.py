"""Outreach settings: start point, score weights, category weights, visit log path.

The values live in one file, ``config/outreach.toml`` (override its location
with ``$PETA_OUTREACH_CONFIG``), read with :mod:`tomllib`.  Every function that
uses them also accepts an explicit :class:`OutreachConfig`, so tests and the
app can change a value without editing the file.

>>> from analysis.config import load_config
>>> cfg = load_config()
>>> cfg.desa_per_day
4
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import ConfigError
from geo.paths import PROJECT_ROOT
from ingest.sites import KNOWN_CATEGORIES, OTHER_CATEGORY

#: The settings file read when no path is given.
DEFAULT_CONFIG_PATH = PROJECT_ROOT / "config" / "outreach.toml"
#: Score components, in the order tables and docs list them.
SCORE_COMPONENTS = ("gap", "informal", "low_coverage", "sites", "last_visit", "companies", "programme")


@dataclass(frozen=True)
class StartPointConfig:
    """Where trips start and end.

    Attributes
    ----------
    name : str
        Label of the configured point (the branch office).
    lat, lon : float or None
        Its WGS84 position; ``None`` until a user sets it.
    fallback_kode_kec : str
        Kecamatan whose representative point is used while lat/lon are unset
        (``32.05.05`` Tarogong Kidul, the regency seat).
    fallback_name : str
        Label shown for the fallback point (empty: the catalog's ``plan.start_fallback_name``).
    """

    name: str = "Kantor Cabang BPJS Ketenagakerjaan Garut"
    lat: float | None = None
    lon: float | None = None
    fallback_kode_kec: str = "32.05.05"
    fallback_name: str = ""

    @property
    def is_set(self) -> bool:
        """True when the office coordinates have been configured."""
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class ScoreConfig:
    """Parameters of the priority score (see ``docs/priorities.md``).

    Attributes
    ----------
    target_rate : float
        Coverage target (0..1) for the low-coverage component.
    site_distance_m : float
        A site within this distance of a desa polygon counts for that desa.
    near_factor : float
        Factor of a site near (not in) the desa.
    site_saturation : float
        Weighted site total at which the site component reaches 1.
    visit_full_after_days : float
        Days since the last visit at which the visit component reaches 1.
    company_saturation : float
        Uncovered workers at the desa's PWBD/PDS companies at which the company component reaches 1.
    weights : dict
        ``{component: weight}`` for :data:`SCORE_COMPONENTS`.
    category_weights : dict
        ``{category: weight}``; ``lainnya`` covers unknown categories.
    """

    target_rate: float = 0.70
    site_distance_m: float = 2000.0
    near_factor: float = 0.5
    site_saturation: float = 2.0
    visit_full_after_days: float = 180.0
    company_saturation: float = 50.0
    # the company and programme components count only when a planner gives them a weight (settings)
    weights: dict[str, float] = field(default_factory=lambda: {
        "gap": 0.35, "informal": 0.15, "low_coverage": 0.20, "sites": 0.20, "last_visit": 0.10,
        "companies": 0.0, "programme": 0.0,
    })
    category_weights: dict[str, float] = field(default_factory=dict)

    def category_weight(self, category_group: str) -> float:
        """Weight of one site of a category group (``lainnya`` as the fallback, else 0.5)."""
        if category_group in self.category_weights:
            return self.category_weights[category_group]
        return self.category_weights.get("lainnya", 0.5)


@dataclass(frozen=True)
class LettersConfig:
    """Who signs the appeal and warning letters to companies (``[letters]``).

    Attributes
    ----------
    sender : str
        The office the letter comes from (its letterhead).
    address : str
        Its address line under the letterhead (empty: none).
    city : str
        The place before the date (``Garut, 1 Desember 2026``).
    signatory_title : str
        The signing officer's title.
    signatory_name : str
        The officer's name; empty leaves a line to sign and write it on.
    """

    sender: str = "BPJS Ketenagakerjaan Kantor Cabang Garut"
    address: str = ""
    city: str = "Garut"
    signatory_title: str = "Kepala Kantor Cabang"
    signatory_name: str = ""


@dataclass(frozen=True)
class OutreachConfig:
    """All outreach settings.

    Attributes
    ----------
    start_point : StartPointConfig
    score : ScoreConfig
    desa_per_day : int
        Desa visited per trip (one trip per day).
    top_n : int
        Desa taken from the ranking into the visit plan by default.
    recent_visit_days : int
        A desa visited within this many days is left out of new trip plans
        (listed as recently visited) unless the planner includes it.
    service_minutes : float
        Time spent in each desa on a trip.
    day_hours : float
        Longest working day, travel and service together (0: no limit).
    speed_kmh : float
        Average travel speed between desa, for the day length.
    detour_factor : float
        Straight-line distances are multiplied by this to estimate road
        distance where no road-distance matrix is given.
    search_seconds : float
        0: the routing solver stops at its first local optimum (the same plan
        on every run); above 0: it searches that long for a shorter plan.
    target_by : str
        ``YYYY-MM`` by which the coverage target is to be reached (the trend's pace needed).
    target_source : str
        Where the target and its date come from, shown beside them (empty:
        the catalog's ``target.source_default``).
    db_path : pathlib.Path
        SQLite app database (``$PETA_APP_DB`` overrides the file's value).
    database_url : str
        ``$PETA_DATABASE_URL`` (``postgresql://user:password@host:port/db``): a
        shared server instead of ``db_path``; empty for the file.
    auth : bool
        Accounts and roles on (default); ``$PETA_AUTH=off`` is the single-user local mode.
    monthly_contribution_rp : float
        JKK + JKM contribution of an informal worker per month.
    months_per_year : int
    letters : LettersConfig
    source : pathlib.Path or None
        The file these values came from.
    """

    start_point: StartPointConfig = StartPointConfig()
    score: ScoreConfig = ScoreConfig()
    desa_per_day: int = 4
    top_n: int = 20
    recent_visit_days: int = 30
    service_minutes: float = 45.0
    day_hours: float = 8.0
    speed_kmh: float = 30.0
    detour_factor: float = 1.4
    search_seconds: float = 0.0
    target_by: str = "2029-12"
    target_source: str = ""
    db_path: Path = PROJECT_ROOT / "data" / "app.db"
    database_url: str = ""
    auth: bool = True
    monthly_contribution_rp: float = 16800.0
    months_per_year: int = 12
    letters: LettersConfig = LettersConfig()
    source: Path | None = None

    @property
    def database(self) -> str | Path:
        """The app database every store uses: ``database_url`` when set, else the file ``db_path``."""
        return self.database_url or self.db_path


def config_path() -> Path:
    """Return the settings file path (``$PETA_OUTREACH_CONFIG`` or the default)."""
    env = os.environ.get("PETA_OUTREACH_CONFIG")
    return Path(env) if env else DEFAULT_CONFIG_PATH


def _number(where: str, value: Any, minimum: float = 0.0, maximum: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not minimum <= value <= maximum:
        raise ConfigError(
            "config.number_out_of_range",
            where=where,
            minimum=format(minimum, "g"),
            maximum=format(maximum, "g"),
            value=repr(value),
        )
    return float(value)


def _check_keys(where: str, table: dict[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(
            "config.unknown_keys", unknown=unknown, where=where, allowed=sorted(allowed)
        )


def parse_config(data: dict[str, Any], source: Path | None = None) -> OutreachConfig:
    """Build an :class:`OutreachConfig` from a parsed TOML document.

    Parameters
    ----------
    data : dict
        As returned by :func:`tomllib.load`; missing keys take the defaults.
    source : pathlib.Path, optional
        File name used in error messages.

    Raises
    ------
    ConfigError
        On unknown keys, values out of range or unknown category names.
    """

    where = f"{source}: " if source else ""
    _check_keys(f"{where}top level", data,
                {"start_point", "score", "category_weights", "trips", "visits", "whatif", "target", "letters"})

    sp = data.get("start_point", {})
    _check_keys(f"{where}start_point", sp, {"name", "lat", "lon", "fallback_kode_kec", "fallback_name"})
    if ("lat" in sp) != ("lon" in sp):
        raise ConfigError("config.start_point_half", where=where, keys=sorted(sp))
    defaults = StartPointConfig()
    start = StartPointConfig(
        name=str(sp.get("name", defaults.name)),
        lat=_number(f"{where}start_point.lat", sp["lat"], -90, 90) if "lat" in sp else None,
        lon=_number(f"{where}start_point.lon", sp["lon"], -180, 180) if "lon" in sp else None,
        fallback_kode_kec=str(sp.get("fallback_kode_kec", defaults.fallback_kode_kec)),
        fallback_name=str(sp.get("fallback_name", defaults.fallback_name)),
    )

    sc = dict(data.get("score", {}))
    weights_in = sc.pop("weights", {})
    _check_keys(f"{where}score", sc, {"target_rate", "site_distance_m", "near_factor",
                                     "site_saturation", "visit_full_after_days", "company_saturation"})
    _check_keys(f"{where}score.weights", weights_in, set(SCORE_COMPONENTS))
    base = ScoreConfig()
    weights = {k: _number(f"{where}score.weights.{k}", weights_in.get(k, base.weights[k]))
               for k in SCORE_COMPONENTS}
    if sum(weights.values()) <= 0:
        raise ConfigError("config.weights_all_zero", where=where)
    cats = data.get("category_weights", {})
    _check_keys(f"{where}category_weights", cats, set(KNOWN_CATEGORIES) | {OTHER_CATEGORY})
    score = ScoreConfig(
        target_rate=_number(f"{where}score.target_rate", sc.get("target_rate", base.target_rate), 0.01, 1),
        site_distance_m=_number(f"{where}score.site_distance_m", sc.get("site_distance_m", base.site_distance_m)),
        near_factor=_number(f"{where}score.near_factor", sc.get("near_factor", base.near_factor), 0, 1),
        site_saturation=_number(f"{where}score.site_saturation",
                                sc.get("site_saturation", base.site_saturation), 1e-9),
        visit_full_after_days=_number(f"{where}score.visit_full_after_days",
                                      sc.get("visit_full_after_days", base.visit_full_after_days), 1),
        company_saturation=_number(f"{where}score.company_saturation",
                                   sc.get("company_saturation", base.company_saturation), 1),
        weights=weights,
        category_weights={k: _number(f"{where}category_weights.{k}", v) for k, v in cats.items()},
    )

    trips = data.get("trips", {})
    _check_keys(f"{where}trips", trips, {"desa_per_day", "top_n", "recent_visit_days", "service_minutes",
                                             "day_hours", "speed_kmh", "detour_factor", "search_seconds"})
    visits = data.get("visits", {})
    _check_keys(f"{where}visits", visits, {"db_path"})
    whatif = data.get("whatif", {})
    _check_keys(f"{where}whatif", whatif, {"monthly_contribution_rp", "months_per_year"})
    target = data.get("target", {})
    _check_keys(f"{where}target", target, {"by", "source"})
    target_by = str(target.get("by", "2029-12"))
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", target_by):
        raise ConfigError("config.bad_month", where=f"{where}target.by", value=repr(target_by))
    letters_in = data.get("letters", {})
    _check_keys(f"{where}letters", letters_in, set(LettersConfig.__dataclass_fields__))
    letters = LettersConfig(**{k: str(v).strip() for k, v in letters_in.items()})
    env_db = os.environ.get("PETA_APP_DB")
    db_path = Path(env_db) if env_db else Path(visits.get("db_path", "data/app.db"))
    if not db_path.is_absolute():
        db_path = PROJECT_ROOT / db_path
    return OutreachConfig(
        start_point=start,
        score=score,
        desa_per_day=int(_number(f"{where}trips.desa_per_day", trips.get("desa_per_day", 4), 1, 50)),
        top_n=int(_number(f"{where}trips.top_n", trips.get("top_n", 20), 1, 10_000)),
        recent_visit_days=int(_number(f"{where}trips.recent_visit_days", trips.get("recent_visit_days", 30), 0, 3650)),
        service_minutes=_number(f"{where}trips.service_minutes", trips.get("service_minutes", 45), 0, 600),
        day_hours=_number(f"{where}trips.day_hours", trips.get("day_hours", 8), 0, 24),
        speed_kmh=_number(f"{where}trips.speed_kmh", trips.get("speed_kmh", 30), 1, 200),
        detour_factor=_number(f"{where}trips.detour_factor", trips.get("detour_factor", 1.4), 1, 5),
        search_seconds=_number(f"{where}trips.search_seconds", trips.get("search_seconds", 0), 0, 120),
        target_by=target_by,
        target_source=str(target.get("source", "")),
        db_path=db_path,
        database_url=os.environ.get("PETA_DATABASE_URL", "").strip(),
        auth=os.environ.get("PETA_AUTH", "on").strip().lower() not in ("off", "0", "false", "no"),
        monthly_contribution_rp=_number(f"{where}whatif.monthly_contribution_rp",
                                        whatif.get("monthly_contribution_rp", 16800)),
        months_per_year=int(_number(f"{where}whatif.months_per_year", whatif.get("months_per_year", 12), 1, 12)),
        letters=letters,
        source=source,
    )


def load_config(path: str | os.PathLike[str] | None = None) -> OutreachConfig:
    """Read the outreach settings file.

    Parameters
    ----------
    path : path-like, optional
        Defaults to :func:`config_path`.  A missing default file gives the
        built-in defaults; a missing explicit file is an error.

    Returns
    -------
    OutreachConfig

    Raises
    ------
    ConfigError
        If the file cannot be parsed or holds invalid values.
    """
    file = Path(path) if path else config_path()
    if not file.is_file():
        if path is None and not os.environ.get("PETA_OUTREACH_CONFIG"):
            return parse_config({})
        raise ConfigError("config.file_missing", file=file)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("config.not_toml", file=file, error=exc) from exc
    return parse_config(data, source=file)
