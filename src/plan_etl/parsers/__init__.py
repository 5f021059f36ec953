"""Parsers: pure functions from numbered source lines (and a reader's tables) to pydantic records.

`report.parse_lines` is the entry: it reads the front matter (`front`), then the initiative tables
(`initiative`), whose 年次別計画 rows `yearly_plan` cuts, and accounts for every line (`accounting`:
the role of each line no field took). Shared below them: the line kinds (`layout`) and wrapped-text
joining (`text`); above them, the debug view of a table's reading (`explain`)."""
