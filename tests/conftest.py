import os
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PAPERLIB_DATA_DIR") or ROOT.parent/"shared"/"data")

@pytest.fixture
def shared():
    if not (SHARED/"sst").is_dir(): pytest.skip(f"real data not found at {SHARED}")
    return SHARED
