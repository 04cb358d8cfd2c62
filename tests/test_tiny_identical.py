"""Refactoring the library must not move a number: every UNIREX, SaLoss and ER run at tiny scale, computed from scratch
(fresh results and model caches), equals the results pinned in `tests/pinned/tiny_results.json` byte for byte
(timings excepted). Re-pin only for a change that is meant to alter results, and say which in the commit."""
import json, os, subprocess, sys
from pathlib import Path
from conftest import need_data
from tiny_pin import fingerprint

ROOT = Path(__file__).resolve().parent.parent
PINNED = ROOT/"tests"/"pinned"/"tiny_results.json"


def test_tiny_runs_identical_to_pinned(tmp_path):
    data = need_data("sst")
    # $PAPERLIB_TINY_RESULTS: where to compute them (it must not exist yet: computed from scratch); CI then draws the tiny
    # artifacts from these same runs instead of computing them twice
    results = Path(os.environ.get("PAPERLIB_TINY_RESULTS") or tmp_path/"results")
    assert not (results/"tiny").exists(), f"{results}/tiny exists: the runs must be computed from scratch"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PAPERLIB_DATA_DIR": str(data), "PAPERLIB_CACHE": str(tmp_path/"cache")}
    r = subprocess.run([str(Path(sys.executable).parent/"paperlib"), "runs", "unirex", "saloss", "er", "--scale", "tiny",
                        "--jobs", "2", "--results", str(results)], capture_output=True, text=True, cwd=ROOT, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    got, want = fingerprint(results), json.loads(PINNED.read_text())
    assert sorted(got) == sorted(want), f"runs differ: missing {sorted(set(want) - set(got))[:5]}, new {sorted(set(got) - set(want))[:5]}"
    changed = {run: {k: (want[run]["values"].get(k), v) for k, v in got[run]["values"].items() if want[run]["values"].get(k) != v}
               for run in want if got[run]["sha"] != want[run]["sha"]}
    assert not changed, f"{len(changed)} of {len(want)} tiny runs changed, e.g. {dict(list(changed.items())[:3])}"
