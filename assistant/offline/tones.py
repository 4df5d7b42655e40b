"""Phrase banks for the offline caption writer: each tone has its own words and rhythm.

Placeholders: {a} "a red fox at dawn", {this} "this red fox at dawn", {A} and {This} the same
capitalised, {head} "fox", {main} "red fox", {style} " in watercolor" or "" (before a full stop).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ToneBank:
    """The phrases one tone draws its captions from."""

    punchy: tuple[str, ...]
    opening: tuple[str, ...]
    middle: tuple[str, ...]
    closing: tuple[str, ...]
    question: tuple[str, ...]
    call: tuple[str, ...]
    mood: str
    emoji: tuple[str, ...]


TONES: dict[str, ToneBank] = {
    "friendly": ToneBank(
        punchy=(
            "Say hello to {a}!",
            "Just {a}, here to brighten your day.",
            "Made you {a}. Hope it makes you smile!",
            "Here's {a} for your feed today.",
        ),
        opening=(
            "I've been daydreaming about {a} all week, so I finally made it.",
            "This one started as a little idea: {a}.",
            "Sometimes you just need {a} in your life.",
        ),
        middle=(
            "I love how the {head} turned out{style}.",
            "There's something so cozy about the way the light falls on the {head}{style}.",
            "Every little detail of the {head}{style} was a joy to get right.",
        ),
        closing=(
            "Hope it brings a little calm to your day.",
            "Thanks for stopping by and taking a look.",
            "It's simple, but it made me really happy.",
        ),
        question=(
            "Would you hang {a} on your wall?",
            "What would you name this {head}?",
            "Who else needs {a} today?",
        ),
        call=(
            "Tell me what you think below!",
            "Share it with someone who'd love it.",
            "Let me know in the comments!",
        ),
        mood="cozy and warm",
        emoji=("😊", "🌟", "💛", "🙌", "🌈"),
    ),
    "playful": ToneBank(
        punchy=(
            "Plot twist: {a}.",
            "Nobody asked, but here's {a}.",
            "POV: you just met {a}.",
            "Breaking news: {a} has entered the chat.",
        ),
        opening=(
            "So I asked for {a} and, honestly, I regret nothing.",
            "Day one of my totally serious {head} era.",
            "Once upon a scroll, there was {a}.",
        ),
        middle=(
            "The {head} is clearly the main character here{style}.",
            "I may have spent way too long on this {head}{style}. Zero regrets.",
            "Ten out of ten {head} energy{style}.",
        ),
        closing=(
            "Anyway, it's my whole personality now.",
            "Rate it out of ten, I can take it.",
            "The {head} says hi. Probably.",
        ),
        question=(
            "Is it just me, or does this {head} have opinions?",
            "Who had {a} on their bingo card?",
            "Quick poll: {head} or nap?",
        ),
        call=(
            "Tag a friend who needs this {head}.",
            "Drop your best {head} pun below.",
            "Double-tap if the {head} wins.",
        ),
        mood="chaotic good",
        emoji=("😜", "🤪", "✨", "🎉", "😂"),
    ),
    "professional": ToneBank(
        punchy=(
            "Introducing {a}.",
            "New work: {a}.",
            "{A}: a study in composition and colour.",
            "Fresh from the studio: {a}.",
        ),
        opening=(
            "This piece explores {a}.",
            "Our latest visual centres on {a}.",
            "A new addition to the portfolio: {a}.",
        ),
        middle=(
            "The composition keeps the {head} as the clear focal point{style}.",
            "Careful attention to light and palette gives the {head} depth{style}.",
            "Each element{style} was chosen to support the {head} without distraction.",
        ),
        closing=(
            "Available for licensing and collaborations.",
            "Feedback from the community is always welcome.",
            "More work from this series is coming soon.",
        ),
        question=(
            "How would {a} fit into your next project?",
            "What story does this {head} tell you?",
            "Where would you use a visual like this?",
        ),
        call=(
            "Reach out to discuss a custom piece.",
            "Follow for more work like this.",
            "Share your perspective in the comments.",
        ),
        mood="considered and clean",
        emoji=("📌", "🎨", "✅", "📈", "💼"),
    ),
    "poetic": ToneBank(
        punchy=(
            "{A}, held still for a breath.",
            "Where light lingers: {a}.",
            "Quiet as {a}.",
            "Soft colour, slow hours, {a}.",
        ),
        opening=(
            "There is a hush that settles around {a}.",
            "I found {a} in the space between one breath and the next.",
            "Some moments ask to be kept, like {a}.",
        ),
        middle=(
            "The {head} waits where colour meets silence{style}.",
            "Light drifts over the {head} like a half-remembered song{style}.",
            "Every edge of the {head} dissolves into the hour{style}.",
        ),
        closing=(
            "Let it stay with you a while.",
            "Nothing here is in a hurry.",
            "Some things are better felt than said.",
        ),
        question=(
            "Do you hear it too, the quiet of {a}?",
            "What does the {head} dream of?",
            "Have you ever stood this still?",
        ),
        call=(
            "Stay a moment longer.",
            "Keep this one for a slow evening.",
            "Carry it with you today.",
        ),
        mood="wistful and slow",
        emoji=("🌙", "🍃", "🌸", "✨", "🌾"),
    ),
    "bold": ToneBank(
        punchy=(
            "Meet {a}. Unforgettable.",
            "{A}. No filter. No apologies.",
            "This is {a}. Loud and clear.",
            "{A}. Turn it up.",
        ),
        opening=(
            "This is {a}, and it refuses to be ignored.",
            "Forget everything you know about the {main}.",
            "Big energy incoming: {a}.",
        ),
        middle=(
            "The {head} owns every inch of the frame{style}.",
            "Sharp lines, fierce colour, a {head} with nothing to prove{style}.",
            "Every choice here{style} is loud on purpose.",
        ),
        closing=(
            "Go big or scroll home.",
            "Make it impossible to look away.",
            "Own the feed.",
        ),
        question=(
            "Ready for {a}?",
            "Who says a {head} can't steal the show?",
            "Can you handle this much {head}?",
        ),
        call=(
            "Share it. Now.",
            "Repost if you're bold enough.",
            "Save it, send it, own it.",
        ),
        mood="fearless",
        emoji=("🔥", "⚡", "💥", "🚀", "💯"),
    ),
}
