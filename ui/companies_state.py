"""The companies list in use (the illustrative file until the user accepts one), checked once per content.

Shared by the companies page and the priorities page (whose score can count
the uncovered workers at a desa's PWBD/PDS companies).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.compliance import by_area, company_status
from analysis.sample_companies import SAMPLE_COMPANIES_PATH, is_sample_companies
from geo.region import region_in_use
from ingest.companies import CompanyCheck, read_companies

#: Session key of the companies file the user accepted: (file name, bytes).
UPLOAD_KEY = "companies_upload"


@st.cache_data(show_spinner=False, max_entries=4)
def _checked(content: bytes, filename: str, region: str) -> tuple[CompanyCheck, pd.DataFrame]:
    check = read_companies(content, filename=filename, region=region)
    return check, company_status(check.companies)


def checked_companies(content: bytes, filename: str) -> tuple[CompanyCheck, pd.DataFrame]:
    """A companies file read against the region in use, and its companies' statuses (cached per content)."""
    return _checked(content, filename, region_in_use())


def companies_in_use() -> tuple[str, bytes, bool]:
    """``(file name, content, illustrative)`` of the companies list in use."""
    upload = st.session_state.get(UPLOAD_KEY)
    if upload is None:
        return SAMPLE_COMPANIES_PATH.name, SAMPLE_COMPANIES_PATH.read_bytes(), True
    name, content = upload
    return name, content, is_sample_companies(content)


def company_gaps_in_use() -> pd.Series:
    """Uncovered workers at the PWBD/PDS companies of each desa of the list in use (``kode`` -> count)."""
    name, content, _illustrative = companies_in_use()
    _check, table = checked_companies(content, name)
    if table.empty:
        return pd.Series(dtype=float)
    return by_area(table, "desa")["uncovered_non_compliant"].astype(float)
