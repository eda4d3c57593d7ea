"""`python -m pangea.cli` runs the `pangea` command."""

import sys

from pangea.cli import main

sys.exit(main())
