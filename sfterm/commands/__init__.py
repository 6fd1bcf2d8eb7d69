"""The subcommands of `sfterm`, one module each: `add_parser(subparsers)` and `run(args)`.

Each module imports its heavy parts (uvicorn, Textual) inside `run`, so `sfterm --help` is quick.
"""
