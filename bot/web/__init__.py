"""The bot's HTTP side: Telegram's webhook, `/healthz` and Prometheus `/metrics` on one port."""
