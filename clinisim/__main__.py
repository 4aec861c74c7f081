"""``python -m clinisim`` runs the command line."""

from clinisim.cli import main

main()
