"""Quizzes: question types, grading, scheduling, the progress store and exporters (no Qt)."""
