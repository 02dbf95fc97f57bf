"""Every check of a content directory that needs no quiz bank: the content itself, then the
learning files built on it (objectives, study path, teacher guide, section weights)."""

from __future__ import annotations

from pathlib import Path

from app.knowledge.content import check_content, load_content
from app.knowledge.learning import check_learning_content
from app.knowledge.problems import Problem


def check_all(root: Path) -> list[Problem]:
    """check_content's problems and the learning files' problems, sorted, each once."""
    problems = set(check_content(root))
    problems |= set(check_learning_content(root, load_content(root)))
    return sorted(problems)
