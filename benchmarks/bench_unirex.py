"""UNIREX step cost (issue #5 §4): seconds per training step, plain fine-tuning vs UNIREX with the full
comp/suff losses over K = {1,5,10,20,50} (1 + 2|K| forwards) vs thresholds sampled per step (sample_k).

Bundled MiniLM, CPU, batch 32, length 64, SST-like random inputs. Run: `python benchmarks/bench_unirex.py [--steps 3]`.
`--effect` also trains UNIREX (DLM-FP) and (SLM-FP) at smoke scale on SST with all thresholds and with 1 or 2
sampled per step, and prints seconds/step, comp, suff, AUPRC and accuracy side by side (needs the data folder;
results are shared with `paperlib reproduce` through cache/results/).
"""
import argparse, time, torch
from paperlib.models import load_encoder
from paperlib.papers.unirex import methods as M, runs as U


def batch(tok, b=32, n=64, seed=0):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1000, 29000, (b, n), generator=g); ids[:, 0], ids[:, -1] = tok.cls_token_id, tok.sep_token_id
    am = torch.ones_like(ids); words = am.clone(); words[:, 0] = 0; words[:, -1] = 0
    rat = (torch.rand(b, n, generator=g) < 0.3).float() * words
    return {"input_ids": ids, "attention_mask": am, "labels": torch.randint(0, 2, (b,), generator=g), "words": words,
            "rationale": rat, "has_rationale": torch.ones(b, dtype=torch.bool)}


def time_steps(model, step, b, steps):
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-5)
    ts = []
    for i in range(steps + 1):
        t = time.perf_counter(); L = step(model, b); sum(L.values()).backward(); opt.step(); opt.zero_grad(); ts.append(time.perf_counter() - t)
    return min(ts[1:])


if __name__ == "__main__":
    ap = argparse.ArgumentParser(); ap.add_argument("--steps", type=int, default=3); ap.add_argument("--effect", action="store_true")
    ap.add_argument("--skip-steps", action="store_true"); ap.add_argument("--data-dir", default=None); args = ap.parse_args()
    if args.effect:
        cfg = U.scale_config("smoke")
        print(f"# Sampled thresholds at smoke scale (SST, MiniLM, {cfg['n_train']} train / {cfg['n_test']} test, {cfg['epochs']} epochs, seed 0)\n")
        print("| method | thresholds per step | s / step | Comp | Suff | AUPRC | TF1 | Acc |\n|---|---|---|---|---|---|---|---|")
        for name in ("UNIREX (DLM-FP)", "UNIREX (SLM-FP)"):
            for sk in (None, 2, 1):
                r = U.run_method(name, "sst", cfg, data_dir=args.data_dir, sample_k=sk, log=lambda s: None)
                print(f"| {name} | {'all 5' if sk is None else f'{sk} sampled'} | {r['sec_per_step']:.2f} | {r['Comp']:.3f} | {r['Suff']:.3f} | {r['AUPRC']:.1f} | {r['TF1']:.1f} | {r['Acc']:.1f} |", flush=True)
        print()
    if args.skip_steps: raise SystemExit
    print(f"# UNIREX step cost — MiniLM, CPU, {torch.get_num_threads()} threads, batch 32 × length 64\n")
    print("| method | comp/suff thresholds per step | s / step | × plain |\n|---|---|---|---|")
    task, tok = load_encoder("minilm", num_labels=2, seed=0); b = batch(tok)
    plain = time_steps(M.Explainer(task, "aa"), M.plain_step, b, args.steps)
    print(f"| plain fine-tuning | – | {plain:.2f} | 1.00× |", flush=True)
    for name in ("UNIREX (SLM-FP)", "UNIREX (DLM-FP)", "UNIREX (AA-F)"):
        m = M.METHODS[name]
        for sk in (None, 2, 1):
            task, _ = load_encoder("minilm", num_labels=2, seed=0)
            dlm = load_encoder("minilm", task="base", seed=1)[0] if m.extractor == "dlm" else None
            model = M.Explainer(task, m.extractor, dlm_model=dlm, **m.extractor_options())
            t = time_steps(model, M.unirex_step(m, sample_k=sk), b, args.steps)
            print(f"| {name} | {'all 5' if sk is None else f'{sk} sampled'} | {t:.2f} | {t / plain:.2f}× |", flush=True)
