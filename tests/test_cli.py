import subprocess, sys, os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = [str(Path(sys.executable).parent/"paperlib")]


def run(*args, **kw):
    return subprocess.run(EXE + list(args), capture_output=True, text=True, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, **kw)


def test_data_check_real(shared):
    r = run("data", "check", "--data-dir", str(shared))
    assert r.returncode == 0, r.stderr
    lines = {l.split()[0] + (" " + l.split()[1] if l.startswith("cos_e") else ""): l for l in r.stdout.splitlines()[1:] if l and not l.startswith(" ")}
    assert lines["sst"].split()[2:5] == ["6,920", "872", "1,821"]
    assert lines["eraser/movies"].split()[2:5] == ["1,600", "200", "199"]
    assert lines["eraser/cose"].split()[2:5] == ["8,752", "1,086", "1,079"]
    assert lines["esnli"].split()[2:5] == ["-", "9,842", "9,824"]


def test_cli_error_is_one_line_exit_2(tmp_path):
    r = run("data", "check", "--data-dir", str(tmp_path/"missing"))
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
