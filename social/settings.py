"""Settings of the feed layer, read once from the environment."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SocialSettings(BaseSettings):
    """Where Plaza keeps its data and how much it accepts."""

    model_config = SettingsConfigDict(extra="ignore")

    plaza_data_dir: Path = Field(
        default=Path("data"),
        description="Folder for the SQLite file, the images and the search index.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default is SQLite in the data folder. "
        "PostgreSQL: postgresql+psycopg://user@host/db",
    )
    plaza_max_upload_bytes: int = Field(
        default=10 * 1024 * 1024, description="Largest image file accepted, in bytes."
    )
    plaza_max_image_pixels: int = Field(
        default=40_000_000,
        description="Largest image accepted, in pixels (width x height); guards against "
        "decompression bombs.",
    )
    plaza_trending_gravity: float = Field(
        default=1.8,
        gt=0,
        description="Trending: how fast age pulls a post down; score = (weighted engagement + 1) "
        "/ (age in hours + 2) ** gravity.",
    )
    plaza_trending_like_weight: float = Field(
        default=1.0, ge=0, description="Trending: what one like adds to a post's engagement."
    )
    plaza_trending_comment_weight: float = Field(
        default=2.0, ge=0, description="Trending: what one comment adds to a post's engagement."
    )
    plaza_trending_remix_weight: float = Field(
        default=3.0, ge=0, description="Trending: what one remix adds to a post's engagement."
    )
    plaza_trending_window_hours: int = Field(
        default=720,
        gt=0,
        description="Trending and For you consider posts of the last this many hours only.",
    )

    @property
    def data_dir(self) -> Path:
        """The data folder, created on first use."""
        self.plaza_data_dir.mkdir(parents=True, exist_ok=True)
        return self.plaza_data_dir

    @property
    def media_dir(self) -> Path:
        """Folder of content-addressed image files."""
        path = self.data_dir / "media"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def url(self) -> str:
        """The database URL in force."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'plaza.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> SocialSettings:
    """The process-wide settings (tests clear this cache when they change the environment)."""
    return SocialSettings()
