"""parsoc: software for a participatory society.

The core domains (``parsoc.planning``, ``parsoc.choice``, ``parsoc.work``, ...) are pure
Python with no Django import; ``parsoc.web`` is the Django shell around them.
"""

__version__ = "0.1.0"
