"""The companion notebooks (`nbs/companions/<paper>.ipynb`, committed with their outputs) show what is committed: every number in
their outputs is the committed one under `figures/smoke/` (tables cell by cell, captions, verdicts, figures byte for byte), every
artifact of the paper is there, no output names a folder of this machine, and `nbdev-clean` leaves them as they are.
The outputs are read back here with the standard library's HTML parser, independently of `paperlib.companion`."""
import base64, json, re, subprocess, sys
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path
import math
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SMOKE = ROOT/"figures"/"smoke"
COMPANIONS = sorted((ROOT/"nbs"/"companions").glob("*.ipynb"))
MISSING = "–"


class _Html(HTMLParser):
    "One HTML output: the attributes of its outer element, its tables (rows of (is_header, text, colspan)) and its paragraphs' text."
    def __init__(self, text):
        super().__init__(); self.attrs, self.tables, self.paras = None, [], []
        self._row = self._cell = self._para = None; self._head = False
        self.feed(text); self.close()
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.attrs is None: self.attrs = a
        if tag == "table": self.tables.append({"head": [], "body": []})
        elif tag == "thead": self._head = True
        elif tag == "tbody": self._head = False
        elif tag == "tr": self._row = []
        elif tag in ("td", "th"): self._cell = [tag == "th", "", int(a.get("colspan", 1))]
        elif tag == "p" and self._row is None: self._para = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None: self._cell[1] = self._cell[1].strip(); self._row.append(tuple(self._cell)); self._cell = None
        elif tag == "tr": self.tables[-1]["head" if self._head else "body"].append(self._row); self._row = None
        elif tag == "p" and self._para is not None: self.paras.append(self._para.strip()); self._para = None
    def handle_data(self, data):
        if self._cell is not None: self._cell[1] += data
        elif self._para is not None: self._para += data


def _plain(md: str) -> str:
    "A Markdown line as its rendering reads: without the `**` and backticks."
    return re.sub(r"\*\*|`", "", md)


def _blocks(nb_path: Path) -> dict:
    """artifact id -> what the companion's outputs show of it: {part: parsed HTML} and its images (bytes), in notebook order;
    the paper's summary under the key `None`."""
    nb = json.loads(nb_path.read_text())
    out = {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "code": continue
        current = None
        for o in cell.get("outputs", []):
            d = o.get("data", {})
            if "text/html" in d:
                h = _Html("".join(d["text/html"]))
                if not h.attrs or "data-part" not in h.attrs: continue
                current = h.attrs.get("data-artifact")
                b = out.setdefault(current, {"parts": {}, "images": []})
                assert h.attrs["data-part"] not in b["parts"], f"{current}: {h.attrs['data-part']} shown twice"
                b["parts"][h.attrs["data-part"]] = h
            elif "image/png" in d:
                assert current is not None, f"{nb_path.name}: an image before any artifact"
                out[current]["images"].append(base64.b64decode("".join(d["image/png"])))
    return out


def _columns(head: list) -> list:
    "The committed column names of a shown table's header: `X`/ours, paper, diff under `X` are `X`, `X (paper)`, `X (diff)`."
    def expand(row): return [t for _, t, span in row[1:] for _ in range(span)]      # the first cell is the index's corner
    if len(head) == 1: return expand(head[0])
    assert len(head) == 2, f"unexpected header: {head}"
    return [top + {"": "", "ours": "", "paper": " (paper)", "diff": " (diff)"}[sub] for top, sub in zip(expand(head[0]), expand(head[1]))]


def _same(shown: str, v, notes: list) -> bool:
    "A shown cell is the committed value: the same text (a long one as its note `[k]`), `–` for a missing value, a number rounded as printed."
    if isinstance(v, str):
        m = re.fullmatch(r"\[(\d+)\]", shown)
        return shown == v.strip() or (m is not None and int(m[1]) <= len(notes) and notes[int(m[1]) - 1] == _plain(v))
    if v is None or (isinstance(v, float) and math.isnan(v)): return shown == MISSING
    try: d = Decimal(shown)
    except InvalidOperation: return False
    if not d.is_finite(): return False
    half = Decimal(10) ** d.as_tuple().exponent / 2             # the printed number is the value rounded to its last digit
    return abs(d - Decimal(repr(float(v)))) <= half * Decimal("1.000001")


def _check_table(aid: str, h: _Html, csv: Path):
    df = pd.read_csv(csv, index_col=0, keep_default_na=False, na_values=[""])
    assert len(h.tables) == 1, f"{aid}: {len(h.tables)} tables"
    t = h.tables[0]; cols = _columns(t["head"])
    assert sorted(cols) == sorted(map(str, df.columns)), f"{aid}: columns shown {cols} vs committed {list(df.columns)}"
    notes = []
    for p in h.paras:
        m = re.fullmatch(r"\[(\d+)\] (.*)", p, re.S); assert m and int(m[1]) == len(notes) + 1, f"{aid}: stray paragraph {p[:80]!r}"
        notes.append(m[2])
    rows = [(r[0][1], [c[1] for c in r[1:]]) for r in t["body"]]
    assert [r for r, _ in rows] == [str(i) for i in df.index], f"{aid}: rows shown {[r for r, _ in rows]} vs committed {list(df.index)}"
    bad = [(r, c, s, df.iloc[i][c]) for i, (r, cells) in enumerate(rows) for c, s in zip(cols, cells) if not _same(s, df.iloc[i][c], notes)]
    assert not bad, f"{aid}: {len(bad)} cell(s) differ from {csv.name}, e.g. (row, column, shown, committed) {bad[:3]}"
    assert all(len(cells) == len(cols) for _, cells in rows)
    used = {int(m[1]) for _, cells in rows for s in cells if (m := re.fullmatch(r"\[(\d+)\]", s))}
    assert used == set(range(1, len(notes) + 1)), f"{aid}: notes {sorted(used)} referenced, {len(notes)} shown"


def test_there_are_companions():
    assert {p.stem for p in COMPANIONS} >= {"unirex", "saloss"}


@pytest.mark.parametrize("nb", COMPANIONS, ids=lambda p: p.stem)
def test_lists_every_artifact_of_its_paper(nb):
    from paperlib.registry import select
    ids = [a.id for a in select(paper=nb.stem)]
    shown = [k for k in _blocks(nb) if k is not None]
    assert sorted(shown) == sorted(ids), f"{nb.name}: missing {sorted(set(ids) - set(shown))}, not of the paper {sorted(set(shown) - set(ids))}"
    computed = [a.id for a in select(paper=nb.stem) if a.status_kind == "computational"]
    assert computed, f"{nb.stem}: no computed artifact"


@pytest.mark.parametrize("nb", COMPANIONS, ids=lambda p: p.stem)
def test_every_number_shown_is_the_committed_one(nb):
    blocks = _blocks(nb)
    index = (SMOKE/"index.md").read_text().splitlines()
    s = blocks.pop(None)["parts"]["summary"].tables[0]           # the paper's totals: the committed index's row, cell by cell
    head = next(l for l in index if l.startswith("| paper |")); row = next(l for l in index if l.startswith(f"| {nb.stem} |"))
    def cells(l): return [_plain(c.strip()) for c in l.strip().strip("|").split(" | ")]
    assert [c[1] for c in s["head"][0]] == cells(head) and [c[1] for c in s["body"][0]] == cells(row)
    for aid, b in blocks.items():
        d = SMOKE/aid.split(".")[0]; res_p = d/f"{aid}.result.json"
        if not res_p.exists():                                   # nothing committed: the companion says so, and shows nothing else
            assert set(b["parts"]) == {"missing"} and not b["images"], f"{aid}: shown, but nothing of it is committed"
            text = b["parts"]["missing"].paras[0]
            st = next((l.split(" | ")[1] for l in index if l.startswith(f"| {aid} |")), "")
            assert (st in text) if st.startswith("not computational") else ("not drawn" in text), f"{aid}: {text!r}"
            continue
        res = json.loads(res_p.read_text()); outs = res["outputs"]
        assert "missing" not in b["parts"], f"{aid} is committed but its companion shows it as not drawn: execute the companion again"
        cap = b["parts"]["caption"].paras
        if f"{aid}.md" in outs: assert cap[0] == _plain((d/f"{aid}.md").read_text().splitlines()[0]), f"{aid}: caption differs"
        if res["meta"].get("status", "ok") != "ok": assert cap[1] == f"status: {res['meta']['status']}"
        if f"{aid}.csv" in outs: _check_table(aid, b["parts"]["table"], d/f"{aid}.csv")
        else: assert "table" not in b["parts"]
        pngs = [(d/o).read_bytes() for o in outs if o.endswith(".png")]
        assert b["images"] == pngs, f"{aid}: the figure shown is not the committed PNG"
        c = b["parts"]["claims"]
        if res["claims"]:
            rows = [[x[1] for x in r] for r in c.tables[0]["body"]]
            want = [[_plain(x.get(k, dflt)) for k, dflt in (("status", ""), ("kind", "claim"), ("name", ""), ("detail", ""))] for x in res["claims"]]
            assert rows == want, f"{aid}: verdicts differ from {res_p.name}"
        else: assert not c.tables
        notes = [f"{k}: {_plain(res['meta'][k])}" for k in ("note", "status_note") if res["meta"].get(k) and res["meta"][k] != "-"]
        assert c.paras[:-1] == notes or (not res["claims"] and c.paras[1:-1] == notes), f"{aid}: notes {c.paras[:-1]} vs {notes}"
        man = json.loads((d/f"{aid}.manifest.json").read_text())
        prov = c.paras[-1]
        assert man["notebook"] in prov and man.get("executed_notebook", "") in prov and man["git_commit"][:7] in prov, f"{aid}: {prov!r}"
        exe = man.get("executed_notebook", "")
        if exe and "/" not in exe:                               # the committed copy beside the manifest, linked as the checkout names it
            assert (d/exe).is_file() and f"figures/smoke/{d.name}/{exe}" in prov, f"{aid}: {prov!r}"


@pytest.mark.parametrize("nb", COMPANIONS, ids=lambda p: p.stem)
def test_outputs_name_no_folder_of_this_machine(nb):
    text = nb.read_text()
    for p in {str(ROOT), str(ROOT.resolve()), str(Path.home())} - {"/"}:
        assert p not in text, f"{nb.name} names {p}"
    nbj = json.loads(text)
    hrefs = [h for c in nbj["cells"] for o in c.get("outputs", []) for h in re.findall(r'href="([^"]*)"', "".join(o.get("data", {}).get("text/html", [])))]
    assert hrefs and all(not h.startswith(("/", "file:")) for h in hrefs)
    for h in hrefs:                                              # links are relative to the notebook; committed targets exist
        if not h.startswith("../../runs/"): assert (nb.parent/h).exists(), f"{nb.name}: broken link {h}"


@pytest.mark.parametrize("nb", COMPANIONS, ids=lambda p: p.stem)
def test_nbdev_clean_keeps_it_as_committed(nb):
    "CI runs nbdev-clean and fails on any change: a companion is committed cleaned, its outputs kept."
    r = subprocess.run([str(Path(sys.executable).parent/"nbdev-clean"), "--fname", str(nb), "--disp"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.rstrip("\n") == nb.read_text().rstrip("\n"), f"{nb.name}: nbdev-clean would change it (run make reproduce, or nbdev-clean)"
    assert all(c.get("outputs") for c in json.loads(r.stdout)["cells"] if c["cell_type"] == "code"), f"{nb.name}: a code cell without outputs"
