"""A run's message as the database keeps it: the English text and its values, not one language.

The server that trains a run writes its message (finished, stopped, why it failed) into the
runs table; every server of the class reads it, and each visitor reads it in their own
language. So the message is stored as JSON of the text and its placeholders' values, and
read back into a `Message` a page translates. Rows written before (plain English text) are
read as they are, and shown so.
"""

from __future__ import annotations

import json

from mnist_core.i18n import Message, Number, Percent

Said = Message | str  # what a run's message is: a Message, or plain text (an old row's)


def reason(exc: BaseException) -> Said:
    """What an exception says: its Message if it was raised with one, else its text."""
    if exc.args and isinstance(exc.args[0], Message):
        return exc.args[0]
    return str(exc)


def to_text(said: Said) -> str:
    """A message as the database's text column keeps it: JSON for a Message, plain text as it is."""
    if not isinstance(said, Message):
        return str(said)
    return json.dumps(_plain(said), ensure_ascii=False, separators=(",", ":"))


def from_text(text: str) -> Said:
    """The message a row keeps: a Message where it was written as one, else the plain text."""
    if not text.startswith('{"text":'):
        return text
    try:
        return _message(json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError):
        return text


def _plain(message: Message) -> dict:
    data: dict = {"text": message.text, "params": {k: _value(v) for k, v in message.params.items()}}
    if message.plural is not None:
        data["plural"], data["count"] = message.plural, message.count
    return data


def _value(value: object) -> object:
    if isinstance(value, Number):
        return {"number": value.value, "decimals": value.decimals}
    if isinstance(value, Percent):
        return {"percent": value.value, "decimals": value.decimals}
    if isinstance(value, BaseException):
        value = reason(value)
    if isinstance(value, Message):
        return {"message": _plain(value)}
    if isinstance(value, bool | int | float) or value is None:
        return value
    return str(value)


def _message(data: dict) -> Message:
    if not isinstance(data.get("text"), str):
        raise TypeError("not a message")
    params = {k: _read(v) for k, v in dict(data.get("params") or {}).items()}
    plural = data.get("plural")
    plural = plural if isinstance(plural, str) else None
    return Message(data["text"], params, plural, data.get("count"))


def _read(value: object) -> object:
    if isinstance(value, dict):
        if "number" in value:
            return Number(value["number"], value.get("decimals"))
        if "percent" in value:
            return Percent(value["percent"], value.get("decimals") or 0)
        if "message" in value:
            return _message(value["message"])
    return value
