"""Entry script for the frozen bundle: the same command line as `python -m app`."""

import sys

from app.cli import main

sys.exit(main())
