"""How big the map is on this screen: the width of the column it stands in and the room left below it.

A small component (``ui/components/viewport/index.html``, served by
Streamlit from this folder) stands where the map goes and reports its
width, the browser window's height and its own distance from the top of
the page; it reports again after a resize.  :func:`map_px` turns that into
the map's size: the briefing map fills the screen below the title (at
least 60% of its height), the everyday map keeps its height, and label
placement (:func:`render.maps.labels.plan_labels`) then works on the real
size.  Until the first report (and in tests without a browser) the sizes
the layouts are designed for are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from render.maps.mapview import EVERYDAY_MAP_PX

_component = components.declare_component("peta_viewport", path=str(Path(__file__).with_name("components") / "viewport"))

#: The gap between the probe and the map (they stand in a gap-less container), and the room kept under the
#: briefing map (px).
ELEMENT_GAP_PX = 0
BOTTOM_PX = 24
#: The briefing map is at least this share of the screen's height.
BRIEFING_MIN_SHARE = 0.6
#: The everyday map's height (what its labels are placed for until the browser reports); on a phone
#: (narrower than PHONE_PX) a shorter one.
EVERYDAY_HEIGHT_PX = EVERYDAY_MAP_PX[1]
PHONE_PX = 500
PHONE_HEIGHT_PX = 460
#: Sizes assumed before the browser has reported (the briefing at 1280x720, the everyday page at 1366x768).
DEFAULT_BRIEFING_PX = (720, 600)
DEFAULT_EVERYDAY_PX = EVERYDAY_MAP_PX


@dataclass(frozen=True)
class Room:
    """What the browser reported: the map's width, the window's height, the map's distance from the page top."""

    width: int
    height: int
    top: int

    @classmethod
    def from_value(cls, value) -> Room | None:
        """Read the component's value (None when it has not reported or sent something unusable)."""
        try:
            room = cls(int(value["width"]), int(value["height"]), int(value["top"]))
        except (TypeError, KeyError, ValueError):
            return None
        return room if 50 <= room.width <= 20_000 and 200 <= room.height <= 20_000 and room.top >= 0 else None


def map_px(room: Room | None, briefing: bool) -> tuple[int, int]:
    """The map's (width, height) in px for this screen.

    Parameters
    ----------
    room : Room or None
        The browser's report; None before it reports.
    briefing : bool
        The briefing map fills the screen below the title and is at least
        :data:`BRIEFING_MIN_SHARE` of its height; the everyday one keeps
        :data:`EVERYDAY_HEIGHT_PX` (a phone: :data:`PHONE_HEIGHT_PX`).

    >>> map_px(Room(1130, 1080, 120), briefing=True)
    (1130, 932)
    >>> map_px(Room(740, 720, 400), briefing=True)    # title too tall: still 60% of the screen
    (740, 432)
    >>> map_px(Room(358, 844, 700), briefing=False)
    (358, 460)
    """
    if room is None:
        return DEFAULT_BRIEFING_PX if briefing else DEFAULT_EVERYDAY_PX
    if briefing:
        below = room.height - room.top - ELEMENT_GAP_PX - BOTTOM_PX
        return room.width, max(int(room.height * BRIEFING_MIN_SHARE + 0.5), below)
    return room.width, PHONE_HEIGHT_PX if room.width < PHONE_PX else EVERYDAY_HEIGHT_PX


def measured_room(key: str, track_top: bool = False) -> Room | None:
    """Put the probe here (where the map goes) and return the browser's last report.

    ``track_top``: report the probe's distance from the page top too (the briefing's map fills the room below
    it); otherwise ``top`` is 0 and a change above the map (a drill-down's title) sends nothing, so it cannot
    start a run that races the view's own.
    """
    known = st.session_state.get(key)
    return Room.from_value(_component(key=key, default=None, known=known, track_top=track_top))
