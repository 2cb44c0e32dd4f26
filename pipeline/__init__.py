"""planscope: parse, extract and compare Chinese government work plans."""
from __future__ import annotations

__version__ = "0.1.0"
