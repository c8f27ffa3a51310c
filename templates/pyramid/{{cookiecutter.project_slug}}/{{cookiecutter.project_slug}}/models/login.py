"""Server-side records of sign-ins: a session is logged in only while its row exists."""

from ..logins import LoginMixin
from .meta import Base


class Login(LoginMixin, Base):
    """One signed-in session (``logins.py`` says how the cookie's token finds it)."""

    __tablename__ = "logins"
    __user_table__ = "users"
