"""`python -m social.mcp [--http] [--host H] [--port N]`: the same as `plaza mcp`."""

import sys

from social.cli import main

if __name__ == "__main__":
    sys.exit(main(["mcp", *sys.argv[1:]]))
