import os
import sys
from pathlib import Path

from hypothesis import settings

# tests import their helpers (schemas.py) as plain modules
sys.path.insert(0, str(Path(__file__).resolve().parent))

from hypothesis_profiles import profile_for  # noqa: E402

settings.load_profile(profile_for(os.environ))
