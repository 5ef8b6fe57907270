"""``python -m sphinxcontrib_aidoc`` runs the ``aidoc`` command line."""

from __future__ import annotations

import sys

from sphinxcontrib_aidoc.cli import main

sys.exit(main())
