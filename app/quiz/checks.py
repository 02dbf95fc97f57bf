"""Every check of content/quizzes/: the bank itself, then the bank against the learning files
(objectives, the balance across sections, tours' check questions, undefined abbreviations)."""

from __future__ import annotations

from pathlib import Path

from app.knowledge.problems import Problem
from app.quiz.bank import bank_problems, load_checked_bank
from app.quiz.learning import check_learning


def check_quizzes(root: Path) -> list[Problem]:
    """What `check-content` reports of the quiz bank, sorted, each once."""
    if not (root / "quizzes").is_dir():
        return []
    bank, model = load_checked_bank(root)
    return sorted(set(bank_problems(root, bank, model)) | set(check_learning(root, bank, model)))
