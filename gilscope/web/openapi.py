"""Publishes the shared shapes (gilscope.schema) in the OpenAPI document, where JSON routes cannot name them:
the events of the Server-Sent Events stream, and the summary inside them."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import TypeAdapter

from gilscope.schema import PUBLISHED

REF = "#/components/schemas/{model}"


def shared_schemas() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, shape in PUBLISHED.items():
        schema = TypeAdapter(shape).json_schema(ref_template=REF)
        out.update(schema.pop("$defs", {}))
        out[name] = schema
    events = [name for name in PUBLISHED if name.endswith("Event")]
    out["Event"] = {
        "title": "Event",
        "description": "One Server-Sent Event of GET /api/runs/{id}/events",
        "oneOf": [{"$ref": REF.format(model=name)} for name in events],
    }
    return out


def publish(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for name, body in shared_schemas().items():
                components.setdefault(name, body)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
