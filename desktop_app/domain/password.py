"""The optional start-up password, stored only as a salted scrypt hash.

The stored form is ``scrypt$n$r$p$<salt b64>$<hash b64>``, so the cost
parameters can be raised later without breaking existing hashes.  No
plain-text password is ever written anywhere.
"""

from __future__ import annotations

import base64
import os

# hashlib (OpenSSL, ~4 ms) and hmac are imported where a password is set or
# checked: the start-up of a register without a password never needs them.

#: scrypt cost: ~50 ms on an office PC, 16 MiB of memory.
SCRYPT_N = 2 ** 14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
MIN_LENGTH = 4

#: Settings keys.
PASSWORD_SETTING = "password_hash"
IDLE_SETTING = "lock_idle_minutes"
DEFAULT_IDLE_MINUTES = 10


#: Shown when this Python has no OpenSSL (``hashlib.scrypt`` is missing).
UNAVAILABLE_MESSAGE = ("本程序缺少密码加密组件（OpenSSL 的 hashlib.scrypt），无法设置或校验启动密码。"
                       "请联系技术人员重新安装本程序。")


def available() -> bool:
    """Whether salted scrypt hashing is available (it needs OpenSSL)."""
    import hashlib

    return hasattr(hashlib, "scrypt")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    if not password:
        raise ValueError("密码不能为空。")
    if not available():
        raise RuntimeError(UNAVAILABLE_MESSAGE)
    import hashlib

    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                         dklen=KEY_BYTES, maxmem=64 * 1024 * 1024)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when ``password`` matches the stored hash (constant-time)."""
    if not stored or password is None:
        return False
    import hashlib
    import hmac

    try:
        scheme, n, r, p, salt_b64, key_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt = base64.b64decode(salt_b64)
        expected = base64.b64decode(key_b64)
        key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=int(n), r=int(r), p=int(p),
                             dklen=len(expected), maxmem=128 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(key, expected)


def password_problem(password: str, repeat: str) -> str | None:
    """A Chinese message when a new password cannot be used, else None."""
    if len(password) < MIN_LENGTH:
        return f"密码至少需要 {MIN_LENGTH} 个字符。"
    if password != repeat:
        return "两次输入的密码不一致，请重新输入。"
    if password.strip() != password:
        return "密码的开头和结尾不能是空格。"
    return None
