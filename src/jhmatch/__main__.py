"""``python -m jhmatch``: the same as the ``jhmatch`` command."""

import sys

from jhmatch.cli import main

sys.exit(main())
