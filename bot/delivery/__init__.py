"""How answers reach Telegram: the one Sender (at most once, through outages), flood limits, batching of
concurrent searches, and per-chat ordering of answers."""
