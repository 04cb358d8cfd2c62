"""LRA batched generation benchmark (issue #29): prints a markdown table and writes it to benchmarks/results/generate.md;
not a test.

`paperlib.papers.lra.generate` (greedy, decoded without skipping special tokens) on the same `--n` sources with
`batch_size=--batch-size` against `batch_size=1` (the official one-example-at-a-time loop, through the same code).
Sources: the I->OR inputs of the first `--n` CoS-E v1.0 validation examples (`formats.load_cos_e_hf` + `formats.encode`)
when the data is there, else synthetic CoS-E-like sources. Models: the tiny random T5 of the tests and the offline MiniLM
encoder–decoder warm start (random cross-attention), each with the official `[EOS]` token added; random weights rarely
emit `[EOS]` (the table counts the rows that do), so both runs decode nearly all `max_length - 1` steps of every row. The strings of the two runs
must be identical (the table says how many differ). Target: batched ≥ 10× faster.
Run: `python benchmarks/bench_generate.py [--data-dir ../shared/data] [--n 256] [--threads 1 2] [--models tiny-t5 minilm2minilm]`.
"""
import argparse, datetime, os, platform, time, warnings
from pathlib import Path
import torch

ROOT = Path(__file__).resolve().parents[1]


def sources(data_dir, n):
    "The I->OR sources of `n` CoS-E v1.0 validation examples, and where they came from."
    from paperlib.papers.lra.formats import encode, load_cos_e_hf
    d = Path(data_dir) if data_dir else None
    if d and (d/"cos-e"/"v1.0").is_dir():
        rows = load_cos_e_hf(d, "validation")[:n]
        return [encode(r, "I->OR", "cos_e")[0] for r in rows], f"CoS-E v1.0 validation, first {len(rows)}, I->OR inputs"
    words = "where would you find a small dog that likes to play in the park near the river on sunday".split()
    ex = lambda i: {"question": " ".join(words[i % 7:i % 7 + 8 + i % 5]) + "?", "choices": [words[(i + k) % len(words)] for k in (1, 4, 9)],
                    "answer": "x", "abstractive_explanation": "x"}
    return [encode(ex(i), "I->OR", "cos_e")[0] for i in range(n)], f"{n} synthetic CoS-E-like I->OR inputs (no data folder)"


def busy_seconds() -> float:
    "CPU seconds this machine's processes have spent so far (/proc/stat: user, nice, system, irq, softirq; guest time is in user already, steal is another VM's)."
    v = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return (v[0] + v[1] + v[2] + v[5] + v[6]) / os.sysconf("SC_CLK_TCK")

def own_seconds() -> float:
    t = os.times(); return t.user + t.system

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default=os.environ.get("PAPERLIB_DATA_DIR") or str(ROOT.parent/"shared"/"data"))
    p.add_argument("--n", type=int, default=256); p.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    p.add_argument("--batch-size", type=int, default=64); p.add_argument("--max-length", type=int, default=20)
    p.add_argument("--models", nargs="+", default=["tiny-t5", "minilm2minilm"])
    p.add_argument("--out", default=str(ROOT/"benchmarks"/"results"/"generate.md"))
    args = p.parse_args()
    import transformers
    from paperlib.models import load_seq2seq
    from paperlib.papers.lra import generate
    from paperlib.papers.lra.generation import add_eos_token
    srcs, what = sources(args.data_dir, args.n); wall0 = time.time()
    busy0, own0 = busy_seconds(), own_seconds()
    rows = []
    for name, threads in [(m, t) for m in args.models for t in args.threads]:
        torch.set_num_threads(threads)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore"); model, tok = load_seq2seq(name, seed=0)
        add_eos_token(model, tok); model.eval()
        generate(model, tok, srcs[:8], args.max_length, 8)                       # warm-up (not timed)
        t = time.perf_counter(); batched = generate(model, tok, srcs, args.max_length, args.batch_size); t_b = time.perf_counter() - t
        t = time.perf_counter(); alone = generate(model, tok, srcs, args.max_length, 1); t_1 = time.perf_counter() - t
        ntok = sum(len(tok(s, add_special_tokens=False).input_ids) for s in srcs)
        diff = sum(a != b for a, b in zip(batched, alone)); ended = sum(s.endswith(tok.eos_token) for s in batched)
        rows.append((name, threads, sum(x.numel() for x in model.parameters()) / 1e6, ntok / len(srcs), ended, t_1, t_b, t_1 / t_b, diff))
        print(f"{name}, {threads} thread(s): batch_size=1 {t_1:.1f} s, batch_size={args.batch_size} {t_b:.1f} s, speed-up {t_1 / t_b:.1f}x, strings differing {diff}", flush=True)
    other = max(0.0, (busy_seconds() - busy0) - (own_seconds() - own0)) / max(1e-9, (time.time() - wall0) * (os.cpu_count() or 1))
    head = (f"Measured {datetime.date.today().isoformat()} on {os.cpu_count()} CPU cores ({platform.processor() or platform.machine()}), "
            f"torch {torch.__version__}, transformers {transformers.__version__}; other processes used {100 * other:.0f} % of the cores meanwhile "
            f"(/proc/stat's busy time minus this process's). Both ways of decoding use the same torch threads (the `threads` column).")
    lines = [f"# LRA generation: batched vs one example at a time (`python benchmarks/bench_generate.py`)", "", head, "",
             f"Work: {what}; greedy, `max_length={args.max_length}` (≤ {args.max_length - 1} new tokens per row; a row that "
             f"ends early, on `[EOS]`, does less work: the table counts them), decoded without skipping special tokens; `[EOS]` added to each tokenizer.", "",
             f"| model | threads | parameters (M) | source tokens (mean) | rows ending on [EOS] | batch_size=1 (s) | batch_size={args.batch_size} (s) | speed-up | strings differing |",
             "|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {n} | {th} | {p:.1f} | {L:.1f} | {e} of {len(srcs)} | {a:.1f} | {b:.1f} | {s:.1f}× | {d} of {len(srcs)} |" for n, th, p, L, e, a, b, s, d in rows]
    text = "\n".join(lines) + "\n"
    print("\n" + text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True); Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
