"""A Jupyter-first, reproducible companion to four NLP explainability papers (UNIREX, SaLoss, label/rationale association, ER through the lens of attributions)

Modules:

- `paperlib.metrics`: Evaluation metrics shared by the four papers. Each returns named floats (a dict, HF `evaluate` style) and cites its source: faithfulness (comprehensiveness, sufficiency, AOPC, normalised variants, decision flip), plausibility (token F1, IOU F1, AUPRC, ROC-AUC, AP, recall@k), agreement (Kendall-τ), task metrics, significance tests, rationale quality and UNIREX's normalised relative gain.
- `paperlib.unirex`: Unified learning of rationale extractors (Chan et al., ICML 2022): an extractor F_e scores tokens, a task model F_t predicts, and both are trained jointly for task performance, faithfulness (comprehensiveness/sufficiency losses) and plausibility (gold rationales) — plus the baselines UNIREX compares with, all through one training loop."""

__version__ = "0.1.0"
