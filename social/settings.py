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
    plaza_storage_url: str | None = Field(
        default=None,
        description="Images in an S3-compatible object store, e.g. "
        "s3://bucket/prefix?endpoint_url=http://host:9000 (credentials from AWS_ACCESS_KEY_ID and "
        "AWS_SECRET_ACCESS_KEY); unset keeps them in the data folder.",
    )
    plaza_max_upload_bytes: int = Field(
        default=10 * 1024 * 1024, description="Largest image file accepted, in bytes."
    )
    plaza_max_image_pixels: int = Field(
        default=24_000_000,
        description="Largest image decoded, in pixels (width x height), checked from the header "
        "before decoding; a larger JPEG is decoded at 1/2, 1/4 or 1/8 size when that fits; "
        "WebP gets a third of it (its decoder holds several copies).",
    )
    plaza_max_avatar_pixels: int = Field(
        default=4_000_000,
        description="Largest avatar decoded, in pixels (JPEGs are reduced to fit); avatars are "
        "stored at most 1024 px a side.",
    )
    plaza_trending_half_life_hours: float = Field(
        default=6.0,
        gt=0,
        description="Trending: a post needs twice the weighted engagement to rank level with "
        "one this many hours newer (see social.trending).",
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
    plaza_for_you_refresh_minutes: float = Field(
        default=10.0,
        gt=0,
        description="For you: a person's recommendations are computed again when they are this "
        "old, or as soon as the person likes something.",
    )

    plaza_nudity_threshold: float = Field(
        default=0.5,
        gt=0.2,
        le=1,
        description="Offline nudity check: refuse a picture when NudeNet scores explicit nudity "
        "(exposed breasts, genitals, buttocks) at least this high (the detector reports from 0.2).",
    )

    plaza_profanity_allowed_words: str = Field(
        # Words of the list with an everyday meaning people post about: animals (a vixen and
        # her kits, a blue tit, the cock crowed, a shag on the cliffs, a Maine coon), a rocky
        # slope, names (Moby Dick), hump day, screw-top, nude lipstick.
        default="vixen,tit,tits,cock,cocks,shag,dick,hump,screw,nude,coon,slope",
        description="Offline profanity check: comma-separated words of its list to allow "
        "anyway (the default lets animals, names and everyday words through).",
    )

    plaza_session_days: int = Field(
        default=30, gt=0, description="How long a sign-in lasts before it must be renewed."
    )
    chroma_host: str | None = Field(
        default=None,
        description="Search index on a Chroma server at this host (`chroma run`); unset keeps "
        "an embedded index in the data folder.",
    )
    chroma_port: int = Field(
        default=8000, gt=0, lt=65536, description="Port of the Chroma server at CHROMA_HOST."
    )
    plaza_password_time_cost: int = Field(
        default=3, ge=1, description="Argon2id passes per password hash (OWASP: at least 2)."
    )
    plaza_password_memory_kib: int = Field(
        default=65536,
        ge=8,
        description="Argon2id memory per password hash, in KiB (OWASP: at least 19456).",
    )
    plaza_rate_limit_storage: str = Field(
        default="memory://",
        description="Where rate-limit counters live: memory:// (one process) or a `limits` "
        "storage URL such as redis://host:6379 for several servers.",
    )
    plaza_rate_sign_in_per_name: str = Field(
        default="10 per 15 minutes", description="Failed sign-ins allowed per account name."
    )
    plaza_rate_sign_in_per_client: str = Field(
        default="30 per 15 minutes", description="Failed sign-ins allowed per client address."
    )
    plaza_rate_sign_up_per_client: str = Field(
        default="5 per hour", description="Sign-ups allowed per client address."
    )
    plaza_rate_posts: str = Field(default="30 per hour", description="Posts allowed per account.")
    plaza_rate_comments: str = Field(
        default="120 per hour", description="Comments allowed per account."
    )
    plaza_rate_generations: str = Field(
        default="60 per hour", description="Assistant turns that make images, per person."
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
    def chroma_dir(self) -> Path:
        """Folder of the embedded search index."""
        return self.data_dir / "chroma"

    @property
    def url(self) -> str:
        """The database URL in force."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'plaza.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> SocialSettings:
    """The process-wide settings (tests clear this cache when they change the environment)."""
    return SocialSettings()
