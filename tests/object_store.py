"""A local S3-compatible server for the tests: moto's server mode on 127.0.0.1.

Why moto: the tests need something that speaks the S3 wire protocol on a local port, installs
from the registries with pip, and starts in well under a second inside the test process. MinIO
is not in the registries; Debian's radosgw is a real store but needs a Ceph cluster (monitors,
OSDs, keyrings) around it, far too heavy to start per test run. moto is an emulator, not a
store, so these tests prove that Plaza speaks S3 correctly through boto3 (keys, prefixes,
missing objects, paging), not how a particular store behaves under load.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from social.settings import get_settings

# Any credentials do for moto; set so that boto3 never looks for real ones.
TEST_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "plaza-test",
    "AWS_SECRET_ACCESS_KEY": "plaza-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
}


class S3TestServer:
    """moto's S3 server in a thread of the test process, with one fresh bucket per test."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer  # Flask and moto load only when asked for

        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)

    def start(self) -> S3TestServer:
        """Start listening on a free port."""
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        return self

    def stop(self) -> None:
        """Stop the server (its buckets go with it)."""
        self._server.stop()

    def new_bucket(self) -> str:
        """A new empty bucket; its name."""
        import boto3

        name = f"plaza-{uuid.uuid4().hex[:12]}"
        client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=TEST_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=TEST_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=TEST_CREDENTIALS["AWS_DEFAULT_REGION"],
        )
        client.create_bucket(Bucket=name)
        return name

    def storage_url(self, bucket: str, prefix: str = "media") -> str:
        """The PLAZA_STORAGE_URL of `bucket` on this server."""
        return f"s3://{bucket}/{prefix}?endpoint_url={self.endpoint}"


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3TestServer]:
    """One S3 server for the whole run."""
    server = S3TestServer().start()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(s3_server: S3TestServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point Plaza's image store at a fresh bucket on the test S3 server; its URL."""
    for name, value in TEST_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    url = s3_server.storage_url(s3_server.new_bucket())
    monkeypatch.setenv("PLAZA_STORAGE_URL", url)
    get_settings.cache_clear()
    return url
