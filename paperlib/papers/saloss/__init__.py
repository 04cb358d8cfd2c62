"""SaLoss (Chrysostomou & Aletras, EMNLP 2021): pending on the experiment kit."""
