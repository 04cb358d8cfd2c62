"""Label / free-text rationale association (Wiegreffe, Marasović & Smith, EMNLP 2021): pending."""
from .generation import generate  # the batched greedy decoding of the LRA models (`paperlib.papers.lra.generate`)
