"""Adding, changing and removing one article on a collection `tracuu bench` built, timed as the bench times them.

    python -m benchmarks.updates .bench/p1000000 [--work .bench] [--rounds 2]

Each update is built in a process of its own with the real encoder for the new article, then the running
bot's reload and a fresh process's answer are timed (`benchmarks.bench.update_and_answer`). The bench
itself times one addition and one change after its build; this repeats them on an index that is already
there, so two commits can be compared on the same collection in turn, without building it again.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarks.bench import update_and_answer
from benchmarks.corpus import CHANGED_FACT_DATE, NEW_ARTICLE_FACT_DATE, load_source_text, write_new_article
from benchmarks.measure import eval_root
from embeddings import load_encoder
from retriever.library import LibraryConfig
from tracuu.settings import load_settings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a size's folder of the bench's work folder (data/, index/)")
    parser.add_argument("--work", type=Path, default=None, help="the bench's work folder (default: its parent)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    data, index = args.folder / "data", args.folder / "index"
    work = args.work or args.folder.parent
    settings = load_settings(data_dir=data, index_dir=index)
    real = load_encoder(settings.embedding_backend, settings.embedding_model, device=settings.embedding_device)
    config = LibraryConfig(data, index, settings.dense_index, settings.batch_size,
                           build_memory_mb=settings.build_memory_mb)
    source = load_source_text(Path("data"), eval_root())

    def update(name: str, quoted) -> None:
        done = update_and_answer(settings, config, real, quoted, work)
        print(json.dumps({"update": name, "seconds": done.seconds, "found": done.found, "peak_mb": done.peak_mb,
                          "stages": done.stages}, ensure_ascii=False), flush=True)

    for stale in data.glob("zz-bench-*"):  # an earlier run's article: removed first, untimed in effect
        stale.unlink()
    update("removal of an earlier run's article", lambda text: True)
    for _ in range(args.rounds):
        article = write_new_article(source, data)
        update("add", lambda text: NEW_ARTICLE_FACT_DATE in text)
        article.write_text(article.read_text("utf-8").replace(NEW_ARTICLE_FACT_DATE, CHANGED_FACT_DATE), "utf-8")
        update("change", lambda text: CHANGED_FACT_DATE in text)
        article.unlink()
        update("remove", lambda text: True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
