"""Runs the upload page alone, for AppTest."""

from ui.page_upload import render

render()
