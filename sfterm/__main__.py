"""`python -m sfterm` runs the same command line as the `sfterm` script."""

from sfterm.cli import main

raise SystemExit(main())
