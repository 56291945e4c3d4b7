"""A questionnaire offered in English and Dutch, its Dutch texts made in the database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

COLD_CHAIN = """\
format: 1
id: cold-chain
version: 1
language: en
languages: [en, nl]
title: Cold-chain check
levels:
  - {id: low, label: Starting, min: 0}
  - {id: high, label: Leading, min: 50}
dimensions:
  - id: temperature
    label: Temperature control
    themes:
      - {id: logging, label: Temperature logging}
sections:
  - id: trucks
    title: Your refrigerated trucks
    questions:
      - id: logs
        type: choice
        theme: logging
        text: How do you log the temperature in your trailers?
        options:
          - {id: auto, label: Automatically with data loggers, score: 100}
          - {id: paper, label: On paper by the driver, score: 0}
actions:
  - id: loggers
    title: Fit data loggers in every trailer
    text: Loggers record the temperature every minute and prove the cold chain.
    when: {theme: logging, below: 50}
    horizon: short
"""

DUTCH = {
    "cold-chain:title": "Koelketencheck",
    "cold-chain:levels/low/label": "Beginnend",
    "cold-chain:levels/high/label": "Leidend",
    "cold-chain:dimensions/temperature/label": "Temperatuurbeheersing",
    "cold-chain:themes/logging/label": "Temperatuurregistratie",
    "cold-chain:sections/trucks/title": "Uw koelwagens",
    "cold-chain:questions/logs/text": "Hoe registreert u de temperatuur in uw opleggers?",
    "cold-chain:questions/logs/options/auto/label": "Automatisch met dataloggers",
    "cold-chain:questions/logs/options/paper/label": "Op papier door de chauffeur",
    "cold-chain:actions/loggers/title": "Plaats dataloggers in elke oplegger",
    "cold-chain:actions/loggers/text": "Dataloggers registreren elke minuut de temperatuur.",
}


@pytest.fixture
def cold_chain_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "cold-chain.yaml").write_text(COLD_CHAIN, encoding="utf-8")
    return folder


@pytest.fixture(params=["sqlite", "postgresql"])
def languages_app(
    request: pytest.FixtureRequest, make_app: Callable[..., Flask], cold_chain_dir: Path
) -> Flask:
    """An app serving the cold-chain check; database translations read at every page."""
    return make_app(
        database=request.param,
        questionnaires=cold_chain_dir,
        QUESTIONNAIRE_TRANSLATIONS_REFRESH=0,
    )
