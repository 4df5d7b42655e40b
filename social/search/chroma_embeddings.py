"""Plaza's embedding function, registered with Chroma.

Chroma stores a collection's embedding function by name, and opening the collection in a new
process looks that name up in Chroma's registry: importing this module registers Plaza's.
"""

from __future__ import annotations

from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

from social.search.embedder import MODEL_NAME, shared_model
from social.search.index import EMBEDDING_FUNCTION


@register_embedding_function
class MiniLMEmbeddings(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 on numpy, offline (see `social.search.embedder`)."""

    def __init__(self) -> None:
        """Nothing to configure: the model ships in an installed package."""

    def __call__(self, input: Documents) -> Embeddings:
        """Unit vectors of the texts."""
        return list(shared_model().embed(list(input)))

    @staticmethod
    def name() -> str:
        """The name Chroma stores with the collection."""
        return EMBEDDING_FUNCTION

    def get_config(self) -> dict[str, Any]:
        """Nothing to store beyond the name."""
        return {"model": MODEL_NAME}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbeddings:
        """The function, rebuilt by Chroma when a collection is opened."""
        return MiniLMEmbeddings()

    def default_space(self) -> Space:
        """The vectors are unit length: cosine distance."""
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        """Cosine only: the index is built for it."""
        return ["cosine"]
