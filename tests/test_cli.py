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


def _movies_predictions(path, shared, break_line=None):
    "A prediction file for every ERASER Movies test annotation: two spans, soft scores, class probabilities."
    import json
    from paperlib.eraser import read_annotations, read_documents
    folder = shared/"eraser"/"movies"; anns = read_annotations(folder/"test.jsonl")
    docs = read_documents(folder, {a["docids"][0] for a in anns})
    lines = []
    for i, a in enumerate(anns):
        d = a["docids"][0]; n = sum(map(len, docs[d]))
        lines.append(json.dumps({"annotation_id": a["annotation_id"], "classification": "POS", "classification_scores": {"POS": 0.7, "NEG": 0.3},
                                 "rationales": [{"docid": d, "hard_rationale_predictions": [{"start_token": 0, "end_token": 5}, {"start_token": 10, "end_token": 12}],
                                                 "soft_rationale_predictions": [((t * 7919) % 101) / 100 for t in range(n if i != break_line else n - 1)]}]}))
    path.write_text("\n".join(lines) + "\n"); return path


def test_eraser_metrics_cli(tmp_path, shared):
    import json
    pred = _movies_predictions(tmp_path/"pred.jsonl", shared)
    r = run("eraser-metrics", "--data-dir", str(shared/"eraser"/"movies"), "--split", "test", "--results", str(pred), "--score-file", str(tmp_path/"s.json"))
    assert r.returncode == 0, r.stderr
    s = json.loads((tmp_path/"s.json").read_text())
    assert sorted(s) == ["classification_scores", "iou_scores", "rationale_prf", "token_prf", "token_soft_metrics"]
    assert abs(s["classification_scores"]["accuracy"] - s["classification_scores"]["prf"]["POS"]["support"] / 199) < 1e-12   # everything predicted POS
    bad = _movies_predictions(tmp_path/"bad.jsonl", shared, break_line=3)
    r = run("eraser-metrics", "--data-dir", str(shared/"eraser"/"movies"), "--split", "test", "--results", str(bad))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "bad.jsonl:4: rationales[0].soft_rationale_predictions" in r.stderr, r.stderr
