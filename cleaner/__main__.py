"""``python -m cleaner`` runs the command line."""
import sys

from cleaner.cli import main

sys.exit(main())
