"""The report's form, defined once: the characters it is printed in (`characters`), the words of
its tables (`words`), its item ids, numbering and era years (`ids`), and the words its schedule
cells are made of (`vocabulary`). Every stage reads these; none spells them again."""

from plan_etl.form import words
from plan_etl.form.characters import canonical, squash

__all__ = ["canonical", "squash", "words"]
