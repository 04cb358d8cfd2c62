"""The skeleton paper in tests/toy_paper plugs into the kit from outside the package: `paperlib runs` lists
and computes its runs (submitit's local executor), `paperlib reproduce` draws its table from the cache."""
import json, os, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).parent/"paperlib")


def cli(*args, env=None):
    e = {**os.environ, "HF_HUB_OFFLINE": "1", "PAPERLIB_PAPERS": "toy_paper.artifacts",
         "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT/"tests"), os.environ.get("PYTHONPATH")])), **(env or {})}
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=ROOT, env=e, timeout=600)


def test_toy_paper_runs_then_reproduce(tmp_path):
    res = {"PAPERLIB_RESULTS": str(tmp_path/"results")}
    r = cli("runs", "--paper", "toy", "--scale", "tiny", "--dry-run", env=res)
    assert r.returncode == 0, r.stderr
    assert "4 run(s): 0 cached, 4 to run, 0 without data (tiny)" in r.stdout and "to run   unknown  toy: median / gaussian / seed 1" in r.stdout and "est. unknown (4 without a timing)" in r.stdout
    r = cli("runs", "--paper", "toy", "--scale", "tiny", "--executor", "submitit-local", env=res)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "4 computed, 0 cached, 0 with data unavailable, 0 failed" in r.stdout
    assert len(list((tmp_path/"results"/"tiny"/"toy").glob("*.json"))) == 4
    r = cli("runs", "--paper", "toy", "--scale", "tiny", "--dry-run", env=res)
    assert "4 run(s): 4 cached, 0 to run, 0 without data" in r.stdout
    r = cli("reproduce", "--paper", "toy", "--scale", "tiny", "--out", str(tmp_path/"figures"), env=res)
    assert r.returncode == 0, r.stdout + r.stderr
    m = json.loads((tmp_path/"figures"/"toy"/"toy.table1.manifest.json").read_text())
    assert m["status"] == "ok" and m["claims"][0]["status"] == "pass", m["claims"]
    assert "median" in (tmp_path/"figures"/"toy"/"toy.table1.csv").read_text()


def test_unknown_paper_module_and_run_parameter_are_one_line_errors():
    r = cli("runs", "--paper", "toy", "--dry-run", env={"PAPERLIB_PAPERS": "no_such_paper"})
    assert r.returncode == 2 and "cannot import 'no_such_paper'" in r.stderr and "Traceback" not in r.stderr
    r = cli("runs", "--paper", "toy", "--param", "nope=1", "--dry-run")
    assert r.returncode == 2 and "not a run parameter" in r.stderr
    r = cli("runs", "--paper", "nopaper", "--dry-run")
    assert r.returncode == 2 and "unknown paper 'nopaper'" in r.stderr
