"""年次別計画 (the yearly plan): each table's schedule, cut into rows of a label and four year cells.

Takes: a table's schedule lines as pieces (`schedule.pieces_of`, or the reader's rows of cells).
Gives: `ScheduleRow`s per table (`schedule_tables.parse_schedules`), each row cut by the fitted
model (`cut_model`: features and `CutSettings`; `row_cut.search`: the best cut and its posterior) or
withheld with its reason; the open rows as a review sees them (`review`), and each cell's phases
(`phases`)."""
