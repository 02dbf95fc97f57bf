"""`python -m app`: runs IronBone's command line (the GUI by default)."""

import sys

from app.cli import main

sys.exit(main())
