from pathlib import Path

from service.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_setting_is_documented_once_in_the_readme_table() -> None:
    rows = [line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `SAYSO_")]
    for name in Settings.model_fields:
        variable = f"`SAYSO_{name.upper()}`"
        assert sum(row.startswith(f"| {variable} |") for row in rows) == 1, variable
