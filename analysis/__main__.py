"""``python -m analysis``: the command-line interface."""

import sys

from analysis.cli import main

sys.exit(main())
