"""Helpers of webcutter's own test suite (baking, environments, servers, a form-reading client)."""
