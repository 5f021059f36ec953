"""`python -m plan_etl` runs the CLI."""

from plan_etl.cli import app

app(prog_name="plan-etl")
