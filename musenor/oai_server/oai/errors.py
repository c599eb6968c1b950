"""OAI-PMH error conditions (OAI-PMH 2.0 section 3.6), one type per code, the spec's sentence as docstring.

A verb raises one of these; the endpoint answers it inside a valid envelope with HTTP 200 (never 4xx:
harvesters treat an HTTP error as a broken repository, not as a protocol answer).
"""

from __future__ import annotations


class OAIError(Exception):
    code = ""
    # badVerb and badArgument answers must not echo the request's arguments (section 3.2).
    echo_arguments = True

    def __init__(self, message: str = "") -> None:
        super().__init__(message or " ".join((self.__doc__ or self.code).split()))
        self.message = str(self)


class BadArgument(OAIError):
    """The request includes illegal arguments, is missing required arguments, includes a repeated argument,
    or values for arguments have an illegal syntax."""

    code = "badArgument"
    echo_arguments = False


class BadResumptionToken(OAIError):
    """The value of the resumptionToken argument is invalid or expired."""

    code = "badResumptionToken"


class BadVerb(OAIError):
    """Value of the verb argument is not a legal OAI-PMH verb, the verb argument is missing, or the verb
    argument is repeated."""

    code = "badVerb"
    echo_arguments = False


class CannotDisseminateFormat(OAIError):
    """The metadata format identified by the value given for the metadataPrefix argument is not supported
    by the item or by the repository."""

    code = "cannotDisseminateFormat"


class IdDoesNotExist(OAIError):
    """The value of the identifier argument is unknown or illegal in this repository."""

    code = "idDoesNotExist"


class NoRecordsMatch(OAIError):
    """The combination of the values of the from, until, set and metadataPrefix arguments results in an
    empty list."""

    code = "noRecordsMatch"


class NoMetadataFormats(OAIError):
    """There are no metadata formats available for the specified item."""

    code = "noMetadataFormats"


class NoSetHierarchy(OAIError):
    """The repository does not support sets."""

    code = "noSetHierarchy"


ERRORS = {cls.code: cls for cls in (BadArgument, BadResumptionToken, BadVerb, CannotDisseminateFormat,
                                    IdDoesNotExist, NoRecordsMatch, NoMetadataFormats, NoSetHierarchy)}
