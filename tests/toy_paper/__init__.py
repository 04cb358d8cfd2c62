"""A skeleton paper: how a new paper plugs into paperlib's experiment kit (one method, one runner, one artifact).

Make it known with `PAPERLIB_PAPERS=toy_paper.artifacts` (and this folder's parent on PYTHONPATH); then
`paperlib runs --paper toy` lists and computes its runs and `paperlib reproduce --paper toy` draws its table."""
