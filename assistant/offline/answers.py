"""How the offline model words its answers from tool results."""

from __future__ import annotations

from assistant.feed_requests import describe_found_posts
from assistant.offline.glyphs import MISSING_FONT, emoji_font
from assistant.offline.intent import Intent

HELP = (
    "Hi! I'm Plaza's built-in **offline** assistant. Describe a picture and I'll paint it and "
    "draft captions you can share to the feed in one click. Try:\n"
    "- *a poster of a red fox at dawn, watercolor*\n"
    "- *make me 3 square options of a neon city at night*\n"
    "- *make the second one wider*, *shorter caption, funnier, for X*, *write alt text*"
)


def help_text() -> str:
    """What the offline assistant says when greeted or asked for help."""
    return HELP


def compose_answer(intent: Intent, results: dict[str, dict], tools: set[str]) -> str:
    """A short answer that reports what the tools of this turn produced, errors included."""
    parts: list[str] = []
    if enhanced := results.get("enhance_prompt", {}).get("prompt"):
        parts.append(f"I sharpened your prompt to: *{enhanced}*")
    for name in ("generate_image", "edit_image"):
        if name in results:
            parts.append(_images_sentence(name, results[name]))
    if captions := results.get("draft_captions", {}).get("captions"):
        # Continuation lines are indented so a caption's own line breaks stay in its item.
        listed = "\n".join(
            f"{i}. " + caption.replace("\n", "\n   ") for i, caption in enumerate(captions, 1)
        )
        parts.append(f"Caption drafts:\n\n{listed}")
    if intent.feed and (found := describe_found_posts(results.get("search_feed"), intent.feed)):
        parts.append(found)
    if alt := results.get("write_alt_text", {}).get("alt_text"):
        parts.append(f"Alt text: {alt}")
    if tags := results.get("suggest_hashtags", {}).get("hashtags"):
        parts.append("Hashtags: " + " ".join(tags))
    for name, result in results.items():
        if result.get("error") and name not in ("generate_image", "edit_image"):
            parts.append(f"I couldn't finish {name.replace('_', ' ')}: {result['error']}")
    if not parts:
        if intent.action == "edit" and "edit_image" not in tools:
            return "Editing images isn't available in this chat."
        return "There's nothing to work on yet — describe a picture and I'll make it."
    return "\n\n".join(parts)


def _images_sentence(name: str, result: dict) -> str:
    if error := result.get("error"):
        return (
            f"I couldn't make the image: {error} Your request and drafts are kept — "
            "press **Retry** to try again."
        )
    images = result.get("images", [])
    verb = "edited" if name == "edit_image" else "painted"
    if len(images) == 1:
        text = f"Here's your image, {verb} offline. Press **Share** to post it to the feed."
    else:
        text = (
            f"Here are {len(images)} options (Option 1\u2013{len(images)}), {verb} offline. "
            "Pick one and press **Share** to post it to the feed."
        )
    if name == "generate_image" and emoji_font() is None:
        text += f" ({MISSING_FONT})"
    return text
