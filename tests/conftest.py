import os
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PAPERLIB_DATA_DIR") or ROOT.parent/"shared"/"data")

def need_data(what: str = "sst"):
    """Skip a real-data test on a user's fresh clone; in CI (CI=true, the data beside the checkout) a missing
    dataset is a failure, never a silent skip."""
    if not (SHARED/what).exists():
        msg = f"real data not found at {SHARED/what}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"): pytest.fail(f"{msg} (CI must run every data test)")
        pytest.skip(msg)
    return SHARED

@pytest.fixture
def shared():
    return need_data("sst")
