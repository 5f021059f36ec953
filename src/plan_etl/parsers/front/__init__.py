"""Front matter: the report's pages before its initiative tables, read from numbered source lines.

Takes: the lines (`extract.base.Line`). Gives: the title and fiscal year (`parse_title`), the item
list (`parse_toc` → `TocEntry`), the goals with their amounts and hours (`parse_goals` → `Goal`), and
the parts' sections (`parse_sections` → `Section`)."""
