"""Built-in engines that work without an API key: offline captions and an offline painter."""

from assistant.offline.captions import OfflineCaptionWriter, subject_of
from assistant.offline.depiction import subjects_drawn
from assistant.offline.painter import OfflinePainter

__all__ = ["OfflineCaptionWriter", "OfflinePainter", "subject_of", "subjects_drawn"]
