"""The toy paper: a 'method' that fits the mean of a dataset of noisy numbers, at two scales, with seeds."""
from pathlib import Path
import numpy as np
from paperlib import experiment as X
from paperlib.registry import Artifact, register

SCALES = {"tiny": {"n": 50, "seeds": (0, 1)}, "smoke": {"n": 5000, "seeds": (0, 1, 2)}}
METHODS = {"mean": np.mean, "median": np.median}


class ToyRunner(X.Runner):
    paper, version = "toy", "1"

    def data_key(self, run, data_dir):
        return {"n": run.cfg["n"]}

    def execute(self, run, data_dir=None, device="auto", log=print):
        x = np.random.default_rng(run.seed).normal(3.0, 1.0, run.cfg["n"])
        est = float(METHODS[run.spec["estimator"]](x))
        return {"estimate": est, "error": abs(est - 3.0)}


X.RUNNERS.register("toy", replace=True)(ToyRunner())


def runs(artifact_id, cfg, seeds=0, sample_k=None):
    S = range(seeds) if seeds else cfg["seeds"]
    return [X.Run("toy", m, {"estimator": m}, "gaussian", s, cfg) for m in METHODS for s in S]


register(Artifact("toy.table1", "table", "estimation error of the mean and the median", str(Path(__file__).parent/"toy.ipynb"),
                  {"artifact_id": "toy.table1"}, runs=runs, scales=SCALES))
