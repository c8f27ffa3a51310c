"""Failed sign-ins and password-reset mails, counted in the database for every process."""

from ..throttle import ThrottleEventMixin
from .meta import Base


class ThrottleEvent(ThrottleEventMixin, Base):
    """One failed sign-in (per username, per address) or one reset mail (``throttle.py``)."""

    __tablename__ = "throttle_events"
