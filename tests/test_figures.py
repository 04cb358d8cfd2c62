"""Every figure writer, drawn on a small synthetic case with long labels: no legend covers the data (legend and data
artists' bounding boxes, in display coordinates) and no text is cut off (every text's extent inside the figure). The
checks are shown to fail on a legend placed over the bars and on a label pushed off the canvas."""
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.legend import Legend
from matplotlib.text import Text
from matplotlib.transforms import Bbox

LONG = [f"A remarkably long method name number {i} (with a variant)" for i in range(5)]


def _data_boxes(ax):
    "Display-space boxes of `ax`'s data: bars (non-empty patches), line points, collection points / segments."
    boxes = []
    for p in ax.patches:
        b = p.get_window_extent()
        if b.width > 0.5 and b.height > 0.5: boxes.append(b)
    for ln in ax.lines:
        xy = ax.transData.transform(np.column_stack(ln.get_data()).astype(float))
        boxes += [Bbox.from_bounds(x - 1, y - 1, 2, 2) for x, y in xy if np.isfinite(x) and np.isfinite(y)]
    for c in ax.collections:
        off = np.asarray(c.get_offsets(), float)
        if len(off) and np.abs(off).sum() > 0: pts = [c.get_offset_transform().transform(off)]          # a scatter: its points
        else: pts = [c.get_transform().transform(p.vertices) for p in c.get_paths() if len(p.vertices)]  # segments, bands
        for xy in pts: boxes += [Bbox.from_bounds(x - 1, y - 1, 2, 2) for x, y in xy if np.isfinite(x) and np.isfinite(y)]
    return boxes


def legend_overlaps(fig) -> list:
    "(legend, axes) pairs where a legend's box meets a data artist of the axes."
    fig.canvas.draw(); r = fig.canvas.get_renderer(); out = []
    legends = [l for l in fig.findobj(Legend) if l.get_visible()]
    for leg in legends:
        lb = leg.get_window_extent(r)
        for ax in fig.axes:
            if any(lb.overlaps(b) for b in _data_boxes(ax)): out.append((leg, ax))
    return out


def cut_texts(fig, tol: float = 1.0) -> list:
    "Texts (titles, labels, tick labels, legend entries, notes) whose extent leaves the figure's canvas."
    fig.canvas.draw(); r = fig.canvas.get_renderer(); fb = fig.bbox; out = []
    undrawn = set()          # tick labels of ticks outside the axis' view interval: matplotlib keeps them but does not draw them
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval()); eps = 1e-9 * max(1.0, abs(hi - lo))
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not lo - eps <= tick.get_loc() <= hi + eps: undrawn |= {id(tick.label1), id(tick.label2)}
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip() or id(t) in undrawn: continue
        b = t.get_window_extent(r)
        if b.x0 < fb.x0 - tol or b.y0 < fb.y0 - tol or b.x1 > fb.x1 + tol or b.y1 > fb.y1 + tol: out.append(t.get_text())
    return out


def _clean(fig):
    assert legend_overlaps(fig) == [], "a legend covers the data"
    assert cut_texts(fig) == [], f"text cut off: {cut_texts(fig)}"
    plt.close(fig)


# --- the checks can fail ---------------------------------------------------------------------------------------

def test_checks_catch_a_legend_over_the_bars():
    fig, ax = plt.subplots(figsize=(5, 3))
    for i, m in enumerate(LONG[:3]): ax.bar(np.arange(4) + 0.25 * i, [0.9, 0.95, 0.92, 0.97], width=0.25, label=m)
    ax.legend(loc="upper center")                  # over the tall bars
    assert legend_overlaps(fig)
    plt.close(fig)


def test_checks_catch_a_cut_label():
    fig, ax = plt.subplots(figsize=(3, 2)); ax.plot([0, 1], [0, 1])
    ax.set_xlabel(LONG[0] * 3)                    # wider than the figure
    assert cut_texts(fig)
    plt.close(fig)


# --- every figure writer ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def unirex():
    from paperlib.papers.unirex import artifacts
    return artifacts


def test_cnrg_bars(unirex):
    dss = ["SST", "Movies", "CoS-E", "MultiRC", "e-SNLI"]
    rng = np.random.default_rng(0)
    ours = pd.DataFrame(rng.uniform(0.2, 1.0, (5, 5)), index=LONG, columns=dss); ours[["MultiRC", "e-SNLI"]] = np.nan
    paper = pd.DataFrame(rng.uniform(0.2, 1.0, (5, 5)), index=LONG, columns=dss)
    fig = unirex.cnrg_bar_figure(ours, paper, {"Movies": "at majority"}, {"MultiRC": "absent", "e-SNLI": "absent"}, "A long title " * 4)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert any("not testable" in t for t in ticks) and sum("no data here" in t for t in ticks) == 2   # marked on the plot itself
    assert any("paper" in t.get_text() for t in fig.axes[0].get_legend().get_texts())
    _clean(fig)


def test_nrg_means(unirex):
    rng = np.random.default_rng(1); cols = ["FNRG", "PNRG", "TNRG", "CNRG"]
    panels = {"without gold rationales": pd.DataFrame(rng.uniform(0, 1, (5, 4)), index=LONG, columns=cols),
              "with gold rationales": pd.DataFrame(rng.uniform(0, 1, (3, 4)), index=LONG[:3], columns=cols)}
    fig = unirex.nrg_mean_figure(panels, "NRG, mean over the testable datasets only (SST)", "A long title " * 5)
    assert "testable" in fig.axes[0].get_ylabel()
    _clean(fig)


def test_series_keeps_identical_series_visible(unirex):
    recs = [{"m": m, "g": g, "s": s, "v": (50.0 if i in (1, 2) else 40 + 10 * i) + g / 100}
            for i, m in enumerate(LONG) for g in [0.5, 1, 5, 10, 20, 100] for s in (0, 1)]
    fig, mean, same = unirex.series_figure(pd.DataFrame(recs), "g", "v", "m", "A long title " * 3, "γ (% of train with gold rationales)", "AUPRC (%)")
    assert same == {LONG[2]: [LONG[1]]}
    lines = fig.axes[0].get_lines()
    assert len({(l.get_marker(), str(l.get_linestyle()), l.get_markersize()) for l in lines}) == len(lines)   # each series its own style
    assert lines[1].get_markersize() > lines[2].get_markersize()                                               # the later one drawn inside
    assert any("identical" in t.get_text() for t in fig.axes[0].get_legend().get_texts())
    _clean(fig)


def test_pos_figure():
    from paperlib.papers.saloss.artifacts import pos_figure
    tags = ["ADJ", "ADP", "ADV", "CCONJ", "DET", "NOUN", "VERB"]
    t = pd.DataFrame([{"dataset": "SST", "model": m, "tag": g, "importance": 0.04 + 0.01 * (i % 3), "words": 5}
                      for m in ("BASELINE", "SALOSS with a long label") for i, g in enumerate(tags)])
    fig = pos_figure(t, ["SST", "AG", "EvInf"], {"AG": "data not available offline", "EvInf": "data not available offline"})
    texts = " ".join(x.get_text() for x in fig.findobj(Text))
    assert "AG" in texts and "EvInf" in texts and "part of speech" in fig.axes[0].get_xlabel()
    _clean(fig)
