"""``python -m jhmatch``: the same as the ``jhmatch`` command."""

from jhmatch.cli import run

run()
