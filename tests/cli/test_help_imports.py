"""``clinisim --help`` stays light: no command module imports the library at load time."""

from __future__ import annotations

import subprocess
import sys


def test_help_imports_no_schemas_models_or_stores() -> None:
    code = (
        "import sys\n"
        "from clinisim.cli._app import _register_commands\n"
        "_register_commands()\n"
        "heavy = ['clinisim.schemas', 'clinisim.engine', 'clinisim.store', 'clinisim.llm',"
        " 'langgraph', 'chromadb', 'litellm', 'pydantic']\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "", f"--help imports {result.stdout.strip()}"
