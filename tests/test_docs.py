"""Every setting is documented in the README's configuration table."""

from pathlib import Path

import pytest

from assistant.settings import AssistantSettings
from social.settings import SocialSettings

README = (Path(__file__).parent.parent / "README.md").read_text()


@pytest.mark.parametrize("name", [*SocialSettings.model_fields, *AssistantSettings.model_fields])
def test_setting_is_in_readme(name: str) -> None:
    assert f"| `{name.upper()}` |" in README
