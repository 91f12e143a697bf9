"""The OpenAPI description of the match API, written out (the routes are few and stable)."""

from __future__ import annotations

from typing import Any, Final

from screening import __version__
from screening.names.model import DEFAULT_SCORER, HAND_THRESHOLD, model_threshold

# the scorers' default thresholds, read from where they are set (the model's from its file: a refit moves it)
_OWN: Final = f"{HAND_THRESHOLD} by hand, {model_threshold()} by model"


def _param(name: str, where: str, kind: str, text: str, *, required: bool = False) -> dict[str, Any]:
    """Return one OpenAPI parameter."""
    return {"name": name, "in": where, "required": required, "schema": {"type": kind}, "description": text}


_SCORER: Final = _param(
    "scorer", "query", "string", f"hand (hand-weighted score) or model (the learned model); default {DEFAULT_SCORER}"
)
_DATASET: Final = _param("dataset", "path", "string", "default (every list) or one list source", required=True)
_ERRORS: Final = {
    "400": {"description": "Invalid query: {detail}"},
    "401": {"description": "No valid API key"},
    "404": {"description": "Unknown dataset or entity"},
    "503": {"description": "Lists not loaded yet"},
}
_EXAMPLE: Final = {
    "queries": {
        "q1": {
            "schema": "Person",
            "properties": {"name": ["John Doe"], "birthDate": ["1975-04-21"], "nationality": ["us"]},
        }
    }
}

SPEC: Final[dict[str, Any]] = {
    "openapi": "3.1.0",
    "info": {
        "title": "screening match API",
        "version": __version__,
        "description": "yente-compatible matching over the lists of a screening store.",
    },
    "components": {
        "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "Authorization"}},
    },
    "security": [{"ApiKey": []}],
    "paths": {
        "/match/{dataset}": {
            "post": {
                "summary": "Query by example matcher (yente's EntityMatchResponse)",
                "parameters": [
                    _DATASET,
                    _param("limit", "query", "integer", "results per query (default 5, at most 500)"),
                    _SCORER,
                    _param(
                        "threshold",
                        "query",
                        "number",
                        f"score at which a result is a match (default: the scorer's own, {_OWN})",
                    ),
                    _param("cutoff", "query", "number", "lowest score returned at all (default: threshold)"),
                ],
                "requestBody": {"required": True, "content": {"application/json": {"example": _EXAMPLE}}},
                "responses": {
                    "200": {
                        "description": "responses per query key, matcher features (name_match names the scorer), limit"
                    },
                    **_ERRORS,
                },
            }
        },
        "/search/{dataset}": {
            "get": {
                "summary": "Search by name (yente's SearchResponse)",
                "parameters": [
                    _DATASET,
                    _param("q", "query", "string", "the name", required=True),
                    _param("limit", "query", "integer", "results (default 10)"),
                    _param("offset", "query", "integer", "results skipped"),
                    _SCORER,
                    _param(
                        "cutoff",
                        "query",
                        "number",
                        f"lowest score returned (default: 0.7, or the scorer's threshold where lower: {_OWN})",
                    ),
                ],
                "responses": {"200": {"description": "limit, offset, total, results, facets"}, **_ERRORS},
            }
        },
        "/entities/{entity_id}": {
            "get": {
                "summary": "One listed entity (yente's EntityResponse)",
                "parameters": [_param("entity_id", "path", "string", "source:id", required=True)],
                "responses": {"200": {"description": "the entity"}, **_ERRORS},
            }
        },
        "/healthz": {
            "get": {"summary": "The process is up", "security": [], "responses": {"200": {"description": "ok"}}}
        },
        "/readyz": {
            "get": {
                "summary": "Lists loaded, their versions, import and publication age; resident memory",
                "security": [],
                "responses": {"200": {"description": "ready"}, "503": {"description": "loading"}},
            }
        },
    },
}
