"""The tiny-scale results of every paper's runs, reduced to what must not change when the library is refactored:
per run (named by its description), a hash of the result without its timings, and its scalar numbers (for the diff)."""
import hashlib, json
from pathlib import Path

TIMING = {"seconds", "sec_per_step", "build_seconds", "train_seconds", "cached", "model_cached", "source_hash"}

def _unavailable(x):
    "A result with every `error` text (a missing dataset's message, which names where the data folder is) as one marker."
    if isinstance(x, dict): return {k: "data unavailable" if k == "error" else _unavailable(v) for k, v in x.items()}
    if isinstance(x, list): return [_unavailable(v) for v in x]
    return x

def fingerprint(results_dir, papers=("unirex", "saloss", "er")) -> dict:
    out = {}
    for paper in papers:
        for f in sorted((Path(results_dir)/"tiny"/paper).glob("*.json")):
            d = json.loads(f.read_text()); r = _unavailable({k: v for k, v in d["result"].items() if k not in TIMING})
            blob = json.dumps(r, sort_keys=True, default=float)
            out[d["run"]] = {"sha": hashlib.sha256(blob.encode()).hexdigest()[:16],
                             "values": {k: v for k, v in sorted(r.items()) if isinstance(v, (int, float)) and not isinstance(v, bool)}}
    return out

if __name__ == "__main__":
    import sys
    Path(sys.argv[2]).write_text(json.dumps(fingerprint(sys.argv[1]), indent=1, sort_keys=True) + "\n")
