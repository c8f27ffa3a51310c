"""Notes: each user's private notes."""
