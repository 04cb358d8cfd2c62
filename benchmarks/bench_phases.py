"""Where UNIREX's smoke time goes: a per-phase timing table (training steps, dev scoring, attribution,
comp/suff erasure, the rest) for a set of methods on one dataset, with a fresh results cache.

Each phase is timed by wrapping the library function that does it (`training.train` minus its dev calls,
the dev scorer, `explain_scores`, `comp_suff`), so the table adds up to the run's wall time.
Run: `python benchmarks/bench_phases.py [--scale smoke] [--dataset sst] [--methods "AA (IG)" ...] [--sample-k K]`.
"""
import argparse, os, tempfile, time
from collections import defaultdict
import paperlib.training, paperlib.experiment
from paperlib.papers.unirex import methods as M, runs as U

T = defaultdict(float)

def timed(fn, phase):
    def f(*a, **k):
        t = time.perf_counter()
        try: return fn(*a, **k)
        finally: T[phase] += time.perf_counter() - t
    return f

def instrument():
    M.train = timed(M.train, "train (incl. dev)")
    M.explain_scores = timed(M.explain_scores, "attribution"); U.explain_scores = M.explain_scores
    U.comp_suff = timed(U.comp_suff, "comp/suff")
    dev_fn = M.dev_scorer
    M.dev_scorer = lambda *a, **k: timed(dev_fn(*a, **k), "dev scoring")

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="smoke"); ap.add_argument("--dataset", default="sst"); ap.add_argument("--data-dir", default=None)
    ap.add_argument("--methods", nargs="*", default=["AA (IG)", "SGT", "FRESH", "UNIREX (AA-F)", "UNIREX (DLM-FP)", "UNIREX (SLM-FP)"])
    ap.add_argument("--sample-k", type=int, default=None); ap.add_argument("--n-train", type=int, default=None); ap.add_argument("--epochs", type=int, default=None)
    args = ap.parse_args(); instrument()
    cfg = U.scale_config(args.scale, n_train=args.n_train, epochs=args.epochs)
    print(f"# Per-phase time, {args.scale} ({cfg['model']}, train {cfg['n_train']} / test {cfg['n_test']}, {cfg['epochs']} epochs, "
          f"sample_k {args.sample_k or 'all K'}), {args.dataset}, fresh cache\n")
    print("| method | training steps (s) | dev scoring (s) | attribution (s) | comp/suff (s) | rest (s) | total (s) | s/step | task metric | Comp | Suff |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as cache:
        for name in args.methods:
            T.clear(); t0 = time.perf_counter()
            os.environ["PAPERLIB_CACHE"] = cache    # the shared vanilla model too: a fresh cache
            r = U.run_method(name, args.dataset, cfg, data_dir=args.data_dir, results_root=cache, sample_k=args.sample_k, log=lambda s: None)
            tot = time.perf_counter() - t0; tr = T["train (incl. dev)"] - T["dev scoring"]
            rest = tot - tr - T["dev scoring"] - T["attribution"] - T["comp/suff"]
            tm = U.DATASETS[args.dataset].metric
            print(f"| {name} | {tr:.0f} | {T['dev scoring']:.0f} | {T['attribution']:.0f} | {T['comp/suff']:.0f} | {rest:.0f} | {tot:.0f} | "
                  f"{r['sec_per_step']:.2f} | {tm} {r[tm]:.1f} | {r['Comp']:.3f} | {r['Suff']:.3f} |", flush=True)
