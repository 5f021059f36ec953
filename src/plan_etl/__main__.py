"""`python -m plan_etl` runs the CLI."""

from plan_etl.cli import run

run()
