"""Initiative blocks: the report's tables, one per item, from numbered source lines (and the tables
a PDF reader handed on).

Takes: the lines after the item list and the reader's `TableLines`. Gives: the tables' segmentation
(`blocks.segment`: header, labels and the lines each governs), the headers (`header`), the paragraph
fields (`prose`), and one `Initiative` record per table (`initiatives.parse_initiatives`), whose
年次別計画 the `yearly_plan` package reads."""
