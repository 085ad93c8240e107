"""Streamlit presentation helpers (no business logic: numbers come from analysis/)."""
