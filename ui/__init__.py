"""Plaza's Streamlit panels, embeddable in any Streamlit app."""

from ui.chat_panel import chat_panel
from ui.feed_panel import feed_panel

__all__ = ["chat_panel", "feed_panel"]
