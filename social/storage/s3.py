"""Images as objects in an S3-compatible store, so that several servers share them.

`PLAZA_STORAGE_URL=s3://bucket/prefix?endpoint_url=http://host:9000&region=eu-west-1` names the
bucket, an optional key prefix, and for a store other than Amazon's its endpoint (reached with
path-style addresses, which MinIO, Ceph and the like expect). Credentials come the usual way
for boto3: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, or an instance role.
The bucket must exist; Plaza only reads and writes objects in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from social.errors import NotFound, StoreUnavailable
from social.storage.base import MISSING, StoredObject

UNAVAILABLE = "Plaza's image store could not be reached; please try again in a moment."
_MISSING_CODES = {"404", "NoSuchKey", "NotFound"}
_OPTIONS = {"endpoint_url", "region"}


class S3Store:
    """Objects under `prefix` in one bucket of an S3-compatible store."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    @classmethod
    def from_url(cls, url: str) -> S3Store:
        """The store `url` names: s3://bucket[/prefix][?endpoint_url=...&region=...]."""
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError(f"PLAZA_STORAGE_URL must look like s3://bucket/prefix, not {url!r}")
        options = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        unknown = set(options) - _OPTIONS
        if unknown:
            raise ValueError(f"PLAZA_STORAGE_URL has unknown options: {', '.join(sorted(unknown))}")
        endpoint = options.get("endpoint_url")
        config = Config(
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
            s3={"addressing_style": "path"} if endpoint else None,
        )
        client = boto3.session.Session().client(
            "s3", endpoint_url=endpoint, region_name=options.get("region"), config=config
        )
        return cls(client, parts.netloc, parts.path)

    def _call(self, operation: str, key: str, **arguments: Any) -> Any:
        try:
            return getattr(self.client, operation)(
                Bucket=self.bucket, Key=self.prefix + key, **arguments
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING_CODES:
                raise NotFound(MISSING) from error
            raise StoreUnavailable(UNAVAILABLE) from error
        except BotoCoreError as error:
            raise StoreUnavailable(UNAVAILABLE) from error

    def put(self, key: str, data: bytes) -> None:
        """Upload `data` in one request: the store shows all of it or none."""
        self._call("put_object", key, Body=data)

    def get(self, key: str) -> bytes:
        """The object's bytes; NotFound when there is none."""
        body = self._call("get_object", key)["Body"]
        try:
            return bytes(body.read())
        except BotoCoreError as error:
            raise StoreUnavailable(UNAVAILABLE) from error

    def exists(self, key: str) -> bool:
        """Whether the object is there (one HEAD request)."""
        try:
            self._call("head_object", key)
        except NotFound:
            return False
        return True

    def delete(self, key: str) -> None:
        """Remove the object; removing one that is not there is not an error."""
        self._call("delete_object", key)

    def list(self) -> Iterator[StoredObject]:
        """Every object under the prefix, a thousand keys per request."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    yield StoredObject(
                        key=item["Key"][len(self.prefix) :],
                        size=int(item["Size"]),
                        modified=item["LastModified"].astimezone(UTC),
                    )
        except (BotoCoreError, ClientError) as error:
            raise StoreUnavailable(UNAVAILABLE) from error

    def where(self, key: str) -> str:
        """The object's s3:// URL."""
        return f"s3://{self.bucket}/{self.prefix}{key}"
