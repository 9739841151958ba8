#!/usr/bin/env python3
"""Drive a running sandbox with Intercom's official Python SDK (`pip install python-intercom`).

Lists and writes tags and data attributes through the SDK's typed client and checks what it
parsed. Usage: python_sdk.py BASE_URL TOKEN. Exits 1 on any failure, a missing package included
(run by scripts/conformance.sh).
"""

import sys


def fail(message):
    print(f"python_sdk.py: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


try:
    from intercom import (
        CreateDataAttributeRequestOne,
        CreateDataAttributeRequestOptions,
        CreateDataAttributeRequestOptionsOptionsItem,
        CreateOrUpdateTagRequest,
        Intercom,
        UpdateDataAttributeRequestOptions,
        UpdateDataAttributeRequestOptionsOptionsItem,
    )
    from intercom.core.api_error import ApiError
except ImportError as e:
    fail(f"Intercom's Python SDK is not installed (pip install python-intercom): {e}")


def check(condition, message):
    if not condition:
        fail(message)


def main():
    if len(sys.argv) != 3:
        fail("usage: python_sdk.py BASE_URL TOKEN")
    base_url, token = sys.argv[1], sys.argv[2]
    client = Intercom(token=token, base_url=base_url, headers={"Intercom-Version": "2.16"})

    # Tags: list, create (upsert by name), rename, find, delete, refused delete.
    tags = client.tags.list()
    names = [t.name for t in tags.data]
    check("VIP" in names, f"tags.list: no VIP tag in {names}")
    created = client.tags.create(request=CreateOrUpdateTagRequest(name="sdk-tag"))
    check(isinstance(created.id, str) and created.name == "sdk-tag", f"tags.create: {created!r}")
    again = client.tags.create(request=CreateOrUpdateTagRequest(name="SDK-TAG"))
    check(again.id == created.id, f"tags.create is not an upsert: {again!r} vs {created!r}")
    renamed = client.tags.create(request=CreateOrUpdateTagRequest(id=created.id, name="sdk-tag-2"))
    check(renamed.name == "sdk-tag-2", f"tags rename: {renamed!r}")
    found = client.tags.find(tag_id=created.id)
    check(found.name == "sdk-tag-2", f"tags.find: {found!r}")
    client.tags.delete(tag_id=created.id)
    check(created.id not in [t.id for t in client.tags.list().data], "tags.delete left the tag")
    vip = next(t for t in tags.data if t.name == "VIP")
    try:
        client.tags.delete(tag_id=vip.id)
        fail("deleting VIP (used by a segment) succeeded")
    except ApiError as e:
        check(e.status_code == 400, f"VIP delete: status {e.status_code}")
        check(e.body["errors"][0]["code"] == "tag_has_dependent_objects", f"VIP delete: {e.body}")

    # Data attributes: list per model, create (list and plain), update options and archive.
    contact = client.data_attributes.list(model="contact")
    check(any(a.name == "email" and a.custom is False for a in contact.data), "no built-in email attribute")
    company = client.data_attributes.list(model="company", include_archived=True)
    check(all(a.model == "company" for a in company.data), "model=company returned other models")

    listed = client.data_attributes.create(
        request=CreateDataAttributeRequestOptions(
            name="sdk_tier",
            model="contact",
            data_type="options",
            options=[
                CreateDataAttributeRequestOptionsOptionsItem(value="gold"),
                CreateDataAttributeRequestOptionsOptionsItem(value="silver"),
            ],
        )
    )
    check(isinstance(listed.id, int), f"data_attributes.create id: {listed.id!r}")
    check(listed.data_type == "string" and listed.options == ["gold", "silver"], f"list attribute: {listed!r}")
    plain = client.data_attributes.create(
        request=CreateDataAttributeRequestOne(data_type="integer", name="sdk_seats", model="company")
    )
    check(plain.data_type == "integer" and plain.custom is True, f"plain attribute: {plain!r}")

    updated = client.data_attributes.update(
        data_attribute_id=listed.id,
        request=UpdateDataAttributeRequestOptions(
            options=[
                UpdateDataAttributeRequestOptionsOptionsItem(value="gold"),
                UpdateDataAttributeRequestOptionsOptionsItem(value="bronze"),
            ]
        ),
    )
    check(updated.options == ["gold", "bronze"], f"options update: {updated!r}")
    archived = client.data_attributes.update(
        data_attribute_id=plain.id, request={"archived": True, "description": "via SDK"}
    )
    check(archived.archived is True and archived.description == "via SDK", f"archive: {archived!r}")
    try:
        client.data_attributes.create(
            request=CreateDataAttributeRequestOne(data_type="string", name="sdk_tier", model="company")
        )
        fail("a duplicate name across models was accepted")
    except ApiError as e:
        check(e.status_code == 400, f"duplicate name: status {e.status_code}")

    # The SDK sends no Intercom-Version by default: the workspace default (2.16) applies.
    bare = Intercom(token=token, base_url=base_url)
    check(len(bare.tags.list().data) == len(tags.data), "tags.list without Intercom-Version")

    print("python_sdk.py: OK (tags and data attributes through python-intercom)")


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as e:  # any SDK parse or transport error is a failure
        fail(f"{type(e).__name__}: {e}")
