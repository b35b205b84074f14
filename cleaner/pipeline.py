"""The chain of stages, in one literal order, run once per document."""
from __future__ import annotations

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

    def run(self, doc: Document) -> Document:
        """Apply every stage to ``doc`` and return it."""
        for stage in self.stages:
            stage.apply(doc)
        return doc
