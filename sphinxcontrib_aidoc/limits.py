"""How much inference analysis may spend per object, by default.

Kept apart from ``analyze`` so that reading the settings (``config``) does
not load the analysis engine.
"""

from __future__ import annotations

#: Wall-clock seconds of inference per object before the safety net trips.
DEFAULT_TIMEOUT = 10.0
#: Steps of inference work per object (see ``analyze._infer.Budget``).
DEFAULT_STEPS = 20_000
