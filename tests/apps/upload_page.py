"""Runs the upload page alone, for AppTest."""

from ui.pages.upload import render

render()
