"""The instance's signing identity for Content Credentials: a small CA and a leaf it issued.

Kept in the database (table `signing_identity`, one row, made by migration 0013), so that every
server of one community signs as the same instance and sees the others' pictures as Trusted.
C2PA refuses a self-signed signing certificate, so the instance has its own small CA
(keyCertSign) that issues the leaf it signs with (digitalSignature, the emailProtection EKU),
all ES256 (P-256 keys, SHA-256). A reader that trusts the CA (`plaza ca`) sees the instance's
images as Trusted.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from social.db import default_engine
from social.models import SigningIdentityRow

# Where an instance kept its identity before the database did: migration 0013 adopts it, so
# the pictures it signed stay Trusted and a CA its readers already trust stays the one.
LEGACY_FOLDER = "credentials"
LEGACY_FILES = {
    "chain_pem": "signer.pem",
    "private_key_pem": "signer-key.pem",
    "ca_pem": "ca.pem",
    "ca_key_pem": "ca-key.pem",
}
VALID_FOR = timedelta(days=10 * 365)
ORGANIZATION = "Plaza"


@dataclass(frozen=True)
class SigningIdentity:
    """PEM texts: the leaf's chain (leaf first, then the CA), its private key, the CA, and
    the CA's private key (kept to issue the next leaf)."""

    chain_pem: str
    private_key_pem: str
    ca_pem: str
    ca_key_pem: str


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
        ]
    )


def _key_usage(*, sign: bool, certify: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=certify,
        crl_sign=certify,
        encipher_only=False,
        decipher_only=False,
    )


def _pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _private_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def issue_identity(common_name: str = "Plaza instance") -> SigningIdentity:
    """A new CA and a leaf it issued."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name(f"{common_name} CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + VALID_FOR)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign=False, certify=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_name)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + VALID_FOR)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign=True, certify=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(leaf_key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    return SigningIdentity(
        chain_pem=(_pem(leaf) + _pem(ca)).decode(),
        private_key_pem=_private_pem(leaf_key).decode(),
        ca_pem=_pem(ca).decode(),
        ca_key_pem=_private_pem(ca_key).decode(),
    )


def identity_in_folder(folder: Path) -> SigningIdentity | None:
    """The identity an instance kept in `folder` before the database kept it, if any."""
    paths = {field: folder / name for field, name in LEGACY_FILES.items()}
    if not all(path.is_file() for path in paths.values()):
        return None
    return SigningIdentity(**{field: path.read_text() for field, path in paths.items()})


def write_to_folder(identity: SigningIdentity, folder: Path) -> None:
    """Write `identity` to `folder` as instances kept it before the database did (private
    keys readable by their owner only)."""
    folder.mkdir(parents=True, exist_ok=True)
    for field, name in LEGACY_FILES.items():
        path = folder / name
        mode = 0o600 if field.endswith("key_pem") else 0o644
        path.touch(mode=mode)
        path.chmod(mode)  # before the key is in it, also where the file was there already
        path.write_text(getattr(identity, field))


_COLUMNS = tuple(getattr(SigningIdentityRow, field.name) for field in fields(SigningIdentity))


def instance_identity(db: Session | Connection) -> SigningIdentity:
    """The instance's signing identity, as the database `db` reaches keeps it."""
    row = db.execute(select(*_COLUMNS)).one_or_none()
    if row is None:
        raise LookupError("This database has no signing identity: run `plaza migrate`.")
    return SigningIdentity(*row)


def instance_ca_pem(engine: Engine | None = None) -> str:
    """The instance's CA (PEM), to pass as `trust_anchors`: its own pictures read as Trusted."""
    with (engine or default_engine()).connect() as connection:
        return instance_identity(connection).ca_pem
