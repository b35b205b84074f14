"""JSON Schemas for pack files and rule files. Unknown keys are refused everywhere."""
from __future__ import annotations

STAGES = ("unicode", "segment", "boilerplate", "dedupe", "repair", "grammar", "whitespace")
BLOCK_KINDS = ("title", "heading", "paragraph", "list_item", "quote", "credit")

_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}
_SCOPE = {"type": "array", "items": {"enum": list(BLOCK_KINDS)}, "minItems": 1}

PACK_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["stage"],
    "properties": {
        "name": {"type": "string", "pattern": r"^[a-z][a-z0-9_-]*$"},
        "stage": {"enum": list(STAGES)},
        "description": {"type": "string"},
        "order": _STRINGS,
    },
}

#: Keys every rule may have, whatever its kind.
COMMON = {
    "kind": {"type": "string"},
    "description": {"type": "string", "minLength": 1},
    "message": {"type": "string"},
    "level": {"enum": ["fix", "suggest"]},
    "enabled": {"type": "boolean"},
    "scope": _SCOPE,
}

_DROP_EXAMPLES = {
    "type": "object", "additionalProperties": False, "required": ["drop", "keep"],
    "properties": {"drop": {**_STRINGS, "minItems": 1}, "keep": {**_STRINGS, "minItems": 1}},
}
_PAIRS = {"type": "array", "minItems": 1,
          "items": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2}}
_PAIR_EXAMPLES = {"type": "object", "additionalProperties": False, "required": ["drop", "keep"],
                  "properties": {"drop": _PAIRS, "keep": _PAIRS}}
_FIX_EXAMPLES = {
    "type": "object", "additionalProperties": False, "required": ["fix", "keep"],
    "properties": {
        "fix": {"type": "array", "minItems": 1,
                "items": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2}},
        "keep": {**_STRINGS, "minItems": 1},
    },
}

_SHAPE = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "hashtag_ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
        "max_letters_ratio": {"type": "number", "minimum": 0, "maximum": 1},
        "no_sentence": {"type": "boolean"},
        "not_prose": {"type": "boolean"},
        "no_punctuation": {"type": "boolean"},
        "max_lowercase_ratio": {"type": "number", "minimum": 0, "maximum": 1},
        "min_run": {"type": "integer", "minimum": 2},
    },
}
#: Conditions a drop rule adds for blocks next to the article's body (see kinds.DropBlock).
_NEAR_BODY = {
    "type": "object", "additionalProperties": False, "minProperties": 1,
    "properties": {"shape": _SHAPE, "unless": _STRINGS, "unless_next_to": _STRINGS},
}

#: A section's list may be of teasers: a headline and a short summary, repeated (see kinds.DropBlock).
_SECTION_TEASERS = {
    "type": "object", "additionalProperties": False, "required": ["max_words", "min_pairs"],
    "properties": {"max_words": {"type": "integer", "minimum": 1}, "min_pairs": {"type": "integer", "minimum": 2}},
}
#: What a section's items must be (see kinds.DropBlock): a contents list's entries repeat the
#: headings further down, with marker lines ("hide", "1.1") between them.
_SECTION_ITEMS = {
    "type": "object", "additionalProperties": False, "required": ["repeated_below"],
    "properties": {"repeated_below": {"type": "boolean"}, "markers": {"type": "string"}},
}
#: A drop rule whose block ends the page: it and every block after it go (see kinds.DropBlock).
_ENDS_PAGE = {
    "type": "object", "additionalProperties": False, "required": ["unless_run"],
    "properties": {
        "unless_run": {
            "type": "object", "additionalProperties": False, "required": ["paragraphs", "words"],
            "properties": {"paragraphs": {"type": "integer", "minimum": 1},
                           "words": {"type": "integer", "minimum": 0}},
        },
    },
}

#: Lines between the first and last run of article prose are the article's own (see kinds.DropBlock).
_KEEP_BETWEEN_RUNS = {
    "type": "object", "additionalProperties": False, "required": ["paragraphs", "words", "each"],
    "properties": {"paragraphs": {"type": "integer", "minimum": 2},
                   "words": {"type": "integer", "minimum": 0},
                   "each": {"type": "integer", "minimum": 0},
                   "subheading_words": {"type": "integer", "minimum": 0}},
}

#: Short lines after a sentence that announces them with a colon are a list (see kinds.DropBlock).
_KEEP_ANNOUNCED_LISTS = {
    "type": "object", "additionalProperties": False, "required": ["min_words", "max_lines"],
    "properties": {"min_words": {"type": "integer", "minimum": 1},
                   "max_lines": {"type": "integer", "minimum": 1}},
}

KIND_SCHEMAS = {
    "drop-block": {
        "required": ["description", "examples"],
        "anyOf": [{"required": ["patterns"]}, {"required": ["phrases"]}, {"required": ["shape"]}],
        "properties": {
            "patterns": _STRINGS,
            "phrases": _STRINGS,
            "vars": {"type": "object", "additionalProperties": {"type": "string"}},
            "match": {"enum": ["line", "start", "end", "anywhere"]},
            "requires": _STRINGS,
            "case_sensitive": {"type": "boolean"},
            "shape": _SHAPE,
            "near_body": _NEAR_BODY,
            "unless": _STRINGS,
            "unless_next_to": _STRINGS,
            "unless_beside": _STRINGS,
            "max_words": {"type": "integer", "minimum": 1},
            "min_words": {"type": "integer", "minimum": 0},
            "position": {"enum": ["any", "header", "trailer", "edges", "after-start"]},
            "section": {"type": "boolean"},
            "section_teasers": _SECTION_TEASERS,
            "section_items": _SECTION_ITEMS,
            # the article's numbered entries outside its body stay (see blockview.numbered_sections)
            "keep_numbered_sections": {"type": "boolean"},
            # the source formats the rule runs on (all when absent)
            "formats": {"type": "array", "items": {"enum": ["text", "markdown", "html"]}, "minItems": 1},
            "ends_page": _ENDS_PAGE,
            "keep_between_runs": _KEEP_BETWEEN_RUNS,
            "keep_announced_lists": _KEEP_ANNOUNCED_LISTS,
            "max_share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            "examples": _DROP_EXAMPLES,
        },
    },
    "keep-block": {
        "required": ["description", "patterns", "examples"],
        "properties": {
            "patterns": _STRINGS,
            "vars": {"type": "object", "additionalProperties": {"type": "string"}},
            "match": {"enum": ["line", "start", "anywhere"]},
            "case_sensitive": {"type": "boolean"},
            "max_words": {"type": "integer", "minimum": 1},
            "as": {"enum": ["credit"]},
            "examples": {
                "type": "object", "additionalProperties": False, "required": ["mark", "keep"],
                "properties": {"mark": {**_STRINGS, "minItems": 1}, "keep": {**_STRINGS, "minItems": 1}},
            },
        },
    },
    "substitute": {
        "required": ["description", "pattern", "examples"],
        "oneOf": [{"required": ["replace"]}, {"required": ["transform"]}],
        "properties": {
            "pattern": {"type": "string", "minLength": 1},
            "vars": {"type": "object", "additionalProperties": {"type": "string"}},
            "requires": _STRINGS,
            "skip_languages": {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z]{2,3}$"}},
            "languages": {"type": "array", "items": {"type": "string", "pattern": "^[A-Za-z]{2,3}$"}, "minItems": 1},
            "unless_document": _STRINGS,
            "case_sensitive": {"type": "boolean"},
            "replace": {"type": "string"},
            "transform": {"type": "string"},
            "params": {"type": "object"},
            "examples": _FIX_EXAMPLES,
        },
    },
    "split-block": {
        "required": ["description", "pattern", "examples"],
        "properties": {
            "pattern": {"type": "string", "minLength": 1},
            "vars": {"type": "object", "additionalProperties": {"type": "string"}},
            "case_sensitive": {"type": "boolean"},
            "min_points": {"type": "integer", "minimum": 1},
            "also": {
                "type": "object", "additionalProperties": False, "required": ["pattern", "transform"],
                "properties": {"pattern": {"type": "string", "minLength": 1}, "transform": {"type": "string"},
                               "params": {"type": "object"}},
            },
            "formats": {"type": "array", "items": {"enum": ["text", "markdown", "html"]}, "minItems": 1},
            "examples": _FIX_EXAMPLES,
        },
    },
    "drop-duplicate": {
        "required": ["description", "examples"],
        "properties": {
            "compare": {"enum": ["exact", "normalised"]},
            "min_words": {"type": "integer", "minimum": 1},
            "against": {"enum": ["title", "any"]},
            "keep_recurring": {"type": "integer", "minimum": 2},
            # a contents list without a label: its lines go, the headings they repeat stay
            "contents_run": {"type": "object", "additionalProperties": False, "required": ["min_items"],
                             "properties": {"min_items": {"type": "integer", "minimum": 2},
                                            "max_words": {"type": "integer", "minimum": 1}}},
            # a field repeated in a list of facts about another thing (a second laptop's
            # "Memory: 16GB"; the two lists share labels) is the list's own entry
            "keep_list_entries": {"type": "object", "additionalProperties": False, "required": ["max_words"],
                                  "properties": {"max_words": {"type": "integer", "minimum": 1}}},
            # the title read as parts ("Story | Site") at these separators, spaces around them
            "title_parts": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            # with title_parts: a part that is a site's name by its shape alone (a regex)
            "site_name": {"type": "string"},
            # with title_parts: last parts of at most this many words that dropped blocks name too
            "site_name_dropped": {"type": "integer", "minimum": 1},
            "examples": _PAIR_EXAMPLES,
        },
    },
    "unicode": {
        "required": ["description", "examples"],
        "properties": {
            "ftfy": {"type": "object", "additionalProperties": {"type": ["boolean", "string", "integer"]}},
            "examples": _FIX_EXAMPLES,
        },
    },
    "languagetool": {
        "required": ["description", "allow"],
        "properties": {
            "allow": {"type": "array", "minItems": 1, "items": {"oneOf": [
                {"type": "string", "minLength": 1},
                {"type": "object", "additionalProperties": False, "required": ["rule"],
                 "dependentRequired": {"gate": ["examples"]},
                 "properties": {
                     "rule": {"type": "string", "minLength": 1},
                     "gate": {"type": "string", "minLength": 1},
                     "examples": {"type": "object", "additionalProperties": False, "required": ["check", "skip"],
                                  "properties": {"check": {**_STRINGS, "minItems": 1},
                                                 "skip": {**_STRINGS, "minItems": 1}}},
                 }},
            ]}},
            "vars": {"type": "object", "additionalProperties": {"oneOf": [{"type": "string"}, _STRINGS]}},
            "params": {"type": "object"},
            "examples": _FIX_EXAMPLES,
        },
    },
}


def rule_schema(kind: str) -> dict:
    """The full schema of a rule of ``kind``: common keys plus the kind's own, nothing else."""
    spec = KIND_SCHEMAS[kind]
    schema = {"type": "object", "additionalProperties": False,
              "properties": {**COMMON, **spec["properties"]}}
    for key in ("required", "anyOf", "oneOf"):
        if key in spec:
            schema[key] = spec[key]
    return schema
