"""`python -m e2e.cleanup <work folder>`: end what an e2e session left running and drop its database.

scripts/e2e.sh runs it on exit, whatever happened to pytest (a crash, a timeout, Ctrl-C).
"""

import sys
from pathlib import Path

from .stack import cleanup

if __name__ == "__main__":
    for folder in sys.argv[1:]:
        cleanup(Path(folder))
