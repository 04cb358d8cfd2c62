"""DecompX and ALTI speed and memory benchmark: prints a markdown table and writes it to
benchmarks/results/decomposition.md; not a test.

(a) DecompX (`decompx(..., all_layers=True)`, what `attribute("decompx")` runs) on one example of 128 and of 512
    tokens: seconds per example; its ratio to the floor of n plain forward passes of that example (one forward timed,
    best of 3, × n; target ≤ 1.5×); peak memory as the growth of the process's peak RSS (`ru_maxrss`) over the
    call, each configuration in a fresh process. "before" is `paperlib/attribution/decomposition.py` at `--before`
    (default HEAD), read with `git show` and loaded as a module by this script only; its values are compared
    with today's (the [CLS] components after every layer) bit for bit.
(b) ALTI on a batch of 4 × 128 tokens against a loop over its 4 examples, today's code and "before": seconds
    (best of `--repeat`) and the largest absolute difference of the scores.

Bundled MiniLM (all-MiniLM-L6-v2), CPU, random word pieces framed by [CLS]/[SEP].
Run: `python benchmarks/bench_decomposition.py [--threads 1] [--lengths 128 512] [--no-before] [--out benchmarks/results/decomposition.md]`.
"""
import argparse, importlib.util, os, resource, subprocess, sys, tempfile, time, multiprocessing as mp
from pathlib import Path
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_core import inputs, timed      # the same random inputs and best-of timer as the core benchmark



def load_before(rev):
    "paperlib/attribution/decomposition.py at git revision `rev`, as a module (the registry keeps today's classes)."
    import paperlib.attribution.base as base
    src = subprocess.run(["git", "show", f"{rev}:paperlib/attribution/decomposition.py"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "decomposition_before.py"; path.write_text(src)
    saved = dict(base._METHODS)
    spec = importlib.util.spec_from_file_location("paperlib.attribution._decomposition_before", path)
    mod = importlib.util.module_from_spec(spec); mod.__package__ = "paperlib.attribution"
    spec.loader.exec_module(mod)
    base._METHODS.clear(); base._METHODS.update(saved)
    return mod


def _module(which, rev):
    from paperlib.attribution import decomposition
    return decomposition if which == "after" else load_before(rev)


def _quiet():
    import warnings
    from paperlib.models import NewHeadWarning
    warnings.filterwarnings("ignore", category=NewHeadWarning)              # an untrained head: timing and memory only


def _decompx_child(q, which, rev, n, threads, out):
    "One configuration in a fresh process: seconds, floor, peak RSS growth; the [CLS] components saved to `out`."
    torch.set_num_threads(threads); _quiet()
    from paperlib.models import load_encoder
    mod = _module(which, rev)
    model, tok = load_encoder("minilm", num_labels=2, seed=0); model.eval()
    ids, mask = inputs(tok, 1, n)
    with torch.no_grad():
        mod.decompx(model, ids[:, :16], mask[:, :16])                              # warm-up
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        dt, (cls, layers) = timed(lambda: mod.decompx(model, ids, mask, all_layers=True))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss0
        one, _ = timed(lambda: model(input_ids=ids, attention_mask=mask), 3)
    torch.save(torch.stack([cls] + layers), out)
    q.put((dt, one * n, peak))


def bench_decompx(args):
    "Rows (length, code, s, floor, peak, values vs before), one length at a time; a failed child is a row of its exit code."
    ctx, tmp = mp.get_context("spawn"), Path(tempfile.mkdtemp())
    for n in args.lengths:
        res = {}
        for which in (["before"] if args.before else []) + ["after"]:
            q = ctx.Queue(); out = tmp / f"{which}-{n}.pt"
            p = ctx.Process(target=_decompx_child, args=(q, which, args.before, n, args.threads, out)); p.start(); p.join()
            res[which] = (*q.get(), torch.load(out)) if p.exitcode == 0 and not q.empty() else p.exitcode
        a, b = res["after"], res.get("before")
        same = "n/a" if not isinstance(b, tuple) or not isinstance(a, tuple) else ("bit-identical" if torch.equal(a[3], b[3]) else
                f"max rel diff {float((a[3] - b[3]).abs().max() / b[3].abs().max()):.1e}")
        for which in ("before", "after"):
            if which not in res: continue
            if not isinstance(res[which], tuple): yield (n, which, None, None, None, f"failed (exit {res[which]})"); continue
            s, floor, peak, _ = res[which]
            yield (n, which, s, floor, peak, same if which == "after" else "")


def bench_alti(args):
    from paperlib.models import load_encoder
    from paperlib.attribution import decomposition
    model, tok = load_encoder("minilm", num_labels=2, seed=0); model.eval()
    ids, mask = inputs(tok, 4, 128)
    rows = []
    for which in (["before"] if args.before else []) + ["after"]:
        mod = decomposition if which == "after" else load_before(args.before)
        f = lambda i, m: mod.ALTI(model).attribute(i, m)
        f(ids[:1, :16], mask[:1, :16])                                              # warm-up
        tb, tl = float("inf"), float("inf")
        for _ in range(args.repeat):                                                # interleaved, best of each
            t, bat = timed(lambda: f(ids, mask)); tb = min(tb, t)
            t, loop = timed(lambda: torch.cat([f(ids[i:i + 1], mask[i:i + 1]) for i in range(len(ids))])); tl = min(tl, t)
        rows.append((which, tb, tl, float((bat - loop).abs().max())))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1); ap.add_argument("--lengths", type=int, nargs="+", default=[128, 512])
    ap.add_argument("--before", default="HEAD", help="git revision of the 'before' code"); ap.add_argument("--no-before", action="store_true")
    ap.add_argument("--repeat", type=int, default=5); ap.add_argument("--out", default=str(ROOT / "benchmarks/results/decomposition.md"))
    args = ap.parse_args()
    if args.no_before: args.before = None
    torch.set_num_threads(args.threads); _quiet()
    lines = [f"# DecompX and ALTI: speed and memory — MiniLM (all-MiniLM-L6-v2), CPU, {args.threads} thread(s), torch {torch.__version__}", "",
             f"Measured {time.strftime('%Y-%m-%d')} with `python benchmarks/bench_decomposition.py --threads {args.threads}`"
             + (f"; before = `paperlib/attribution/decomposition.py` at {args.before}" if args.before else "") + ".", "",
             "DecompX, one example (`decompx(..., all_layers=True)`): floor = n plain forward passes of that example; "
             "peak = growth of peak RSS over the call, in a fresh process. Targets: ≤ 1.5× the floor, ≤ 4 GiB at 512, values equal to before.", "",
             "| length | code | s / example | floor (s) | ratio to floor | peak memory (GiB) | values vs before |", "|---|---|---|---|---|---|---|"]
    print("\n".join(lines), flush=True)
    for n, which, s, floor, peak, same in bench_decompx(args):
        lines.append(f"| {n} | {which} | {s:.2f} | {floor:.2f} | {s / floor:.2f}× | {peak / 2**30:.2f} | {same} |" if s is not None else
                     f"| {n} | {which} | – | – | – | – | {same} |"); print(lines[-1], flush=True)
    lines += ["", "ALTI, 4 examples × 128 tokens: the batch in one call vs a loop over its examples (best of "
              f"{args.repeat}); target: batched ≤ looped, equal values.", "",
              "| code | batched (s) | looped (s) | batched / looped | max abs diff |", "|---|---|---|---|---|"]
    print("\n".join(lines[-5:]), flush=True)
    for which, tb, tl, diff in bench_alti(args):
        lines.append(f"| {which} | {tb:.2f} | {tl:.2f} | {tb / tl:.2f}× | {diff:.1e} |"); print(lines[-1], flush=True)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True); Path(args.out).write_text("\n".join(lines) + "\n")
        print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
