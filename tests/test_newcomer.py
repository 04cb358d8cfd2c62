"""A newcomer's first hour, played on a fresh clone of the repository (issue #14).

`make reproduce` on a small selection prints its plan before any work and leaves tracked files alone; Ctrl-C in the
middle stops the whole run cleanly and the rerun resumes; a corrupt data file fails its artifact; synthetic stand-in
data is never set beside the paper's numbers; `--device cuda` without a GPU stops before any work.

The clone runs its own code (PYTHONPATH) with this checkout's installed environment, so `make install` is a no-op here
(the clone's install stamp is given); every other step is the newcomer's."""
import json, os, signal, subprocess, sys, time
from pathlib import Path
import pytest
from conftest import need_data

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.executable).parent.parent
STATS = ["saloss.table5", "lra.table7", "er.table6"]          # three cheap artifacts: dataset statistics


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    d = tmp_path_factory.mktemp("newcomer")
    subprocess.run(["git", "clone", "-q", str(ROOT), str(d/"paperlib")], check=True)
    (d/"installed").touch()                                     # newer than the clone's pyproject.toml: install is done
    return d/"paperlib"


def env(clone):
    e = {k: v for k, v in os.environ.items() if not k.startswith("PAPERLIB_")}   # no data folder, no results override
    return {**e, "PYTHONPATH": str(clone), "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}


def make(clone, *args, data_dir=None):
    "The command line of `make reproduce VAR=...` in the clone."
    extra = [f"DATA_DIR={data_dir}"] if data_dir else []
    return ["make", "-s", "-C", str(clone), "reproduce", f"VENV={VENV}", f"STAMP={clone.parent/'installed'}", *extra, *args]


def run(clone, *args, data_dir=None, timeout=600):
    return subprocess.run(make(clone, *args, data_dir=data_dir), capture_output=True, text=True, env=env(clone), cwd=clone, timeout=timeout)


def git(clone, *args):
    return subprocess.run(["git", *args], cwd=clone, capture_output=True, text=True, check=True).stdout.split("\n")


def changed(clone):
    "Tracked files that differ from the commit, and untracked files (one entry per file)."
    return {l[3:] for l in git(clone, "status", "--porcelain", "--untracked-files=all") if l}


def test_the_clone_runs_its_own_code(clone):
    r = subprocess.run([sys.executable, "-c", "import paperlib; print(paperlib.__file__)"], capture_output=True, text=True, env=env(clone), cwd=clone)
    assert r.stdout.startswith(str(clone)), r.stdout + r.stderr


def test_first_reproduce_prints_its_plan_first_and_writes_only_its_scale(clone):
    data = need_data("sst")
    r = run(clone, "SCALE=tiny", "ARGS=saloss.table5 lra.table7", data_dir=data)
    assert r.returncode == 0, r.stdout + r.stderr
    first = r.stdout.splitlines()[:7]
    assert first[0] == f"plan (tiny scale; data: {data.resolve()}):", first
    assert any(l.strip().startswith("saloss  1 artifact(s) to draw, 0 cached") for l in first), first
    assert any(l.strip().startswith("data: all found (sst, ag_news, eraser") for l in first), first
    assert any(l.strip().startswith("total est.") for l in first), first
    assert "2 regenerated, 0 cached, 0 failed" in r.stdout
    assert {p.split("/")[1] for p in changed(clone)} == {"tiny"}, changed(clone)    # figures/tiny/... only: smoke untouched
    lst = subprocess.run([str(VENV/"bin"/"paperlib"), "list", "--paper", "saloss", "--scale", "tiny"], capture_output=True, text=True,
                         env=env(clone), cwd=clone).stdout
    assert any(l.startswith("saloss.table5") and l.endswith("ok (your run)") for l in lst.splitlines()), lst
    lst = subprocess.run([str(VENV/"bin"/"paperlib"), "list", "--paper", "saloss"], capture_output=True, text=True, env=env(clone), cwd=clone).stdout
    assert any(l.startswith("saloss.table5") and l.endswith("(committed reference results)") for l in lst.splitlines()), lst


def test_ctrl_c_stops_the_whole_run_cleanly_and_the_rerun_resumes(clone):
    data = need_data("sst")
    before = changed(clone)
    t0 = time.time()
    p = subprocess.Popen(make(clone, "SCALE=smoke", f"ARGS={' '.join(STATS)} --force", data_dir=data), stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, env=env(clone), cwd=clone, start_new_session=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))   # a runner started in the background
    # (nohup, `&`) passes SIGINT on ignored, and ignored it would stay in the whole tree: a terminal's Ctrl-C is never ignored
    # Ctrl-C as soon as the first artifact's manifest is rewritten (one stat per poll): not from `git status` (slow in a clone
    # that earlier tests filled), not from the progress bar (a pipe may hold it back), not after a fixed sleep
    manifest = clone/"figures"/"smoke"/"saloss"/"saloss.table5.manifest.json"
    while not (manifest.exists() and manifest.stat().st_mtime > t0):
        assert p.poll() is None and time.time() - t0 < 300, "the run ended before it could be interrupted"
        time.sleep(0.05)
    time.sleep(1)                                               # into the second artifact (its kernel starting; it runs ≈ 15 s)
    os.killpg(p.pid, signal.SIGINT)                             # what Ctrl-C in a terminal does
    out, _ = p.communicate(timeout=120)
    assert p.returncode != 0, out
    assert "interrupted: 1 artifact(s) drawn and 0 cached are kept; 2 remain (lra.table7, er.table6)" in out, out
    assert "Traceback" not in out, out
    now = changed(clone) - before
    assert all(f.startswith(("figures/smoke/saloss/", "figures/smoke/status.json", "figures/smoke/index.md")) for f in now), now
    assert not [f for f in now if "lra" in f or "er.table6" in f], now              # the interrupted artifact's files: untouched
    status = json.loads((clone/"figures"/"smoke"/"status.json").read_text())
    assert status["saloss.table5"] == {"status": "ok"}
    assert (clone/"figures"/"smoke"/"index.md").stat().st_mtime > t0
    kept = list((clone/"runs").glob("*/lra.table7.ipynb"))                        # the interrupted notebook, as far as it ran
    assert kept, list((clone/"runs").glob("*/*"))
    r = run(clone, "SCALE=smoke", f"ARGS={' '.join(STATS)}", data_dir=data)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "saloss  0 artifact(s) to draw, 1 cached" in r.stdout and "lra     1 artifact(s) to draw, 0 cached" in r.stdout, r.stdout
    assert "2 regenerated, 1 cached, 0 failed" in r.stdout, r.stdout
    assert all(v == {"status": s} for v, s in zip((json.loads((clone/"figures"/"smoke"/"status.json").read_text())[a] for a in STATS),
                                                   ("cached", "ok", "ok")))


def test_a_corrupt_data_file_fails_its_artifact(clone, tmp_path):
    shared = need_data("eraser/movies")
    data = tmp_path/"data"; (data/"eraser"/"movies").mkdir(parents=True)             # the shared data, one file truncated
    for d in shared.iterdir():
        if d.name != "eraser": (data/d.name).symlink_to(d)
    (data/"eraser"/"cose").symlink_to(shared/"eraser"/"cose")
    for f in (shared/"eraser"/"movies").iterdir():
        if f.name != "test.jsonl": (data/"eraser"/"movies"/f.name).symlink_to(f)
    lines = (shared/"eraser"/"movies"/"test.jsonl").read_text().splitlines(True)
    lines[56] = lines[56][:57] + "\n"
    (data/"eraser"/"movies"/"test.jsonl").write_text("".join(lines))
    out = tmp_path/"figures"
    r = run(clone, "SCALE=tiny", f"ARGS=er.table6 --out {out}", data_dir=data)
    err = "DataError: " + str(data/"eraser"/"movies"/"test.jsonl") + ":57: malformed JSON (Expecting ',' delimiter: the line ends after character 57, truncated?)"
    assert r.returncode != 0 and f"failed er.table6: {err}" in r.stdout, r.stdout + r.stderr
    kept = err.replace(str(data), "$PAPERLIB_DATA_DIR")                       # the console names the file; status.json no folder of the machine
    assert json.loads((out/"status.json").read_text())["er.table6"] == {"status": "failed", "error": kept}
    assert not (out/"er"/"er.table6.manifest.json").exists() and not (out/"er"/"er.table6.csv").exists()
    c = subprocess.run([str(VENV/"bin"/"paperlib"), "data", "check", "--data-dir", str(data)], capture_output=True, text=True, env=env(clone), cwd=clone)
    assert c.returncode == 1 and "test.jsonl:57:" in c.stdout + c.stderr, c.stdout + c.stderr


def test_stand_in_data_is_never_beside_the_papers_numbers(clone, tmp_path):
    out = tmp_path/"figures"
    r = run(clone, "SCALE=tiny", f"ARGS=unirex.table2 --out {out}")      # the clone's data/ holds only its README
    assert r.returncode == 0, r.stdout + r.stderr
    assert "MISSING: sst, imdb_sample (synthetic stand-ins where allowed" in r.stdout, r.stdout
    d = out/"unirex"
    table = (d/"unirex.table2.csv").read_text()
    assert "synthetic (stand-in: sst not in the data folder)" in table and "paper" not in table.splitlines()[0].lower(), table
    m = json.loads((d/"unirex.table2.manifest.json").read_text())
    assert "SYNTHETIC STAND-INS only" in m["data"], m["data"]
    # no verdict on stand-in data: a claim is "not testable" (saying why), or "not run" where its transfer targets are absent too
    assert m["claims"] and all((c["status"] == "not testable" and "stand-in" in c["detail"]) or c["status"] == "not run" for c in m["claims"]), m["claims"]
    assert not any(c["status"] in ("pass", "fail", "partly holds") for c in m["claims"]), m["claims"]
    row = next(l for l in (out/"index.md").read_text().splitlines() if l.startswith("| unirex.table2 "))
    assert "SYNTHETIC STAND-INS" in row and ("not testable" in row or "not run" in row), row


def test_device_cuda_without_a_gpu_stops_before_any_work(clone, tmp_path):
    import torch
    if torch.cuda.is_available(): pytest.skip("a GPU is present")
    r = run(clone, "SCALE=tiny", f"ARGS=saloss.table5 --device cuda --out {tmp_path/'f'}")
    said = [l for l in r.stderr.splitlines() if l.startswith("paperlib:")]
    assert r.returncode != 0 and len(said) == 1 and "sees no CUDA GPU" in said[0], r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path/"f").exists()
