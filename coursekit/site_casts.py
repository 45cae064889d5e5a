"""MkDocs hook that plays each snippet's recorded run under its code, in every language.

``tests/test_snippets.py`` records the fake-model run of each snippet as an asciinema cast,
``modules/<day>/casts/<name>.cast``. Here every block that includes a snippet with a cast gets an
asciinema-player under it, so the three guides need no HTML of their own. The player is the pinned
build committed in ``vendor/asciinema-player/`` (see its VERSION), served from the site itself, so
the site works offline.
"""

from __future__ import annotations

import html
import json
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from coursekit.guides import ROOT

PLAYER_DIR = ROOT / "vendor" / "asciinema-player"
PLAYER_URL = "assets/asciinema-player"
CAST_CLASS = "course-cast"
#: A whole code block that includes a Python snippet: the fence, the include line, the fence.
_INCLUDED_BLOCK = re.compile(r'^```\w+\n--8<-- "modules/(?P<day>[^/"]+)/snippets/(?P<name>[^/"]+)\.py"\n```\n', re.M)
#: A pause plays for 2 s at most (a slow model's wait is shown, not sat through); the cast is
#: loaded with the page, so the player has the recording's size before it starts.
PLAYER_OPTIONS = {"idleTimeLimit": 2, "preload": True, "fit": "width", "terminalFontSize": "small"}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Publish the player beside the theme's assets (the casts are in docs_dir already)."""
    for path in sorted(PLAYER_DIR.glob("asciinema-player.*")):
        files.append(File.generated(config, f"{PLAYER_URL}/{path.name}", abs_src_path=str(path)))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    def with_player(block: re.Match[str]) -> str:
        cast = ROOT / "modules" / block["day"] / "casts" / f"{block['name']}.cast"
        if not cast.exists():
            return block[0]
        url = get_relative_url(f"{block['day']}/casts/{cast.name}", page.url)
        return f'{block[0]}\n<div class="{CAST_CLASS}" data-cast="{html.escape(url)}"></div>\n'

    return _INCLUDED_BLOCK.sub(with_player, markdown)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Load the player only on pages that play something."""
    if f'class="{CAST_CLASS}"' not in output:
        return output
    base = get_relative_url(PLAYER_URL, page.url)
    style = f'<link rel="stylesheet" href="{base}/asciinema-player.css">'
    script = (
        f'<script src="{base}/asciinema-player.min.js"></script>\n<script>\n'
        f'document.querySelectorAll(".{CAST_CLASS}").forEach((box) =>\n'
        f"  AsciinemaPlayer.create(box.dataset.cast, box, {json.dumps(PLAYER_OPTIONS)}));\n</script>"
    )
    return output.replace("</head>", f"{style}\n</head>", 1).replace("</body>", f"{script}\n</body>", 1)
