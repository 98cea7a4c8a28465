"""Errors that services raise and views show to the user as they are (in Chinese)."""


class ServiceError(Exception):
    """A refused operation; str(exc) is the message for the user."""


class StaleEdit(ServiceError):
    """Somebody else saved the record after this form was opened."""
