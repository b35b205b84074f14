"""The chain of stages, in one literal order, run once per document (the boilerplate stage once
more when the dedupe stage drops something: see :meth:`Pipeline.run`)."""
from __future__ import annotations

from typing import Callable

from cleaner.config import Config
from cleaner.document import Document
from cleaner.rulebook import RuleSet
from cleaner.stages import RuleStage, Stage
from cleaner.stages.boilerplate import BoilerplateStage

#: The default chain. Named order beats numeric priorities for a handful of stages.
CHAIN = ("unicode", "segment", "boilerplate", "dedupe", "repair", "grammar", "whitespace")


class Pipeline:
    """Compiled stages for one configuration; ``run`` cleans one document in place."""

    def __init__(self, config: Config, rules: RuleSet, grammar: Stage | None = None):
        self.config = config
        self.rules = rules
        self.stages: list[Stage] = []
        for name in CHAIN:
            if name == "boilerplate":
                self.stages.append(BoilerplateStage(rules))
            elif name == "grammar":
                if grammar is not None:
                    self.stages.append(grammar)
            else:
                self.stages.append(RuleStage(rules, name))

    @property
    def stage_names(self) -> list[str]:
        """The names of the stages that will run, in order."""
        return [s.name for s in self.stages]

    def run(self, doc: Document, apply: Callable[[Stage, Document], None] | None = None) -> Document:
        """Apply every stage to ``doc`` and return it (``apply(stage, doc)``, if given, applies
        each stage instead: a benchmark times them so).

        When the dedupe stage drops blocks (a title printed twice, "Story | Site" above the
        story's headline), the boilerplate rules run once more on what is left, as a second
        cleaning of the output would run them: a line the dropped block stood next to (a
        byline under a headline with a digit in it, which protected it) is judged as it will
        be seen from then on, and cleaning the output again changes nothing.
        """
        apply = apply or (lambda stage, document: stage.apply(document))
        boilerplate = None
        for stage in self.stages:
            first = len(doc.edits)
            apply(stage, doc)
            if isinstance(stage, BoilerplateStage):
                boilerplate = stage
            elif (stage.name == "dedupe" and boilerplate is not None
                  and any(edit.action == "drop" for edit in doc.edits[first:])):
                apply(boilerplate, doc)
        return doc
