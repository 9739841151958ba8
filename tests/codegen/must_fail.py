"""Calls the generated module must refuse (tests/codegen.rs).

Each ``# type: ignore[code]`` is reported as unused under ``mypy --strict`` when the call
type-checks, so a module typed ``Any`` fails here.
"""

from intercom_events import signed_up, upgraded_plan


def transport(event_name: str, metadata: dict[str, object]) -> None:
    pass


signed_up(transport, plan="gold")  # type: ignore[arg-type]
signed_up(transport)  # type: ignore[call-arg]
upgraded_plan(transport, seats="3")  # type: ignore[arg-type]
upgraded_plan(transport, seats=3, nope=1)  # type: ignore[call-arg]
