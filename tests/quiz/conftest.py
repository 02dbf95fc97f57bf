"""Shared fixtures for the quiz tests: the shipped bank and model, loaded once per session."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
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


def _png(width: int, height: int) -> bytes:
    """A real PNG (grey, 8-bit), written by hand so the quiz tests need no Qt."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((x * 7 + y * 3) % 256 for x in range(width)) for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture(scope="session")
def tiny_png() -> Callable[[int, int], bytes]:
    """Makes a small valid PNG of a given size: a stand-in for the diagram's picture."""
    return _png
