"""Sends one of each declared event through the generated module (tests/codegen.rs).

    python producer.py BASE_URL TOKEN

The transport posts each event to BASE_URL/events as user-1001 and prints the body it posted
as one JSON line, which the test checks with ``events validate``. Loopback addresses only.
"""

import datetime
import json
import re
import sys
import urllib.request

from intercom_events import logged_in, signed_up, upgraded_plan

base, token = sys.argv[1], sys.argv[2]
if not re.fullmatch(r"http://127\.0\.0\.1:\d+", base):
    raise SystemExit(f"not a loopback sandbox URL: {base}")
created_at = [1_700_000_100]


def transport(event_name: str, metadata: dict[str, object]) -> None:
    body = {
        "event_name": event_name,
        "created_at": created_at[0],
        "user_id": "user-1001",
        "metadata": metadata,
    }
    created_at[0] += 1
    request = urllib.request.Request(
        f"{base}/events",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:
        if response.status != 202:
            raise SystemExit(f"POST /events answered {response.status}")
    print(json.dumps(body))


signed_up(transport, plan="pro")
upgraded_plan(
    transport,
    seats=3,
    renewal_date=datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc),
    invoice="https://example.com/i/1",
    doc={"url": "https://example.com/d", "value": "Doc"},
    amount={"amount": 4900, "currency": "eur"},
    plan_tier="gold",
)
logged_in(transport)
