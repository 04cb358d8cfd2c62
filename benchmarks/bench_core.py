"""Core speed benchmark (issue #3): prints a table; not a test.

(a) comp + suff AOPC over K = {1, 5, 10, 20, 50} vs the floor of 11 plain forward passes;
(b) paperlib's integrated_gradients vs captum's LayerIntegratedGradients (same 50 steps, same values);
(c) ALTI and DecompX seconds per example and peak memory at lengths 128 and 512.

Bundled MiniLM, CPU, 64 examples of length 64 (random word pieces framed by [CLS]/[SEP]).
Run: `python benchmarks/bench_core.py [--examples 64] [--length 64] [--threads N] [--skip-c]`.
"""
import argparse, os, time, multiprocessing as mp
import torch


def inputs(tok, b, n, seed=0):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1000, 29000, (b, n), generator=g)
    ids[:, 0], ids[:, -1] = tok.cls_token_id, tok.sep_token_id
    return ids, torch.ones_like(ids)


def timed(f, repeat=1):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter(); out = f(); best = min(best, time.perf_counter() - t)
    return best, out


def bench_ab(args):
    from paperlib.models import load_encoder
    from paperlib.metrics import comp_suff
    from paperlib.attribution import attribute
    from captum.attr import LayerIntegratedGradients
    model, tok = load_encoder("minilm", num_labels=2, seed=0); model.eval()
    ids, mask = inputs(tok, args.examples, args.length)
    scores = torch.rand(ids.shape, generator=torch.Generator().manual_seed(1))
    rows = []
    with torch.no_grad():
        model(input_ids=ids[:8], attention_mask=mask[:8])  # warm-up
        floor, _ = timed(lambda: [model(input_ids=ids[i:i + args.batch], attention_mask=mask[i:i + args.batch]) for _ in range(11)
                                  for i in range(0, len(ids), args.batch)], args.repeat)
    ours, res = timed(lambda: comp_suff(model, ids, mask, scores, batch_size=args.batch), args.repeat)
    rows.append(("(a) comp+suff AOPC, K={1,5,10,20,50}", ours, floor, "11 plain forwards", 1.1, ""))
    ours_mask, _ = timed(lambda: comp_suff(model, ids, mask, scores, batch_size=args.batch, removal="mask"), args.repeat)
    rows.append(("(a') same, removal=mask (no shortening)", ours_mask, floor, "11 plain forwards", 1.1, ""))
    tgt = torch.zeros(len(ids), dtype=torch.long)
    ibs = args.ig_batch
    t_ours, a = timed(lambda: attribute("integrated_gradients", model, ids, mask, tgt, n_steps=50, baseline="pad", internal_batch_size=ibs), args.repeat)
    lig = LayerIntegratedGradients(lambda i, m: model(input_ids=i, attention_mask=m).logits, model.get_input_embeddings())
    pad = torch.full_like(ids, tok.pad_token_id)
    t_ref, b = timed(lambda: lig.attribute(ids, baselines=pad, target=tgt, additional_forward_args=(mask,), n_steps=50, internal_batch_size=ibs).sum(-1).detach(), args.repeat)
    rel = float(((a - b).abs().max() / b.abs().max()))
    rows.append(("(b) integrated_gradients, 50 steps", t_ours, t_ref, "captum LayerIntegratedGradients", 1.0, f"max rel diff {rel:.1e}"))
    return rows


def _decomp_child(q, method, n, b):
    import torch
    from paperlib.models import load_encoder
    from paperlib.attribution import attribute
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", torch.get_num_threads())))
    model, tok = load_encoder("minilm", num_labels=2, seed=0); model.eval()
    ids, mask = inputs(tok, b, n)
    attribute(method, model, ids[:1, :16], mask[:1, :16])  # warm-up
    open("/proc/self/clear_refs", "w").write("5")        # reset the peak-RSS counter
    rss0 = _status("VmRSS")
    t = time.perf_counter(); attribute(method, model, ids, mask); dt = time.perf_counter() - t
    q.put((dt / b, (_status("VmHWM") - rss0) / 2**20))


def _status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key): return int(line.split()[1]) * 1024
    return 0


def bench_c(args):
    rows, ctx = [], mp.get_context("spawn")
    for method in ("alti", "decompx", "decompx_classifier"):
        for n, b in ((128, 4), (512, 1)):
            q = ctx.Queue(); p = ctx.Process(target=_decomp_child, args=(q, method, n, b)); p.start(); p.join()
            s, mem = q.get() if not q.empty() else (float("nan"), float("nan"))
            rows.append((method, n, b, s, mem))
    return rows


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=64); ap.add_argument("--length", type=int, default=64)
    ap.add_argument("--batch", type=int, default=64); ap.add_argument("--ig-batch", type=int, default=256)
    ap.add_argument("--repeat", type=int, default=2); ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--skip-c", action="store_true")
    args = ap.parse_args()
    if args.threads: torch.set_num_threads(args.threads); os.environ["BENCH_THREADS"] = str(args.threads)
    print(f"# paperlib core benchmark — MiniLM (all-MiniLM-L6-v2), CPU, {torch.get_num_threads()} threads, "
          f"{args.examples} examples × length {args.length}, torch {torch.__version__}\n")
    print("| what | ours (s) | reference (s) | reference | ratio | target | note |\n|---|---|---|---|---|---|---|")
    for what, ours, ref, refname, target, note in bench_ab(args):
        r = ours / ref
        print(f"| {what} | {ours:.2f} | {ref:.2f} | {refname} | {r:.2f}× | ≤ {target}× {'✓' if r <= target else '✗'} | {note} |", flush=True)
    if not args.skip_c:
        print("\n| method | length | batch | s / example | peak extra memory (MiB) |\n|---|---|---|---|---|")
        for method, n, b, s, mem in bench_c(args):
            print(f"| {method} | {n} | {b} | {s:.2f} | {mem:.0f} |", flush=True)
