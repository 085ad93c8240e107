"""``python -m analysis``: the documented spelling of the command line.

A launcher only: the commands live in :mod:`cli` (the layer above
``analysis``).  Nothing imports this module, and the layer contract lists
this one import as its only exception (``.importlinter``).
"""

import sys

from cli.main import main

sys.exit(main())
