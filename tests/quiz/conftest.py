"""Shared fixtures for the quiz tests: the shipped bank and model, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.model.simulation import Model
from app.quiz.bank import Bank, load_checked_bank

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="session")
def bank_and_model() -> tuple[Bank, Model]:
    bank, model = load_checked_bank(CONTENT)
    assert model is not None
    return bank, model


@pytest.fixture(scope="session")
def bank(bank_and_model: tuple[Bank, Model]) -> Bank:
    return bank_and_model[0]


@pytest.fixture(scope="session")
def model(bank_and_model: tuple[Bank, Model]) -> Model:
    return bank_and_model[1]
