"""The library's shape: no import cycle among the modules of `paperlib/` (imports inside functions count too: a lazy
import hides a cycle, it does not remove it), and no shared module imports a paper (`paperlib.papers`)."""
from pathlib import Path
import networkx as nx
import paperlib
from paperlib.core import module_imports

PKG = Path(paperlib.__file__).parent


def _modules():
    for f in sorted(PKG.rglob("*.py")):
        if f.name == "_modidx.py": continue
        rel = f.relative_to(PKG.parent).with_suffix("")
        parts = rel.parts[:-1] if f.name == "__init__.py" else rel.parts
        yield ".".join(parts), f


def _graph():
    mods = dict(_modules()); g = nx.DiGraph(); g.add_nodes_from(mods)
    for name, f in mods.items():
        for mod, names in module_imports(f, name):
            if not mod.startswith("paperlib"): continue
            targets = [f"{mod}.{n}" for n in names if f"{mod}.{n}" in mods] or ([mod] if mod in mods else [])   # `from . import data` is the module data
            for t in targets:
                if t != name and not name.startswith(t + "."): g.add_edge(name, t)    # a submodule reaching its own package's __init__ is not a cycle
    return g


def test_no_import_cycle():
    g = _graph()
    assert len(g) > 20
    cycles = list(nx.simple_cycles(g))
    assert not cycles, f"import cycles: {cycles[:5]}"


def test_no_shared_module_imports_a_paper():
    g = _graph()
    bad = sorted((a, b) for a, b in g.edges if not a.startswith("paperlib.papers") and b.startswith("paperlib.papers"))
    assert not bad, f"shared modules importing a paper: {bad}"
