"""Chat platforms, each behind the small contract in :mod:`bot.adapters.base`."""
