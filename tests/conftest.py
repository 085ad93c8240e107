"""Shared fixtures: the real Garut boundaries, built once by the set-up."""

from __future__ import annotations

import geopandas as gpd
import pytest

from geo.boundaries import ensure_built, load_layer


@pytest.fixture(scope="session")
def garut_gpkg():
    """Path of the Garut GeoPackage (built if missing or stale)."""
    return ensure_built("32.05", stream=None)


@pytest.fixture(scope="session")
def desa(garut_gpkg) -> gpd.GeoDataFrame:
    """Garut desa/kelurahan, full geometry (EPSG:4326)."""
    return load_layer("desa")


@pytest.fixture(scope="session")
def desa_web(garut_gpkg) -> gpd.GeoDataFrame:
    """Garut desa/kelurahan, display geometry."""
    return load_layer("desa_web")


@pytest.fixture(scope="session")
def kecamatan(garut_gpkg) -> gpd.GeoDataFrame:
    """Garut kecamatan dissolved from the desa, full geometry."""
    return load_layer("kecamatan")


@pytest.fixture(scope="session")
def kecamatan_web(garut_gpkg) -> gpd.GeoDataFrame:
    """Garut kecamatan, display geometry."""
    return load_layer("kecamatan_web")


@pytest.fixture(scope="session", autouse=True)
def _isolated_visit_log(tmp_path_factory):
    """Keep every test (and the servers they start) off the real data/app.db; accounts off unless a test turns
    them on (``PETA_AUTH=on``: tests/test_accounts.py, tests/test_app_auth.py, tests/test_browser_auth.py)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("PETA_APP_DB", str(tmp_path_factory.mktemp("visit-log") / "app.db"))
    patch.setenv("PETA_AUTH", "off")
    patch.delenv("PETA_DATABASE_URL", raising=False)
    yield
    patch.undo()


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server of this test session (started on first use, removed at the end)."""
    from tests.pg_server import PostgresServer

    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def app_db(request, tmp_path):
    """The app database a store test runs on: an SQLite file, then a fresh PostgreSQL schema.

    Every test that takes this fixture runs twice, so the stores are shown to
    behave the same on both back ends.
    """
    from ingest.appdb import close_database

    target = tmp_path / "app.db" if request.param == "sqlite" else request.getfixturevalue("postgres").fresh_url()
    yield target
    close_database(target)      # no pooled connections left open between tests


@pytest.fixture(scope="session")
def own_coverage_csv(tmp_path_factory):
    """The sample's figures in a file that is not the sample (one byte differs), for "own data" tests."""
    from analysis.sample import SAMPLE_PATH

    path = tmp_path_factory.mktemp("own") / "cakupan.csv"
    path.write_bytes(SAMPLE_PATH.read_bytes() + b"\n")
    return path
