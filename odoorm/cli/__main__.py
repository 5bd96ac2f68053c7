"""``python -m odoorm.cli``: the ``odoorm`` command."""

import sys

from odoorm.cli import main

sys.exit(main())
