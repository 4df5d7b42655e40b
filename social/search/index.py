"""The Chroma collection of post texts: which client (embedded or a server) and which model.

Each embedding model has its own collection, so vectors of different models never mix.
Chroma (a second's import) loads on the first search, not when the page starts.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from social.errors import SocialError
from social.settings import get_settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

COLLECTION_PREFIX = "plaza-posts"
EMBEDDING_FUNCTION = "plaza-minilm-l6-v2"


class SearchUnavailable(SocialError):
    """The search index cannot be reached; the database keeps what it still has to index."""


def collection_name() -> str:
    """The collection of Plaza's embedding model: "plaza-posts-plaza-minilm-l6-v2"."""
    return f"{COLLECTION_PREFIX}-{EMBEDDING_FUNCTION}"


_clients: dict[tuple[str, ...], ClientAPI] = {}
_collections: dict[tuple[str, ...], Collection] = {}
_lock = threading.Lock()


def _client_key() -> tuple[str, ...]:
    settings = get_settings()
    if settings.chroma_host:
        return ("http", settings.chroma_host, str(settings.chroma_port))
    return ("local", str(settings.chroma_dir.resolve()))


def search_client() -> ClientAPI:
    """The Chroma client of the settings in force: a server at CHROMA_HOST, else embedded."""
    settings = get_settings()
    key = _client_key()
    with _lock:
        if key not in _clients:
            import chromadb
            from chromadb.config import Settings

            quiet = Settings(anonymized_telemetry=False)
            try:
                if settings.chroma_host:
                    _clients[key] = chromadb.HttpClient(
                        host=settings.chroma_host, port=settings.chroma_port, settings=quiet
                    )
                else:
                    _clients[key] = chromadb.PersistentClient(path=key[1], settings=quiet)
            except Exception as error:  # Chroma raises bare ValueError/ConnectionError here
                raise unavailable(error) from error
        return _clients[key]


def forget_clients() -> None:
    """Drop cached clients (tests that move the data folder or stop a server call this)."""
    with _lock:
        _clients.clear()
        _collections.clear()


def posts_collection() -> Collection:
    """The collection of post texts (created on first use, then kept per client)."""
    key = _client_key()
    if (collection := _collections.get(key)) is not None:
        return collection
    from social.search.chroma_embeddings import MiniLMEmbeddings

    client = search_client()
    try:
        collection = client.get_or_create_collection(
            collection_name(),
            embedding_function=MiniLMEmbeddings(),  # type: ignore[arg-type]
            configuration={"hnsw": {"space": "cosine"}},
        )
    except Exception as error:
        raise unavailable(error) from error
    with _lock:
        _collections[key] = collection
    return collection


def reset_collection() -> Collection:
    """An empty collection in place of the old one (for a rebuild)."""
    client = search_client()
    name = collection_name()
    try:
        if name in [c.name for c in client.list_collections()]:
            client.delete_collection(name)
    except Exception as error:
        raise unavailable(error) from error
    with _lock:
        _collections.pop(_client_key(), None)
    return posts_collection()


def unavailable(error: Exception) -> SearchUnavailable:
    """The error to show when Chroma fails: search is down, nothing is lost."""
    return SearchUnavailable(
        f"Search is unavailable right now ({type(error).__name__}); posts are kept and will "
        "be indexed when it is back."
    )


def ids_of(post_ids: Sequence[int]) -> list[str]:
    """Chroma document ids of posts."""
    return [str(post_id) for post_id in post_ids]
