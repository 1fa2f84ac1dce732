"""``python -m desktop.cli``: the ``orientation`` command."""
import sys

from desktop.cli import main

sys.exit(main())
