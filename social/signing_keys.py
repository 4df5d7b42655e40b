"""The instance's signing identity for Content Credentials: a local CA and a leaf certificate.

Made on first use in the data folder (`credentials/`). C2PA refuses a self-signed signing
certificate, so the instance has its own small CA (keyCertSign) that issues the leaf it signs
with (digitalSignature, the emailProtection EKU), all ES256 (P-256 keys, SHA-256).
A reader that trusts `ca.pem` sees the instance's images as Trusted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from social.settings import get_settings

FOLDER = "credentials"
CA_CERT, CA_KEY, LEAF_CERT, LEAF_KEY = "ca.pem", "ca-key.pem", "signer.pem", "signer-key.pem"
VALID_FOR = timedelta(days=10 * 365)
ORGANIZATION = "Plaza"


@dataclass(frozen=True)
class SigningIdentity:
    """PEM texts: the leaf's chain (leaf first, then the CA), its private key, and the CA."""

    chain_pem: str
    private_key_pem: str
    ca_pem: str


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


def issue_identity(common_name: str = "Plaza instance") -> dict[str, bytes]:
    """A new CA and a leaf it issued, as PEM file contents by file name."""
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
    return {
        CA_CERT: _pem(ca),
        CA_KEY: _private_pem(ca_key),
        LEAF_CERT: _pem(leaf) + _pem(ca),
        LEAF_KEY: _private_pem(leaf_key),
    }


def _create(folder: Path) -> None:
    """Write a new identity to `folder` whole or not at all (two processes may race)."""
    temp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".credentials-"))
    try:
        for name, content in issue_identity().items():
            path = temp / name
            path.write_bytes(content)
            if name.endswith("key.pem"):
                path.chmod(0o600)
        os.rename(temp, folder)  # fails if another process made the folder first
    except OSError:
        if not (folder / LEAF_KEY).exists():
            raise
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def instance_identity() -> SigningIdentity:
    """The instance's signing identity, created in the data folder on first use."""
    folder = get_settings().data_dir / FOLDER
    if not (folder / LEAF_KEY).exists():
        _create(folder)
    return SigningIdentity(
        chain_pem=(folder / LEAF_CERT).read_text(),
        private_key_pem=(folder / LEAF_KEY).read_text(),
        ca_pem=(folder / CA_CERT).read_text(),
    )
