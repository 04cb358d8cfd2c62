"""ERASER scorer speed: `paperlib eraser-metrics` (paperlib.eraser.eraser_metrics) against a direct loop over the
annotations with ERASER metrics.py's algorithm (paperlib.eraser.direct_scores), on equal work: ERASER Movies test
(199 documents) with a written prediction file (hard spans, soft token scores, class probabilities and thresholded
scores for every document). Prints a table; both must give the same numbers.

    .venv/bin/python benchmarks/bench_eraser.py [--data-dir ../shared/data] [--repeat 3]
"""
import argparse, json, random, tempfile, time
from pathlib import Path
from paperlib.core import data_dir as resolve_dir
from paperlib.eraser import read_annotations, read_documents, read_results, score, direct_scores, eraser_metrics

def write_predictions(folder: Path, out: Path, seed=0) -> Path:
    rng = random.Random(seed); anns = read_annotations(folder/"test.jsonl")
    docs = read_documents(folder, {e[0] for a in anns for g in a["evidences"] for e in g} | {a["docids"][0] for a in anns})
    with open(out, "w") as f:
        for a in anns:
            d = a["docids"][0]; n = sum(map(len, docs[d])); starts = sorted(rng.sample(range(0, n - 10), 5))
            spans = [{"start_token": s, "end_token": s + rng.randint(1, 8)} for s in starts]
            spans = [s for i, s in enumerate(spans) if i == 0 or s["start_token"] >= spans[i - 1]["end_token"]]
            p = rng.random(); cs = {"POS": p, "NEG": 1 - p}
            thr = [{"threshold": t, "comprehensiveness_classification_scores": {"POS": (u := rng.random()), "NEG": 1 - u},
                    "sufficiency_classification_scores": {"POS": (v := rng.random()), "NEG": 1 - v}} for t in (0.01, 0.05, 0.1, 0.2, 0.5)]
            f.write(json.dumps({"annotation_id": a["annotation_id"], "classification": max(cs, key=cs.get), "classification_scores": cs,
                                "comprehensiveness_classification_scores": thr[3]["comprehensiveness_classification_scores"],
                                "sufficiency_classification_scores": thr[3]["sufficiency_classification_scores"], "thresholded_scores": thr,
                                "rationales": [{"docid": d, "hard_rationale_predictions": spans, "soft_rationale_predictions": [round(rng.random(), 3) for _ in range(n)]}]}) + "\n")
    return out

def main():
    ap = argparse.ArgumentParser(); ap.add_argument("--data-dir", default=None); ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args(); folder = resolve_dir(a.data_dir)/"eraser"/"movies"
    pred = write_predictions(folder, Path(tempfile.mkdtemp())/"pred.jsonl")
    anns = read_annotations(folder/"test.jsonl"); t0 = time.perf_counter()
    t_all = []
    for _ in range(a.repeat): t = time.perf_counter(); ours = eraser_metrics(folder, "test", pred); t_all.append(time.perf_counter() - t)
    docs = read_documents(folder, {json.loads(l)["rationales"][0]["docid"] for l in open(pred)} | {e[0] for x in anns for g in x["evidences"] for e in g})
    res = read_results(pred, docs)
    t_score, t_direct = [], []
    for _ in range(a.repeat):
        t = time.perf_counter(); s = score(anns, res, docs); t_score.append(time.perf_counter() - t)
        t = time.perf_counter(); ref = direct_scores(anns, res, docs); t_direct.append(time.perf_counter() - t)
    worst = max(abs(ours[k][i][m][q] - ref[k][i][m][q]) for k in ("iou_scores",) for i in range(len(ref[k])) for m in ("micro", "macro") for q in ("p", "r", "f1"))
    for k in ("rationale_prf", "token_prf"):
        worst = max(worst, *(abs(s[k][m][q] - ref[k][m][q]) for m in ("instance_micro", "instance_macro") for q in ("p", "r", "f1")))
    worst = max(worst, *(abs(s["token_soft_metrics"][q] - ref["token_soft_metrics"][q]) for q in ref["token_soft_metrics"]))
    worst = max(worst, *(abs(s["classification_scores"][q] - ref["classification_scores"][q]) for q in ("comprehensiveness", "sufficiency", "comprehensiveness_aopc", "sufficiency_aopc", "comprehensiveness_kl", "sufficiency_entropy")))
    n_tok = sum(len(r["rationales"][0]["soft_rationale_predictions"]) for r in res)
    print(f"ERASER Movies test: {len(anns)} annotations, {n_tok} predicted token scores; best of {a.repeat}; max |ours - direct| = {worst:.1e}\n")
    print("| what | seconds |\n|---|---|")
    print(f"| `paperlib eraser-metrics` end to end (read docs + predictions, check, score) | {min(t_all):.3f} |")
    print(f"| `score` (scoring only) | {min(t_score):.3f} |")
    print(f"| direct loop with ERASER's algorithm (scoring only) | {min(t_direct):.3f} |")
    print(f"| speed-up of scoring | {min(t_direct) / min(t_score):.1f}× |")

if __name__ == "__main__": main()
