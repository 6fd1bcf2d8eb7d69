"""Twilio's REST errors: the exception routes raise and the JSON body Twilio answers with."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

MORE_INFO = "https://www.twilio.com/docs/errors/{code}"


class TwilioError(Exception):
    """A request refused as Twilio would refuse it: ``{"code","message","more_info","status"}``."""

    def __init__(self, code: int, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "more_info": MORE_INFO.format(code=self.code),
            "status": self.status,
        }


def authentication_failed() -> TwilioError:
    return TwilioError(20003, "Authenticate", 401)


def not_found(path: str) -> TwilioError:
    return TwilioError(20404, f"The requested resource {path} was not found", 404)


def missing_to() -> TwilioError:
    return TwilioError(21604, "A 'To' phone number is required.")


def missing_from() -> TwilioError:
    return TwilioError(21603, "A 'From' phone number is required.")


def missing_body() -> TwilioError:
    return TwilioError(21602, "Message body is required.")


def body_too_long() -> TwilioError:
    return TwilioError(21617, "The concatenated message body exceeds the 1600 character limit.")


def invalid_to(to: str) -> TwilioError:
    return TwilioError(21211, f"The 'To' number {to} is not a valid phone number.")


def invalid_from(from_: str) -> TwilioError:
    return TwilioError(
        21606,
        f"The From phone number {from_} is not a valid, SMS-capable inbound phone number "
        "or short code for your account.",
    )


def unsubscribed(to: str) -> TwilioError:
    return TwilioError(21610, f"Attempt to send to unsubscribed recipient {to}")


def not_mobile(to: str) -> TwilioError:
    return TwilioError(21614, f"'To' number {to} is not a valid mobile number")


def too_many_media() -> TwilioError:
    return TwilioError(21623, "Number of media files exceeds allowed limit of 10.")


def invalid_media_url(url: str) -> TwilioError:
    return TwilioError(21620, f"Invalid media URL(s): {url}")


def invalid_url(field: str, url: str) -> TwilioError:
    return TwilioError(21609, f"Invalid {field}: {url!r} is not an absolute http(s) URL")


def invalid_parameter(field: str, reason: str) -> TwilioError:
    return TwilioError(30400, f"Invalid parameter {field}: {reason}")


def cannot_cancel(sid: str, status: str) -> TwilioError:
    return TwilioError(30409, f"Message {sid} cannot be canceled: its status is '{status}'")


def invalid_phone_number(value: str) -> TwilioError:
    return TwilioError(21421, f"PhoneNumber is invalid: {value!r}")


async def twilio_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Answer a :class:`TwilioError` with Twilio's error JSON."""
    assert isinstance(exc, TwilioError)
    headers = {"WWW-Authenticate": 'Basic realm="Twilio API"'} if exc.status == 401 else None
    return JSONResponse(exc.body(), status_code=exc.status, headers=headers)
