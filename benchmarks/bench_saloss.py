"""SaLoss speed benchmark (issue #15): prints tables; not a test.

(a) Decision-flip erasure on SST test with all five feature scores: `metrics.decision_flip(protocol="saloss")` (the five
    feature sets of a batch in one search, as the runs call it) against
    a direct loop with the official semantics (`scorer.py`: batches of 8 in the official length-sorted order, padded to
    the dataset's maximum length, one forward per 5% step per feature set, always to the last step). Both receive the
    same official feature scores (computed once, not timed); the per-example fractions must agree. Target: ≥ 3× faster.
(b) One SaLoss training step (λ·KL on the [CLS] attention added) against a plain step on the same batches. Target ≤ 1.15×.

The model is MiniLM fine-tuned on `--train` SST examples first (so decisions can flip), kept under cache/models.
Run: `python benchmarks/bench_saloss.py --data-dir ../shared/data [--test 1821] [--train 1000] [--threads 2]`.
"""
import argparse, time
import numpy as np
import torch


def official_loop(model, ids, mask, scores):
    "The official flip search, restated: every step of the batch, one forward each; the first flip is kept."
    lengths = mask.sum(1); m = int(lengths.max()); inc = max(1, int(torch.round(lengths.max().float() * 0.05)))
    y0 = model(input_ids=ids, attention_mask=mask).logits.argmax(-1)
    rank = torch.topk(scores[:, :m], k=m)[1]; rows = torch.arange(len(ids)); res = {}
    for t in range(0, m + inc, inc):
        keep = torch.zeros(ids.shape).scatter_(1, rank[rows, t + 1:], 1)
        y = model(input_ids=(ids.float() * keep).long(), attention_mask=mask).logits.argmax(-1)
        for b in (y0 != y).nonzero().flatten().tolist(): res.setdefault(b, (t + 1) / lengths[b].item())
    return np.array([res.get(b, 1.0) for b in range(len(ids))])


def fine_tuned(args, T, tok):
    from paperlib import experiment as X
    from paperlib.models import load_encoder
    from paperlib.training import train
    from paperlib.papers.saloss.runs import saloss_step, _batches_of
    step = saloss_step(0.0, "paper")
    def fit(model):
        order = X.shuffled_batches(len(T["labels"]), 16, 0)
        r = train(model, step, lambda e: [X.trim(X.rows(T, b)) for b in order(e)], None, epochs=3, lr=1e-4, log=lambda s: None)
        return {"steps": r.steps}
    # the SaLoss smoke recipe's learning rate and epochs: one epoch at 5e-5 left MiniLM at the majority class, where no
    # decision can flip and both implementations run every step (the speed-up then measures batching alone)
    model, _ = X.shared_model({"bench": "saloss-flip", "n": args.train, "epochs": 3, "lr": 1e-4, "subset": "shuffle(seed=0)"}, lambda: load_encoder("minilm", num_labels=2, seed=0)[0], fit)
    return model.eval()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default=None); p.add_argument("--test", type=int, default=1821)
    p.add_argument("--train", type=int, default=1000); p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=30, help="training steps timed in (b)")
    args = p.parse_args(); torch.set_num_threads(args.threads)
    import warnings
    from paperlib.models import NewHeadWarning
    warnings.filterwarnings("ignore", category=NewHeadWarning)              # the head is fine-tuned below
    from paperlib import data as pdata, experiment as X
    from paperlib.models import load_tokenizer
    from paperlib.metrics import decision_flip
    from paperlib.papers.saloss.attributions import official_scores, FEATURES
    from paperlib.papers.saloss.runs import saloss_step, _batches_of, SALIENCES
    tok = load_tokenizer("minilm")
    # seeded random subsets: SST's files are grouped by label (the first 1,000 train rows are 94 % positive)
    tr = pdata.load("sst", "train", data_dir=args.data_dir).shuffle(seed=0).select(range(args.train))
    te = pdata.load("sst", "test", data_dir=args.data_dir); te = te.shuffle(seed=0).select(range(min(args.test, len(te))))
    L = max(len(t) for t in tr["tokens"]) + 2                                  # the official max_len: longest train text in words
    Ttr, Tte = X.tensors(tr, tok, L), X.tensors(te, tok, L)
    Tte = {k: v for k, v in Tte.items()}; model = fine_tuned(args, Ttr, tok)
    masked = (tok.pad_token_id, tok.cls_token_id, tok.sep_token_id)
    y = Tte["labels"]
    with torch.no_grad(): acc = float((X.predict(model, Tte) == y).float().mean())
    major = float(y.float().mean()); major = max(major, 1 - major)
    print(f"model: test accuracy {acc:.3f} (majority class {major:.3f})" + ("  -- at the majority class: decisions cannot flip, the comparison is void" if acc <= major else ""))
    lengths = Tte["attention_mask"].sum(1).tolist(); batches = _batches_of(len(lengths), 8, lengths)
    full_width = int(Tte["input_ids"].shape[1]); gen = torch.Generator().manual_seed(25)
    prepared = []
    for b in batches:                                                          # official scores once per batch (not timed)
        ids, am = Tte["input_ids"][b], Tte["attention_mask"][b]
        sc = official_scores(model, ids, am, masked_ids=masked, generator=gen)
        pad = lambda s: torch.nn.functional.pad(s, (0, full_width - s.shape[1]), value=0.0)
        prepared.append((ids, am, {f: pad(s) for f, s in sc.items()}))
    with torch.no_grad():
        t = time.perf_counter(); ref = [[official_loop(model, ids, am, sc[f]) for f in FEATURES] for ids, am, sc in prepared]; t_ref = time.perf_counter() - t
        t = time.perf_counter()
        ours = []
        for ids, am, sc in prepared:
            m = int(am.sum(1).max())
            ours.append(decision_flip(model, ids[:, :m], am[:, :m], torch.stack([sc[f][:, :m] for f in FEATURES]), per_example=True)["flip_per_example"])
        t_ours = time.perf_counter() - t
    R, O = np.concatenate([np.stack(r) for r in ref], 1), np.concatenate([np.stack(o) for o in ours], 1)
    print(f"(a) decision flip, SST test ({len(lengths)} examples, 5 feature sets, MiniLM fine-tuned on {args.train}, {args.threads} threads)")
    print(f"| implementation | seconds | speed-up | mean fraction per feature ({', '.join(FEATURES)}) |\n|---|---|---|---|")
    print(f"| direct official loop | {t_ref:.1f} | 1.0× | {', '.join(f'{x:.3f}' for x in R.mean(1))} |")
    print(f"| paperlib decision_flip | {t_ours:.1f} | {t_ref / t_ours:.1f}× | {', '.join(f'{x:.3f}' for x in O.mean(1))} |")
    print(f"examples whose fraction differs: {int((np.abs(R - O) > 1e-9).any(0).sum())} of {R.shape[1]}")
    # (b) a SaLoss step vs a plain step on the same batches
    sal = SALIENCES["textrank"](Ttr, tok, "saloss")
    Ttr["salience"] = sal; order = _batches_of(len(Ttr["labels"]), 8, Ttr["attention_mask"].sum(1).tolist())[:args.steps]
    model.train(); opt = torch.optim.AdamW(model.parameters(), lr=1e-6)
    def run(lam):
        step = saloss_step(lam, "saloss"); t = time.perf_counter()
        for b in order:
            loss = step(model, X.trim(X.rows(Ttr, b)))["loss"]; opt.zero_grad(); loss.backward(); opt.step()
        return (time.perf_counter() - t) / len(order)
    run(0.0); plain, salo = run(0.0), run(1e-3)
    print(f"\n(b) training step, batch 8, SST train, {args.steps} steps\n| step | seconds | ratio |\n|---|---|---|")
    print(f"| plain (CE) | {plain:.3f} | 1.00 |\n| SaLoss (CE + λ·KL on [CLS] attention) | {salo:.3f} | {salo / plain:.2f} |")


if __name__ == "__main__":
    main()
