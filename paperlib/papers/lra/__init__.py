"""Label / free-text rationale association (Wiegreffe, Marasović & Smith, EMNLP 2021): pending."""
