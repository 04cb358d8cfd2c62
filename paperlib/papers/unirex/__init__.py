"""UNIREX (Chan et al., ICML 2022) on the experiment kit."""
