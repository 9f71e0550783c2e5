"""``python -m cx``: the command line (see :mod:`cx.cli`)."""

import sys

from cx.cli import main

sys.exit(main())
