"""The server key: an Ed25519 key kept in a file outside the database, which signs the
checkpoints of every company's hash chain and the states cached from it (DESIGN.md,
principle 8).

Whoever can write to the database cannot sign: a history rewritten there, with its chain
recomputed, no longer matches the signed checkpoints. The public key alone verifies a
signature, so an auditor checks a database without holding any secret.

The file is found at $CHARTER_KEY_FILE, else beside a SQLite database (`charter.db.key`),
else (a server database) at ~/.config/charter/server.key. `charter init` creates it, readable
by its owner only (mode 0600). An in-memory database (`--ledger FILE`) signs with a key made
for it that never leaves the process.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from charter.errors import CharterError, Problem

KEY_FILE_ENV = "CHARTER_KEY_FILE"


def key_path(db_url: str) -> Path:
    """Where the server key of database `db_url` lives."""
    configured = os.environ.get(KEY_FILE_ENV)
    if configured:
        return Path(configured)
    if "://" not in db_url:
        return Path(f"{db_url}.key")
    if db_url.startswith("sqlite:///"):
        return Path(f"{db_url.removeprefix('sqlite:///')}.key")
    return Path.home() / ".config" / "charter" / "server.key"


class ServerKey(msgspec.Struct, frozen=True):
    """The public key, and the private key where this process may sign."""

    public: Ed25519PublicKey
    private: Ed25519PrivateKey | None = None
    path: Path | None = None  # the file it was read from (None: made for this process)

    @classmethod
    def ephemeral(cls) -> ServerKey:
        """A key for a throw-away in-memory database: it never leaves the process."""
        private = Ed25519PrivateKey.generate()
        return cls(private.public_key(), private)

    @classmethod
    def create(cls, path: Path) -> ServerKey:
        """A new key written to `path`, readable by its owner only; never overwrites."""
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return cls.load(path)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        return cls(private.public_key(), private, path)

    @classmethod
    def load(cls, path: Path) -> ServerKey:
        """The key in `path`: a private key (PKCS#8 PEM), or a public key alone (an auditor's
        copy, `charter key show`), which verifies and cannot sign."""
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CharterError(
                [
                    Problem(
                        "there is no server key here; `charter init` creates it (set "
                        f"${KEY_FILE_ENV} if it is kept elsewhere)",
                        file=str(path),
                    )
                ]
            ) from None
        except OSError as e:
            raise CharterError(
                [Problem(f"cannot read the key: {e.strerror}", file=str(path))]
            ) from e
        try:
            if b"PRIVATE KEY" in data:
                private = serialization.load_pem_private_key(data, password=None)
                if isinstance(private, Ed25519PrivateKey):
                    return cls(private.public_key(), private, path)
            else:
                public = serialization.load_pem_public_key(data)
                if isinstance(public, Ed25519PublicKey):
                    return cls(public, None, path)
        except ValueError:
            pass
        raise CharterError([Problem("is not an Ed25519 key in PEM form", file=str(path))])

    @property
    def key_id(self) -> str:
        """A short name of the public key: the first 16 hex digits of its SHA-256."""
        raw = self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return hashlib.sha256(raw).hexdigest()[:16]

    def public_pem(self) -> str:
        return self.public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")

    def sign(self, message: str) -> str:
        """The signature of `message`, in hex."""
        if self.private is None:
            where = f" ({self.path})" if self.path else ""
            raise CharterError(
                [Problem(f"the key{where} is a public key: it verifies, and cannot sign")]
            )
        return self.private.sign(message.encode()).hex()

    def verifies(self, message: str, signature: str) -> bool:
        """Whether `signature` (hex) is this key's signature of `message`."""
        raw = self.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return _verifies(raw, message, signature)


@functools.lru_cache(maxsize=4096)
def _verifies(public: bytes, message: str, signature: str) -> bool:
    """Kept per process: a signature checked once (a checkpoint every read meets) is not
    checked again."""
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(
            bytes.fromhex(signature), message.encode()
        )
    except (InvalidSignature, ValueError):
        return False
    return True
