"""Helpers of webcutter's test suite: the template set, PostgreSQL, chromium, a form reader.

Serving a generated project (its venv, Procfile release and web) is webcutter.runtime's job.
"""
