"""The shipped dataset agrees with every figure of the bulletin."""

from __future__ import annotations

import pytest

from geodata.build.bulletin import LEDGER
from geodata.ledger import MEASURES, agrees, check_ledger


@pytest.mark.parametrize("key", [row[0] for row in LEDGER])
def test_dataset_agrees_with_bulletin(dataset, key):
    check = {c.key: c for c in check_ledger(dataset)}[key]
    assert check.ok, f"{key}: bulletin says {check.relation} {check.expected}, data gives {check.measured}"


def test_every_ledger_entry_is_measured(dataset):
    assert set(dataset.ledger().key) == set(MEASURES)


def test_ledger_in_dataset_matches_bulletin_source(dataset):
    stored = dict(zip(dataset.ledger().key, dataset.ledger().value))
    assert stored == {row[0]: float(row[3]) for row in LEDGER}


@pytest.mark.parametrize("measured, expected, relation, ok", [
    (255, 255, "eq", True), (254, 255, "eq", False),
    (8046, 8000, "over", True), (8000, 8000, "over", True), (7999, 8000, "over", False),
    (9000, 8000, "over", False), (326, 320, "over", True), (330, 320, "over", False),
    (199, 200, "under", True), (200, 200, "under", False), (80.8, 80.8, "eq", True),
    (195, 200, "about", True), (210, 200, "about", True), (189, 200, "about", False),
])
def test_relations(measured, expected, relation, ok):
    assert agrees(measured, expected, relation) is ok


def test_unknown_relation_is_an_error():
    with pytest.raises(ValueError):
        agrees(1, 1, "roughly")
