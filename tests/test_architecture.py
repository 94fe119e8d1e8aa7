"""The layout's rules, checked on the source: one-way layers, no import cycles (imports inside functions and
under TYPE_CHECKING included), backends in their own rooms, and nothing read from outside the repository."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "retriever", "embeddings", "tracuu", "benchmarks", "tests")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


MODULES = _modules()


def _owner(name: str) -> str | None:
    """The project module an import name resolves to (a package's `__init__` for `from pkg import name`)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(path: Path) -> set[str]:
    """Every name imported anywhere in the file, as written (`from a import b` gives `a.b` and `a`)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:  # the project uses none; were one added, it counts
            raise AssertionError(f"{path.relative_to(REPO)}: a relative import; write it in full")
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in MODULES.items():
        targets = {_owner(imported) for imported in _imports(path)} - {None, name}
        # a package's __init__ may re-export its own modules; that is not an arrow back up
        graph[name] = {t for t in targets if t is not None and not t.startswith(name + ".")}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_tarjan_check_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_layers_point_one_way():
    graph = _graph()
    wrong = [
        (source, target)
        for source, targets in graph.items()
        for target in targets
        if (source.startswith(("retriever", "embeddings")) and target.startswith(("bot", "tracuu", "benchmarks")))
        or (source.startswith("retriever.index") and target.startswith("retriever.query"))
        or (source.startswith("retriever.index.local") and target.startswith("retriever.index.postgres"))
        or (source.startswith("retriever.index.postgres") and target.startswith("retriever.index.local"))
        or (source.startswith("bot") and target.startswith(("tracuu", "benchmarks")))
    ]
    assert wrong == []


def test_retriever_and_embeddings_never_import_telegram():
    for name, path in MODULES.items():
        if name.startswith(("retriever", "embeddings")):
            assert not any(imported.split(".")[0] == "telegram" for imported in _imports(path)), name


def test_nothing_reads_outside_the_repository():
    """The evaluation sets live in eval/: no code, test or make target reaches for a folder beside the clone."""
    # REPO's parent, by a relative path or from a module's own path (split so as not to match this line)
    outside = re.compile(r"\.\./" + r"shared|Path\(__file__\)\.resolve\(\)\.(parents\[2\]|parent\.parent\.parent)")
    files = [*REPO.glob("Makefile"), *(REPO / ".ci").iterdir(), *(REPO / "tests").rglob("*.py")]
    files += [path for package in PACKAGES for path in (REPO / package).rglob("*.py")]
    assert [str(path.relative_to(REPO)) for path in files if outside.search(path.read_text("utf-8"))] == []
