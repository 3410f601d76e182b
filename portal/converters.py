"""URL parts that are secrets: only the characters our tokens are made of.

A token is ``secrets.token_urlsafe`` or ``token_hex`` output. Anything else (a NUL
byte, which PostgreSQL refuses in a query, or a megabyte of text) does not match
the URL, so it is the same 404 as an unknown token.
"""

from django.urls import register_converter


class TokenConverter:
    regex = r"[A-Za-z0-9_-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Registered on import, so every urls module that uses <token:...> imports this one.
register_converter(TokenConverter, "token")
