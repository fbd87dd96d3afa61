"""Chat commands, platform-neutral: ``Command`` in, ``Reply`` out."""
