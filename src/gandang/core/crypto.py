"""Personal information encrypted at rest: SM4 in GCM mode, with a key kept outside the database.

A value is stored as "sm4gcm1:" + base64(key id ‖ nonce ‖ ciphertext ‖ tag):

- SM4 (GB/T 32907-2016), the national block cipher a 等保 assessment expects, 128-bit key;
- GCM, so a changed byte is an error at read, never a silently different phone number;
- a random 96-bit nonce per value, so two people with the same number do not show it;
- the key id (the first 4 bytes of the key's SM3 digest) names the key that wrote the value, so a value
  from a key this install does not have is reported as such, not as tampering, and
  `gandang rotate-pii-key` knows which values still need the old key;
- the prefix names the scheme, so it can change later while old values are still read.

The key (base64 of 16 random bytes) comes from GANDANG_PII_KEY, or else from the key file in the data
dir (settings.GANDANG_PII_KEY_FILE), which is created with a random key on first start (mode 0600). The
file's first line is the key in use; further lines are old keys, still read but never written with, as
are those in GANDANG_PII_OLD_KEYS. The key is never in the database: a copy of the database alone
reads as ciphertext. Losing the key loses the values.

A stored value without the prefix is plain text from before encryption: it reads as it is, and the
migration that switched encryption on (and any later save) writes it encrypted.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gandang.core import keyfile

PREFIX = "sm4gcm1:"
KEY_BYTES = 16
KEY_ID_BYTES = 4
NONCE_BYTES = 12
TAG_BYTES = 16
# Bound into every tag: a value cannot be passed off as one of another scheme.
AAD = PREFIX.encode()


class UnreadableValue(Exception):
    """A stored value that cannot be decrypted: written with a key this install lacks, or altered."""


@dataclass(frozen=True)
class Keyring:
    """The key values are written with, and the old keys still read."""

    current: bytes
    old: tuple[bytes, ...] = ()
    by_id: dict[bytes, bytes] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for key in (*self.old, self.current):
            self.by_id[key_id(key)] = key


@functools.lru_cache(maxsize=32)
def key_id(key: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(key)
    return digest.finalize()[:KEY_ID_BYTES]


def new_key() -> str:
    """A fresh random key, as GANDANG_PII_KEY and the key file hold it (base64)."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def parse_key(text: str, *, source: str) -> bytes:
    """The key in `text` (base64 of 16 bytes); ImproperlyConfigured naming `source` otherwise."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{source}: the personal-information key is not base64") from exc
    if len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"{source}: the personal-information key must be base64 of {KEY_BYTES} bytes (an SM4 key), "
            f"got {len(raw)} bytes; make one with: python3 -c "
            '"import base64,os; print(base64.b64encode(os.urandom(16)).decode())"'
        )
    return raw


def read_key_file(path: Path) -> list[str]:
    """The keys in the key file, the one in use first (blank lines and # comments skipped)."""
    lines = (line.strip() for line in path.read_text(encoding="ascii").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def write_key_file(path: Path, keys: list[str]) -> None:
    """Replace the key file with `keys` (the one in use first), readable by its owner only, atomically:
    a crash leaves the old file or the new one, never half of one."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write("".join(f"{k}\n" for k in keys))
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def _load(env_key: str, old_keys: tuple[str, ...], path: str) -> Keyring:
    olds: list[bytes] = []
    if env_key:
        current = parse_key(env_key, source="GANDANG_PII_KEY")
    else:
        file = Path(path)
        keyfile.create_once(file, new_key() + "\n")  # one key, however many processes start at once
        lines = read_key_file(file)
        if not lines:
            raise ImproperlyConfigured(f"{file}: the personal-information key file holds no key")
        current = parse_key(lines[0], source=str(file))
        olds += [parse_key(k, source=f"{file} (old key {i})") for i, k in enumerate(lines[1:], 1)]
    olds += [parse_key(k, source="GANDANG_PII_OLD_KEYS") for k in old_keys]
    return Keyring(current=current, old=tuple(dict.fromkeys(k for k in olds if k != current)))


_cached: tuple[tuple[str, tuple[str, ...], str], Keyring] | None = None


def keyring(*, reload: bool = False) -> Keyring:
    """The configured keys, read once (again when the settings change, or with `reload`)."""
    global _cached
    config = (
        settings.GANDANG_PII_KEY,
        tuple(settings.GANDANG_PII_OLD_KEYS),
        str(settings.GANDANG_PII_KEY_FILE),
    )
    if reload or _cached is None or _cached[0] != config:
        _cached = (config, _load(*config))
    return _cached[1]


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX)


def encrypt(plaintext: str) -> str:
    """`plaintext` encrypted with the key in use ("" stays "": that a person has no e-mail is no secret,
    and it lets `email=""` be asked of the database)."""
    if plaintext == "":
        return ""
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(ring.current), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(AAD)
    body = encryptor.update(plaintext.encode("utf-8")) + encryptor.finalize()
    blob = key_id(ring.current) + nonce + body + encryptor.tag
    return PREFIX + base64.b64encode(blob).decode("ascii")


def _split(token: str) -> tuple[bytes, bytes, bytes, bytes]:
    try:
        blob = base64.b64decode(token[len(PREFIX) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise UnreadableValue("an encrypted personal-information value is damaged (not base64)") from exc
    if len(blob) < KEY_ID_BYTES + NONCE_BYTES + TAG_BYTES:
        raise UnreadableValue("an encrypted personal-information value is damaged (too short)")
    kid, rest = blob[:KEY_ID_BYTES], blob[KEY_ID_BYTES:]
    return kid, rest[:NONCE_BYTES], rest[NONCE_BYTES:-TAG_BYTES], rest[-TAG_BYTES:]


def _key_for(kid: bytes) -> bytes:
    key = keyring().by_id.get(kid)
    if key is None:
        # `gandang rotate-pii-key --new-key` may have rewritten the key file since this process read it.
        key = keyring(reload=True).by_id.get(kid)
    if key is None:
        raise UnreadableValue(
            f"a personal-information value was encrypted with key {kid.hex()}, which is not configured "
            f"(GANDANG_PII_KEY, the key file {settings.GANDANG_PII_KEY_FILE}, GANDANG_PII_OLD_KEYS): "
            f"wrong or lost key"
        )
    return key


def decrypt(token: str) -> str:
    """The plain text of a stored value; a value stored before encryption comes back as it is.

    UnreadableValue when the value was written with a key that is not configured, or was altered.
    """
    if not is_encrypted(token):
        return token
    kid, nonce, body, tag = _split(token)
    decryptor = Cipher(algorithms.SM4(_key_for(kid)), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(AAD)
    try:
        plain = decryptor.update(body) + decryptor.finalize()
    except InvalidTag as exc:
        raise UnreadableValue(
            f"a personal-information value (key {kid.hex()}) fails its integrity check (SM4-GCM tag): "
            f"it was altered in the database"
        ) from exc
    return plain.decode("utf-8")


def key_state(token: str) -> str:
    """Which key a stored value needs: "current", "old", "plain" (not encrypted, or empty) or "unknown"."""
    if not is_encrypted(token):
        return "plain"
    kid = _split(token)[0]
    ring = keyring()
    if kid == key_id(ring.current):
        return "current"
    return "old" if kid in ring.by_id else "unknown"


def fingerprint(value: str) -> str:
    """A short keyed digest of `value` (HMAC-SM3 under a key derived from the one in use, 6 hex digits).

    The audit history keeps a masked phone number with this beside it, so that changing 13812345678 to
    13899995678 (both 138****5678) is still seen as a change, while the digest says nothing of the number
    to someone without the key (and whoever has the key can read the database anyway)."""
    derive = hmac.HMAC(keyring().current, hashes.SM3())
    derive.update(b"gandang audit fingerprint")
    mac = hmac.HMAC(derive.finalize(), hashes.SM3())
    mac.update(value.encode("utf-8"))
    return mac.finalize().hex()[:6]
