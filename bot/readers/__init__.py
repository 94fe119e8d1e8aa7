"""What readers use: answers to questions (private chats and groups), inline mode, the full-article
button, 👍/👎 feedback and each chat's settings."""
