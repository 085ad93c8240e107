"""The deterministic sample generator and the committed data/sample/coverage_desa.csv."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.sample import (
    PERIOD_TOTALS,
    REMOTE_SOUTH_KECAMATAN,
    SAMPLE_COLUMNS,
    SAMPLE_PATH,
    SAMPLE_PERIODS,
    URBAN_CORE_KECAMATAN,
    apportion,
    generate_sample,
    is_sample,
    sample_csv_bytes,
)
from cli.main import main
from core.i18n import t


@pytest.fixture(scope="module")
def sample(garut_gpkg) -> pd.DataFrame:
    return generate_sample()


@pytest.fixture(scope="module")
def committed() -> pd.DataFrame:
    return pd.read_csv(SAMPLE_PATH, dtype={"kode_desa": str, "periode": str})


def test_generation_is_deterministic_and_matches_the_committed_file(sample):
    fresh = sample_csv_bytes(sample)
    assert sample_csv_bytes(generate_sample()) == fresh
    assert SAMPLE_PATH.read_bytes() == fresh, (
        "data/sample/coverage_desa.csv is stale: run `python -m analysis sample` and commit it"
    )


def test_another_seed_gives_other_figures_with_the_same_totals(sample):
    other = generate_sample(seed=1)
    assert not other["pekerja"].equals(sample["pekerja"])
    latest = other[other["periode"] == SAMPLE_PERIODS[-1]]
    assert (latest["pekerja"].sum(), latest["peserta_aktif"].sum()) == (836_000, 186_000)


def test_committed_file_is_plain_utf8_csv_with_the_canonical_header():
    raw = SAMPLE_PATH.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    assert raw.decode("utf-8").splitlines()[0] == ",".join(SAMPLE_COLUMNS)


def test_one_row_per_desa_per_period(committed, desa):
    assert tuple(committed.columns) == SAMPLE_COLUMNS
    assert len(committed) == 884
    assert set(committed["kode_desa"]) == set(desa["kode"])
    periods_per_desa = committed.groupby("kode_desa")["periode"].apply(tuple)
    assert periods_per_desa.map(lambda periods: periods == SAMPLE_PERIODS).all()
    names = desa.set_index("kode")
    latest = committed[committed["periode"] == SAMPLE_PERIODS[-1]].set_index("kode_desa")
    assert latest["desa"].equals(names.loc[latest.index, "nama"].rename("desa"))
    assert latest["kecamatan"].equals(names.loc[latest.index, "kecamatan"].rename("kecamatan"))


def test_latest_totals_are_the_published_2024_figures(committed):
    totals = committed.groupby("periode")[["pekerja", "peserta_aktif"]].sum()
    assert tuple(totals.loc["2024-12"]) == (836_000, 186_000)
    assert tuple(totals.loc["2024-06"]) == PERIOD_TOTALS["2024-06"]
    rates = totals["peserta_aktif"] / totals["pekerja"]
    assert round(rates["2024-12"], 3) == 0.222 and rates["2024-06"] < rates["2024-12"]


def test_counts_are_consistent_everywhere(committed):
    c = committed
    assert (c[list(SAMPLE_COLUMNS[4:])] >= 0).all().all()
    assert (c["pekerja"] > 0).all()
    assert (c["peserta_aktif"] <= c["pekerja"]).all()
    assert (c["peserta_pu"] <= c["pekerja_pu"]).all() and (c["peserta_bpu"] <= c["pekerja_bpu"]).all()
    assert (c["pekerja_pu"] + c["pekerja_bpu"]).equals(c["pekerja"])
    assert (c["peserta_pu"] + c["peserta_bpu"]).equals(c["peserta_aktif"])


def _latest_with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    latest = frame[frame["periode"] == SAMPLE_PERIODS[-1]].copy()
    latest["kode_kec"] = latest["kode_desa"].str[:8]
    latest["rate"] = latest["peserta_aktif"] / latest["pekerja"]
    return latest


def test_urban_garut_kota_is_covered_better_than_the_remote_south(committed, desa):
    latest = _latest_with_rates(committed)
    kelurahan = set(desa.loc[desa["jenis"] == "kelurahan", "kode"])
    garut_kota = latest[(latest["kode_kec"] == "32.05.01") & latest["kode_desa"].isin(kelurahan)]
    south = latest[latest["kode_kec"].isin(list(REMOTE_SOUTH_KECAMATAN))]
    assert len(garut_kota) == 11 and len(south) > 100
    assert garut_kota["rate"].mean() > 1.5 * south["rate"].mean()
    # every remote-south kecamatan sits below the kabupaten rate, Garut Kota above it
    by_kec = latest.groupby("kode_kec")[["peserta_aktif", "pekerja"]].sum()
    kec_rate = by_kec["peserta_aktif"] / by_kec["pekerja"]
    assert (kec_rate[list(REMOTE_SOUTH_KECAMATAN)] < 186_000 / 836_000).all()
    assert kec_rate["32.05.01"] == kec_rate.max()


def test_formal_workers_are_a_minority_in_rural_desa_and_informal_coverage_is_the_published_one(committed):
    latest = _latest_with_rates(committed)
    rural = latest[~latest["kode_kec"].isin(list(URBAN_CORE_KECAMATAN))]
    assert (rural["pekerja_pu"] < rural["pekerja_bpu"]).mean() > 0.95
    assert round(latest["peserta_bpu"].sum() / latest["pekerja_bpu"].sum() * 100, 2) == 22.28
    assert (latest["peserta_pu"] <= latest["pekerja_pu"]).all() and (latest["peserta_bpu"] <= latest["pekerja_bpu"]).all()


def test_workers_follow_the_working_age_population(committed):
    """Workers per desa are the denominator estimate: proportional to the Dukcapil population aged 15-64."""
    from analysis.denominator import estimate_workers

    estimate = estimate_workers(836_000).desa.set_index("kode")
    latest = committed[committed["periode"] == "2024-12"].set_index("kode_desa")
    assert (latest["pekerja"] == estimate.loc[latest.index, "pekerja_estimasi"]).all()
    assert np.corrcoef(latest["pekerja"], estimate.loc[latest.index, "penduduk_15_64"])[0, 1] > 0.9999


def test_workers_vary_plausibly_between_desa(committed):
    latest = _latest_with_rates(committed)
    assert latest["pekerja"].min() > 300 and latest["pekerja"].max() < 15_000
    assert latest["pekerja"].std() / latest["pekerja"].mean() > 0.2


def test_coverage_mostly_rises_between_periods(committed):
    wide = committed.pivot(index="kode_desa", columns="periode", values=["pekerja", "peserta_aktif"])
    rate = wide["peserta_aktif"] / wide["pekerja"]
    rose = rate["2024-12"] > rate["2024-06"]
    assert 0.75 < rose.mean() < 1.0


def test_zone_lists_name_the_right_kecamatan(kecamatan):
    names = kecamatan.set_index("kode")["nama"]
    for zone in (URBAN_CORE_KECAMATAN, REMOTE_SOUTH_KECAMATAN):
        assert {kode: names[kode] for kode in zone} == zone


def test_is_sample_recognises_the_file_and_exact_copies_only(tmp_path):
    assert is_sample(SAMPLE_PATH)
    copy = tmp_path / "unggahan.csv"
    copy.write_bytes(SAMPLE_PATH.read_bytes())
    assert is_sample(copy)
    edited = tmp_path / "diubah.csv"
    data = SAMPLE_PATH.read_bytes()
    edited.write_bytes(data[:-2] + (b"1" if data[-2:-1] == b"0" else b"0") + b"\n")  # one figure changed
    assert edited.read_bytes() != SAMPLE_PATH.read_bytes()
    assert not is_sample(edited)
    assert not is_sample(tmp_path / "tidak_ada.csv")
    # an upload arrives as bytes
    assert is_sample(SAMPLE_PATH.read_bytes())
    assert not is_sample(SAMPLE_PATH.read_bytes().replace(b"\n", b"\r\n"))


def test_banners_say_it_is_not_official():
    assert t("sample.banner", "id") == "DATA CONTOH — bukan data resmi BPJS Ketenagakerjaan"
    assert t("sample.banner", "en") == "SAMPLE DATA — not official BPJS Ketenagakerjaan figures"


def test_cli_writes_and_checks(tmp_path, garut_gpkg, capsys):
    out = tmp_path / "sample.csv"
    assert main(["sample", "--out", str(out), "--check"]) == 1
    assert main(["sample", "--out", str(out)]) == 0
    assert out.read_bytes() == SAMPLE_PATH.read_bytes()
    assert main(["sample", "--out", str(out), "--check"]) == 0
    assert main(["sample", "--out", str(out), "--seed", "7", "--check"]) == 1
    assert '"latest_covered": 186000' in capsys.readouterr().out


@settings(max_examples=200, deadline=None)
@given(
    total=st.integers(0, 10**6),
    weights=st.lists(st.floats(0, 1e4, allow_nan=False), min_size=1, max_size=40).filter(
        lambda w: sum(w) > 0),
)
def test_apportion_is_exact_and_within_one_of_the_quota(total, weights):
    shares = apportion(total, np.array(weights))
    quotas = total * np.array(weights) / sum(weights)
    assert shares.sum() == total
    assert (np.abs(shares - quotas) < 1 + 1e-9).all()


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_apportion_respects_caps(data):
    size = data.draw(st.integers(1, 30))
    weights = np.array(data.draw(st.lists(st.floats(0.01, 100), min_size=size, max_size=size)))
    caps = np.array(data.draw(st.lists(st.integers(0, 500), min_size=size, max_size=size)))
    total = data.draw(st.integers(0, int(caps.sum())))
    shares = apportion(total, weights, caps=caps)
    assert shares.sum() == total
    assert ((shares >= 0) & (shares <= caps)).all()


def test_apportion_rejects_impossible_requests():
    with pytest.raises(ValueError, match="caps"):
        apportion(10, np.array([1.0, 1.0]), caps=np.array([3, 4]))
    with pytest.raises(ValueError, match="positive sum"):
        apportion(10, np.array([0.0, 0.0]))
