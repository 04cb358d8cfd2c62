"""Explanation regularisation through the lens of attributions (Ferreira, Titov & Aziz, COLING 2025): pending."""
