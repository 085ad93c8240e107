"""UI strings of the outreach pages (sites, priorities, visit plan, visit log, what-if).

Merged into :data:`analysis.i18n.STRINGS`; keys must not repeat keys there.
Both languages must have the same keys and placeholders (tests check it).
"""

STRINGS: dict[str, dict[str, str]] = {
    "id": {
    },
    "en": {
    },
}
