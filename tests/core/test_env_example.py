import re
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
# env.str("NAME", ...), env.db("NAME", ...), _secret("NAME"): every variable settings reads.
SETTING_READ = re.compile(r"""(?:\benv(?:\.\w+)?|_secret)\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def test_env_example_lists_every_variable_settings_reads():
    settings_source = (BASE_DIR / "maventa_portal" / "settings.py").read_text()
    example = (BASE_DIR / ".env.example").read_text()
    read = set(SETTING_READ.findall(settings_source))
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))

    assert "SECRET_KEY" in read
    assert sorted(read - listed) == []
