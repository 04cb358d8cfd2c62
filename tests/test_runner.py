"""`paperlib reproduce`: dry run, outputs + manifest + index, cache hits, resume after kill -9, errors."""
import json, os, signal, subprocess, sys, time
from pathlib import Path
import pytest
from paperlib import reproduce as runner      # the papermill runner (`paperlib reproduce`)
from paperlib.registry import REGISTRY, artifact_ids_in, load_papers, select
from paperlib.core import parse_params
from paperlib.reproduce import check_parameters, plan, reproduce
from paperlib.core import ConfigError

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).parent/"paperlib")
STATS = ["saloss.table5", "lra.table7", "er.table6"]


def cli(*args, **kw):
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"}, **kw)


def test_registry_matches_paper_artifacts():
    md = ROOT.parent/"shared"/"paper_artifacts.md"
    if not md.exists():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"): pytest.fail(f"CI: {md} not beside the checkout")
        pytest.skip("shared/paper_artifacts.md not beside the checkout")
    assert artifact_ids_in(md.read_text()) == set(load_papers())


def test_dry_run_lists_every_id():
    r = cli("reproduce", "--dry-run", "--scale", "tiny")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("plan (tiny scale") and any(l.strip().startswith("total est.") for l in lines)   # the plan first
    listed = {l.split()[0] for l in lines if l.strip() and not l.startswith(("plan", " "))}
    assert listed == set(load_papers())


def test_unknown_parameter_and_id_are_errors():
    nb = ROOT/"nbs"/"experiments"/"artifact.ipynb"
    with pytest.raises(ConfigError, match="unknown parameter"): check_parameters(nb, {"artifact_id": "x", "sclae": "tiny"})
    r = cli("reproduce", "nope.table1")
    assert r.returncode == 2 and "unknown artifact id" in r.stderr and "Traceback" not in r.stderr


def test_extra_parameters_reach_the_artifacts_that_take_them(tmp_path):
    assert parse_params(["sample_k=1", "model=minilm", "x=0.5"]) == {"sample_k": 1, "model": "minilm", "x": 0.5}
    with pytest.raises(ConfigError, match="NAME=VALUE"): parse_params(["sample_k"])
    js = plan(select(["unirex.table4", "saloss.table5"]), "tiny", out_root=tmp_path/"f", extra={"sample_k": 2})
    got = {j.art.id: j.params.get("params", {}).get("sample_k") for j in js}
    assert got == {"unirex.table4": 2, "saloss.table5": None}
    base = plan(select(["unirex.table4"]), "tiny", out_root=tmp_path/"f")[0]
    assert base.key != js[[j.art.id for j in js].index("unirex.table4")].key      # the parameter is part of the cache key
    with pytest.raises(ConfigError, match="not a parameter of any selected artifact"):
        plan(select(["saloss.table5"]), "tiny", out_root=tmp_path/"f", extra={"sample_k": 1})
    r = cli("reproduce", "saloss.table5", "--param", "nope=1", "--dry-run")
    assert r.returncode == 2 and "nope" in r.stderr and "Traceback" not in r.stderr


def test_reproduce_writes_table_manifest_index_then_cache_hit(shared, tmp_path):
    out = tmp_path/"figures"
    r = cli("reproduce", "saloss.table5", "--scale", "tiny", "--data-dir", str(shared), "--out", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    plan = r.stdout.splitlines()[:4]                       # the plan comes before any work, with an estimate
    assert plan[0].startswith("plan (tiny scale; data: ") and any(l.strip().startswith("saloss  1 artifact(s) to draw, 0 cached") for l in plan), plan
    assert any(l.strip().startswith("total est.") for l in plan), plan
    d = out/"saloss"
    for ext in ("csv", "md", "manifest.json"): assert (d/f"saloss.table5.{ext}").exists()
    m = json.loads((d/"saloss.table5.manifest.json").read_text())
    assert m["scale"] == "tiny" and m["status"] == "ok" and set(m["outputs"]) == {"saloss.table5.csv", "saloss.table5.md"}
    assert {"id", "notebook", "parameters", "data_fingerprint", "paperlib_version", "git_commit", "start", "end", "duration_s"} <= set(m)
    assert any(c["name"].startswith("SST") and c["status"] == "pass" for c in m["claims"])
    assert "6920" in (d/"saloss.table5.csv").read_text()
    assert "saloss.table5" in (out/"index.md").read_text()
    t = time.time()
    r2 = cli("reproduce", "saloss.table5", "--scale", "tiny", "--data-dir", str(shared), "--out", str(out))
    assert r2.returncode == 0 and "1 cached" in r2.stdout and time.time() - t < 30
    (d/"saloss.table5.csv").write_text("tampered")          # a damaged output is not a cache hit
    r3 = cli("reproduce", "saloss.table5", "--scale", "tiny", "--data-dir", str(shared), "--out", str(out))
    assert "1 regenerated" in r3.stdout and "6920" in (d/"saloss.table5.csv").read_text()
    st = cli("list", "--paper", "saloss", "--out", str(out))
    assert any(l.startswith("saloss.table5") and l.rstrip().endswith("ok") for l in st.stdout.splitlines())


def test_executed_notebook_is_kept_beside_the_artifact_scrubbed_and_linked(shared, tmp_path):
    """`paperlib reproduce` writes a copy of the executed notebook beside the artifact's outputs (`<id>.ipynb`): the manifest names
    it (relative to its folder) and the index links it; it names no folder of the machine (the checkout, the data folder, the
    temporary folder, the home, /work, /tmp, /root: not in its parameters cell, outputs or papermill's metadata) and stays small.
    Deleted, it is written again (the artifact is not a cache hit without it)."""
    out = tmp_path/"figures"
    r = cli("reproduce", "saloss.table5", "--scale", "tiny", "--data-dir", str(shared), "--out", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    d = out/"saloss"; exe = d/"saloss.table5.ipynb"
    m = json.loads((d/"saloss.table5.manifest.json").read_text())
    assert m["executed_notebook"] == "saloss.table5.ipynb" and exe.is_file()
    row = next(l for l in (out/"index.md").read_text().splitlines() if l.startswith("| saloss.table5 |"))
    assert "[executed notebook](saloss/saloss.table5.ipynb)" in row, row
    text = exe.read_text(); nb = json.loads(text)
    machine = {str(ROOT), str(ROOT.resolve()), str(shared), str(shared.resolve()), str(tmp_path), str(tmp_path.resolve()), "/root", "/tmp", "/work"}
    if len(Path.home().parts) > 1: machine.add(str(Path.home()))
    assert not [bad for bad in machine if bad in text], [bad for bad in machine if bad in text]
    pm = nb["metadata"]["papermill"]
    assert pm["input_path"] == "nbs/experiments/artifact.ipynb" and pm["parameters"]["data_dir"] == m["parameters"]["data_dir"] == m["data"]
    assert pm["parameters"]["out_dir"] == "…/saloss" and pm["parameters"]["artifact_id"] == "saloss.table5"
    injected = next(c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", []))
    assert f'data_dir = "{m["data"]}"' in "".join(injected["source"])
    shown = "".join(t for c in nb["cells"] for o in c.get("outputs", []) for t in o.get("text", []))
    assert "6920" in shown and len(text) < 200_000                    # the table as the notebook printed it; no data dump
    exe.unlink()
    r2 = cli("reproduce", "saloss.table5", "--scale", "tiny", "--data-dir", str(shared), "--out", str(out))
    assert r2.returncode == 0 and "1 regenerated" in r2.stdout and exe.is_file(), r2.stdout + r2.stderr


def test_kill_9_then_resume(shared, tmp_path):
    out = tmp_path/"figures"
    args = [EXE, "reproduce", *STATS, "--scale", "tiny", "--data-dir", str(shared), "--out", str(out)]
    p = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and not list(out.glob("*/*.manifest.json")): time.sleep(0.2)
    os.killpg(p.pid, signal.SIGKILL); p.wait()
    done_before = {m.name for m in out.glob("*/*.manifest.json")}
    assert 1 <= len(done_before) < 3
    r = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"{len(done_before)} cached" in r.stdout
    for a in STATS:
        paper = a.split(".")[0]
        m = json.loads((out/paper/f"{a}.manifest.json").read_text()); assert m["status"] == "ok"
        assert (out/paper/f"{a}.csv").read_text().count("\n") > 3
    # the resumed outputs equal a clean run's
    clean = tmp_path/"clean"
    subprocess.run([*args[:-1], str(clean)], cwd=ROOT, capture_output=True, check=True)
    for a in STATS:
        paper = a.split(".")[0]
        assert (out/paper/f"{a}.csv").read_text() == (clean/paper/f"{a}.csv").read_text()


def test_failing_notebook_does_not_stop_others(tmp_path, monkeypatch):
    nbdir = tmp_path/"nbs"/"experiments"; nbdir.mkdir(parents=True)
    import nbformat
    good = nbformat.read(str(ROOT/"nbs"/"experiments"/"artifact.ipynb"), as_version=4)
    bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("artifact_id='x'\nscale='tiny'\ndata_dir=''\nout_dir=''\ndevice='auto'\nseeds=1\nmodel='minilm'", metadata={"tags": ["parameters"]}),
                                          nbformat.v4.new_code_cell("raise RuntimeError('boom')")])
    nbformat.write(bad, str(nbdir/"bad.ipynb")); nbformat.write(good, str(nbdir/"artifact.ipynb"))
    monkeypatch.setattr(runner, "repo_root", lambda: tmp_path)
    reg = {"t.bad": runner.Artifact("t.bad", "table", "fails", "bad.ipynb", {"artifact_id": "t.bad"}),
           "saloss.table5": load_papers()["saloss.table5"]}
    import paperlib.registry as registry
    monkeypatch.setattr(registry, "REGISTRY", reg)
    s = reproduce(["t.bad", "saloss.table5"], scale="tiny", out_root=tmp_path/"figs", progress=False, log=lambda *a: None)
    assert "t.bad" in s["failed"] and "boom" in s["failed"]["t.bad"] and s["ok"] == ["saloss.table5"]


def test_device_cuda_without_gpu_is_a_one_line_error_before_work(tmp_path):
    import torch
    if torch.cuda.is_available(): pytest.skip("a GPU is present")
    r = cli("reproduce", "saloss.table5", "--device", "cuda", "--scale", "tiny", "--out", str(tmp_path/"f"))
    assert r.returncode == 2 and "sees no CUDA GPU" in r.stderr and r.stderr.count("\n") == 1
    assert not (tmp_path/"f").exists()                      # nothing was started


STALELAB = {
    "__init__.py": "",
    "base.py": "class Base:\n    version = '1'\n    def data_key(self, r, data_dir): return {}\n    def alias(self, r): return None\n"
               "    def estimate(self, r): return 1.0\n",
    "losses.py": "def loss(x): return x\n",
    "metrics.py": "def score(x): return x\n",
    "fa.py": "from .base import Base\nfrom .losses import loss\nclass R(Base):\n    def execute(self, r, data_dir=None, device='auto', log=print): return {'v': loss(r.seed)}\n",
    "fb.py": "from .base import Base\nfrom .metrics import score\nclass R(Base):\n    def execute(self, r, data_dir=None, device='auto', log=print): return {'v': score(r.seed)}\n",
    "artifacts.py": """from pathlib import Path
from paperlib import experiment as X
from paperlib.registry import Artifact, register
from . import fa, fb
X.RUNNERS.register("stla", replace=True)(fa.R()); X.RUNNERS.register("stlb", replace=True)(fb.R())
SCALES = {"tiny": {"seeds": (0, 1)}}
def runs(paper): return lambda aid, cfg, seeds=0: [X.Run(paper, "m", {}, "data", s, cfg) for s in (range(seeds) if seeds else cfg["seeds"])]
for p in ("stla", "stlb"):
    register(Artifact(f"{p}.table1", "table", "values", str(Path(__file__).parent/"t.ipynb"), {"artifact_id": f"{p}.table1"}, runs=runs(p), scales=SCALES))
"""}
STALELAB_NB = ("import pandas as pd\nfrom paperlib import experiment as X\nfrom paperlib.report import write_table, write_result\nimport stalelab.artifacts as T\n"
               "rs = [X.run(r) for r in T.runs(artifact_id.split('.')[0])(artifact_id, X.scale_config(T.SCALES, scale), seeds)]\n"
               "outs = write_table(pd.DataFrame({'v': [r['v'] for r in rs]}), out_dir, artifact_id, {'scale': scale, 'seeds': len(rs)})\n"
               "write_result(out_dir, artifact_id, outs, [], {'scale': scale, 'model': 'none', 'data': 'none', 'seeds': len(rs)})\n")


def test_editing_a_module_marks_exactly_its_results_stale(tmp_path):
    """Two papers' runners in a package written here: `stla` imports `losses`, `stlb` imports `metrics`. Editing the losses makes
    exactly `stla`'s results stale (runs, list, index, plan); --rerun-stale recomputes those and nothing else; --stamp-source
    records today's source in a result that has none without touching its numbers."""
    import nbformat
    lab = tmp_path/"stalelab"; lab.mkdir()
    for k, v in STALELAB.items(): (lab/k).write_text(v)
    nbformat.write(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("artifact_id = 'stla.table1'\nscale = 'tiny'\ndata_dir = ''\nout_dir = ''\nseeds = 0", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(STALELAB_NB)]), str(lab/"t.ipynb"))
    res, out = tmp_path/"results", tmp_path/"figures"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PAPERLIB_PAPERS": "stalelab.artifacts", "PAPERLIB_RESULTS": str(res),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}
    def run(*args):
        r = subprocess.run([EXE, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)
        assert r.returncode == 0, r.stdout + r.stderr
        return r.stdout
    files = lambda p: {f.name: f.read_text() for f in (res/"tiny"/p).glob("*.json")}
    line = lambda text, start: next(l for l in text.splitlines() if l.startswith(start))

    assert "4 computed" in run("runs", "stla.table1", "stlb.table1", "--scale", "tiny")
    assert "2 regenerated" in run("reproduce", "stla.table1", "stlb.table1", "--scale", "tiny", "--out", str(out))
    src = json.loads(next(iter(files("stla").values())))["source"]
    assert src["modules"] == ["stalelab.base", "stalelab.fa", "stalelab.losses"]
    assert "STALE" not in run("list", "--scale", "tiny", "--out", str(out))
    sa0, sb0 = files("stla"), files("stlb")

    (lab/"losses.py").write_text("def loss(x): return 10 * x      # the fix\n")
    o = run("runs", "stla.table1", "stlb.table1", "--scale", "tiny", "--dry-run")
    assert [l.split()[0] for l in o.splitlines() if l.startswith(("cached", "stale"))] == ["stale", "stale", "cached", "cached"], o
    assert "4 run(s): 4 cached, 0 to run" in o and "of the cached: 2 stale" in o
    o = run("list", "--scale", "tiny", "--out", str(out))
    assert "STALE: 2 of its 2 runs" in line(o, "stla.table1") and "STALE" not in line(o, "stlb.table1")
    o = run("reproduce", "stla.table1", "stlb.table1", "--scale", "tiny", "--out", str(out))   # without the flag: stale results still used
    assert "stale" in line(o, "  stla") and "stale" not in line(o, "  stlb") and (files("stla"), files("stlb")) == (sa0, sb0), o
    index = (out/"index.md").read_text()
    assert "STALE" in line(index, "| stla.table1") and "STALE" not in line(index, "| stlb.table1")

    o = run("reproduce", "stla.table1", "stlb.table1", "--scale", "tiny", "--out", str(out), "--rerun-stale")
    assert "runs: 2 computed," in o and "2 stale, recomputed now" in line(o, "  stla"), o
    assert (out/"stla"/"stla.table1.csv").read_text().split() == [",v", "0,0", "1,10"]     # drawn again, from the recomputed runs
    assert files("stlb") == sb0 and all(files("stla")[f] != sa0[f] for f in sa0)            # exactly the stale runs were recomputed
    assert sorted(json.loads(t)["result"]["v"] for t in files("stla").values()) == [0, 10]
    assert "STALE" not in (out/"index.md").read_text() and "STALE" not in run("list", "--scale", "tiny", "--out", str(out))

    (lab/"losses.py").write_text("def loss(x): return 100 * x\n")                      # paperlib runs --rerun-stale
    o = run("runs", "stla.table1", "stlb.table1", "--scale", "tiny", "--rerun-stale")
    assert "2 computed, 0 cached" in o and [l.split()[0] for l in o.splitlines()[:4]] == ["stale", "stale", "cached", "cached"] and files("stlb") == sb0

    f = next(iter((res/"tiny"/"stlb").glob("*.json"))); d = json.loads(f.read_text()); d.pop("source")   # a result from before sources
    f.write_text(json.dumps(d, indent=1) + "\n")
    assert "of the cached: 0 stale" in run("runs", "stlb.table1", "--scale", "tiny", "--dry-run")
    assert "recorded today's source in 1 result(s)" in run("runs", "stlb.table1", "--scale", "tiny", "--stamp-source")
    assert json.loads(f.read_text()) == {**d, "source": json.loads(sb0[f.name])["source"]}


def test_artifacts_name_no_folder_of_the_machine_and_say_data_unavailable(shared, tmp_path):
    """What a tiny reproduce writes (tables, manifests, results, status, index) names no absolute folder of the machine: not the
    checkout, the data folder, the temporary folder, /root, /tmp or /work; UNIREX Table 7 (MultiRC, not in the data) is drawn
    with every row unavailable: its status is `data unavailable`, counted apart in the index; one seed's std reads `–`."""
    out = tmp_path/"figures"
    r = cli("reproduce", "saloss.table1", "unirex.table7", "--scale", "tiny", "--data-dir", str(shared), "--out", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    texts = {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*") if p.is_file() and p.suffix in (".md", ".csv", ".json", ".html", ".ipynb")}
    assert {"index.md", "status.json", "unirex/unirex.table7.manifest.json", "saloss/saloss.table1.md", "unirex/unirex.table7.ipynb"} <= set(texts)
    machine = {str(ROOT), str(ROOT.resolve()), str(shared), str(shared.resolve()), str(tmp_path), str(tmp_path.resolve()), "/root", "/tmp", "/work"}
    if len(Path.home().parts) > 1: machine.add(str(Path.home()))
    found = [(name, bad) for name, text in texts.items() for bad in machine if bad in text]
    assert not found, found
    m = json.loads(texts["unirex/unirex.table7.manifest.json"])
    assert m["status"] == "data unavailable" and m["notebook"] == "nbs/experiments/artifact.ipynb" and m["parameters"]["data_dir"] == m["data"]
    assert runner.is_cached(next(j for j in plan(select(["unirex.table7"]), "tiny", str(shared), out_root=out)))   # still a cache hit
    lst = cli("list", "--paper", "unirex", "--scale", "tiny", "--out", str(out)).stdout
    assert next(l for l in lst.splitlines() if l.startswith("unirex.table7 ")).split(None, 3)[3].startswith("data unavailable")
    index = texts["index.md"].splitlines()
    assert next(l for l in index if l.startswith("| unirex |")).split(" | ")[1].startswith("1 data unavailable")
    assert next(l for l in index if l.startswith("| saloss |")).split(" | ")[1].startswith("1 ok")
    assert "| data unavailable |" in next(l for l in index if l.startswith("| unirex.table7 |"))
    head, _, *rows = texts["saloss/saloss.table1.md"].split("\n\n", 1)[1].splitlines()
    cols = [c.strip() for c in head.split("|")]
    assert all(row.split("|")[cols.index("SST std")].strip() == "–" for row in rows)       # one seed: no spread, not 0.000


def test_index_links_only_files_git_keeps():
    "The index links no output git ignores (`.gitignore`: /figures/**/*.pdf), and every kind of output it does link is kept."
    def ignored(name):
        r = subprocess.run(["git", "check-ignore", "-q", "--no-index", f"figures/smoke/unirex/{name}"], cwd=ROOT)
        assert r.returncode in (0, 1), r
        return r.returncode == 0
    if subprocess.run(["git", "rev-parse"], cwd=ROOT, capture_output=True).returncode: pytest.skip("not a git checkout")
    assert all(ignored(f"x{s}") for s in runner.UNCOMMITTED_SUFFIXES)
    assert not any(ignored(f"x.{s}") for s in ("csv", "md", "png", "html", "manifest.json", "result.json", "ipynb"))
