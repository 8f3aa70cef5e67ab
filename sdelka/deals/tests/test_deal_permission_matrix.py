"""Every role × action on deals, deal kinds and lost reasons, against ``sdelka.accounts.permissions.RULES``.

A role without the right gets 403; a deal outside the caller's scope is 404 for every endpoint and action.
"""

import pytest

from sdelka.accounts.choices import Role
from sdelka.accounts.permissions import RULES as DEAL_RULES
from sdelka.deals.models import Deal, DealKind, LostReason
from sdelka.deals.tests.factories import DealFactory, DealKindFactory, LostReasonFactory, stages_of
from sdelka.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

ROLES = [Role.MANAGER, Role.HEAD, Role.MARKETER, Role.ADMIN]


def allowed(role: str, resource: str, action: str) -> bool:
    return role in DEAL_RULES[resource][action]


def own_deal(user):
    """A deal the user sees: their own for a manager or head, anyone's for a marketer or admin."""
    return DealFactory(manager=user) if user.role in (Role.MANAGER, Role.HEAD) else DealFactory()


@pytest.mark.parametrize("role", ROLES)
def test_reading_deals(role, users_by_role, api_client_for):
    user = users_by_role[role]
    deal = own_deal(user)
    client = api_client_for(user)

    statuses = [
        client.get("/api/v1/deals/").status_code,
        client.get(f"/api/v1/deals/{deal.pk}/").status_code,
        client.get(f"/api/v1/deals/{deal.pk}/events/").status_code,
        client.get(f"/api/v1/deals/{deal.pk}/products/").status_code,
        client.get(f"/api/v1/deals/{deal.pk}/history/").status_code,
    ]

    assert statuses == [200] * 5


@pytest.mark.parametrize("role", ROLES)
def test_creating_deals(role, users_by_role, api_client_for):
    user = users_by_role[role]
    partner = PartnerFactory(manager=user if role in (Role.MANAGER, Role.HEAD) else None)

    response = api_client_for(user).post(
        "/api/v1/deals/", {"name": "New", "partner": partner.pk, "kind": DealKindFactory().pk}, format="json"
    )

    expected = 201 if allowed(role, "deal", "add") else 403
    assert response.status_code == expected, response.content
    assert Deal.objects.exists() == (expected == 201)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "method,suffix,body",
    [
        ("patch", "", lambda deal: {"name": "Changed", "version": 1}),
        ("post", "move/", lambda deal: {"stage": stages_of(deal.kind)[1].pk, "version": 1}),
        ("post", "win/", lambda deal: {"version": 1}),
        ("post", "lose/", lambda deal: {"lost_reason": LostReasonFactory().pk, "version": 1}),
        ("post", "close/", lambda deal: {"version": 1}),
        ("put", "products/", lambda deal: {"lines": [], "version": 1}),
    ],
)
def test_changing_deals(role, method, suffix, body, users_by_role, api_client_for):
    user = users_by_role[role]
    deal = own_deal(user)

    response = getattr(api_client_for(user), method)(
        f"/api/v1/deals/{deal.pk}/{suffix}", body(deal), format="json"
    )

    deal.refresh_from_db()
    if allowed(role, "deal", "change"):
        assert response.status_code == 200, response.content
        assert deal.version == 2
    else:
        assert response.status_code == 403
        assert deal.version == 1


@pytest.mark.parametrize("role", ROLES)
def test_deleting_deals(role, users_by_role, api_client_for):
    user = users_by_role[role]
    deal = own_deal(user)

    response = api_client_for(user).delete(f"/api/v1/deals/{deal.pk}/")

    exists = Deal.objects.filter(pk=deal.pk).exists()
    if allowed(role, "deal", "delete"):
        assert (response.status_code, exists) == (204, False)
    else:
        assert (response.status_code, exists) == (403, True)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.HEAD])
def test_a_foreign_deal_is_not_found_for_every_endpoint(role, users_by_role, outsider, api_client_for):
    deal = DealFactory(manager=outsider)
    client = api_client_for(users_by_role[role])
    url = f"/api/v1/deals/{deal.pk}/"
    version = {"version": 1}

    statuses = [
        client.get(url).status_code,
        client.patch(url, {"name": "x", **version}, format="json").status_code,
        client.put(url, {"name": "x", **version}, format="json").status_code,
        client.delete(url).status_code,
        client.get(f"{url}history/").status_code,
        client.get(f"{url}events/").status_code,
        client.get(f"{url}products/").status_code,
        client.put(f"{url}products/", {"lines": [], **version}, format="json").status_code,
        client.get(f"{url}primary-demand/").status_code,
        client.post(
            f"{url}move/", {"stage": stages_of(deal.kind)[1].pk, **version}, format="json"
        ).status_code,
        client.post(f"{url}win/", version, format="json").status_code,
        client.post(
            f"{url}lose/", {"lost_reason": LostReasonFactory().pk, **version}, format="json"
        ).status_code,
        client.post(f"{url}close/", version, format="json").status_code,
        client.post(f"{url}reopen/", version, format="json").status_code,
        client.post(f"{url}record-primary-demand/", version, format="json").status_code,
    ]

    assert statuses == [404] * len(statuses)
    deal.refresh_from_db()
    assert deal.version == 1
    assert client.get("/api/v1/deals/").json()["count"] == 0


def test_a_head_sees_the_team_s_deals_but_not_another_team_s(head, manager, outsider, api_client_for):
    mine = DealFactory(manager=manager)
    DealFactory(manager=outsider)

    listed = api_client_for(head).get("/api/v1/deals/").json()

    assert [row["id"] for row in listed["results"]] == [mine.pk]


CATALOGS = {
    "deal-kinds": ("deal_kind", DealKind, DealKindFactory, {"name": "Tender", "process_type": "manual"}),
    "lost-reasons": ("lost_reason", LostReason, LostReasonFactory, {"name": "Too late"}),
}


@pytest.mark.parametrize("path", CATALOGS)
@pytest.mark.parametrize("role", ROLES)
def test_catalogs_are_read_by_all_and_changed_by_admins(role, path, users_by_role, api_client_for):
    resource, model, factory, body = CATALOGS[path]
    record = factory()
    client = api_client_for(users_by_role[role])

    read = client.get(f"/api/v1/{path}/{record.pk}/").status_code
    created = client.post(f"/api/v1/{path}/", body, format="json").status_code
    changed = client.patch(f"/api/v1/{path}/{record.pk}/", {"active": False}, format="json").status_code
    deleted = client.delete(f"/api/v1/{path}/{record.pk}/").status_code

    assert read == 200
    if allowed(role, resource, "change"):
        assert (created, changed, deleted) == (201, 200, 204)
    else:
        assert (created, changed, deleted) == (403, 403, 403)
        assert model.objects.filter(pk=record.pk, active=True).exists()
