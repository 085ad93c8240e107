"""Peta Cakupan Jamsostek Garut: the Streamlit app (thin UI).

Run with ``make run``.  All figures come from ``analysis``/``geo`` functions
that the CLI calls too.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.boundaries import load_layer
from geo.mapview import kecamatan_outline_map
from ui.vendor import offline

st.set_page_config(page_title="Peta Cakupan Jamsostek Garut", layout="wide")


@st.cache_resource(show_spinner=False)
def _kecamatan_web():
    return load_layer("kecamatan_web")


kecamatan = _kecamatan_web()
st.title("Peta Cakupan Jamsostek Kabupaten Garut")
st.caption(
    f"{len(kecamatan)} kecamatan · batas wilayah Kemendagri 2025 (cahyadsn/wilayah_boundaries, MIT)"
)
fmap = offline(kecamatan_outline_map(kecamatan))
st_folium(fmap, height=640, use_container_width=True, returned_objects=[], key="peta_kecamatan")
