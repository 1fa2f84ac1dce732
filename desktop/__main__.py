"""``python -m desktop``: the same as the ``orientation`` command."""
import sys

from desktop.cli import main

sys.exit(main())
