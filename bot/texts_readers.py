"""What the bot says to small talk and about where a command works (merged into bot.texts)."""

from __future__ import annotations

VI = {
    "admin_private_only": (
        "Lệnh này chỉ dùng trong chat riêng với bot: hãy mở chat với {mention} và gửi lệnh ở đó."
    ),
}

EN = {
    "admin_private_only": (
        "This command works only in a private chat with the bot: open a chat with {mention} and send it there."
    ),
}
