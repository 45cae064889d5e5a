"""The progress cache survives two coursekit commands saving it at once (two terminals, or watch and check)."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from coursekit.cli.progress import CACHE_FILE, CACHE_VERSION, ResultCache


def test_saves_at_the_same_time_leave_one_whole_cache(tmp_path: Path) -> None:
    caches = [ResultCache(tmp_path) for _ in range(4)]

    def save_often(cache: ResultCache) -> None:
        for _ in range(50):
            cache.save()

    with ThreadPoolExecutor(max_workers=len(caches)) as pool:
        list(pool.map(save_often, caches))  # a shared temp file made one of these raise FileNotFoundError

    assert json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8")) == {"version": CACHE_VERSION, "exercises": {}}
    assert [path.name for path in (tmp_path / CACHE_FILE).parent.iterdir()] == [CACHE_FILE.name]
