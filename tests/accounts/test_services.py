"""Staff, invitations and API keys: the services, their rules and their audit entries."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from apps.accounts import services
from apps.accounts.models import ApiKey, Invitation, Membership, User
from apps.audit.models import AuditEntry
from apps.core.exceptions import DomainError
from tests.conftest import TEST_PASSWORD
from tests.factories import MembershipFactory, UserFactory

NEW_PASSWORD = "plum-orchard-lantern-42"


def _token_from_email(message) -> str:
    match = re.search(r"/invitations/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)


def _audit(store, action):
    return list(
        AuditEntry.objects.filter(store=store, action=action).values_list(
            "actor_label", "target_type", "changes"
        )
    )


# --- invitation_create ---------------------------------------------------------------------------
def test_invitation_create_emails_a_one_time_link_after_commit(
    store, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation, token = services.invitation_create(
            store=store, invited_by=owner, email="  New.Hire@Example.TEST ", role="manager"
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits

    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.hire@example.test"]
    assert message.subject == "You're invited to Alpha Goods on Merchant Portal"
    assert f"http://127.0.0.1:8000/invitations/{token}/" in message.body
    assert "Ada Owner invited you to join Alpha Goods as manager." in message.body
    assert _token_from_email(message) == token
    invitation.refresh_from_db()
    assert invitation.email == "new.hire@example.test"
    assert invitation.role == "manager"
    assert invitation.invited_by == owner
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in invitation.token_hash
    assert invitation.is_pending
    expected_expiry = timezone.now() + timedelta(days=7)
    assert abs((invitation.expires_at - expected_expiry).total_seconds()) < 60


def test_invitation_create_writes_an_audit_entry(store, owner):
    invitation, _token = services.invitation_create(
        store=store, invited_by=owner, email="new.hire@example.test", role="support"
    )

    entry = AuditEntry.objects.get(store=store, action="staff.invited")
    assert entry.actor == owner
    assert entry.actor_label == "owner@alpha.test"
    assert entry.target_type == "accounts.invitation"
    assert entry.target_id == str(invitation.pk)
    assert entry.changes == {"email": [None, "new.hire@example.test"], "role": [None, "support"]}


def test_invitation_link_works_once(store, owner):
    _invitation, token = services.invitation_create(
        store=store, invited_by=owner, email="new.hire@example.test", role="support"
    )
    services.invitation_accept(token=token, full_name="New Hire", password=NEW_PASSWORD)

    with pytest.raises(DomainError) as error:
        services.invitation_accept(token=token, full_name="Someone Else", password=NEW_PASSWORD)

    assert error.value.message == (
        "This invitation has already been used. Log in to reach the store."
    )
    assert Membership.objects.filter(store=store, user__email="new.hire@example.test").count() == 1


def test_invitation_create_revokes_the_earlier_pending_invitation(store, owner):
    first, first_token = services.invitation_create(
        store=store, invited_by=owner, email="new.hire@example.test", role="support"
    )

    second, second_token = services.invitation_create(
        store=store, invited_by=owner, email="NEW.HIRE@example.test", role="manager"
    )

    first.refresh_from_db()
    assert first.revoked_at is not None
    assert not first.is_pending
    assert second.is_pending
    with pytest.raises(DomainError) as error:
        services.invitation_check(token=first_token)
    assert error.value.message == (
        "This invitation was withdrawn. Ask the store owner for a new one."
    )
    assert services.invitation_check(token=second_token) == second


def test_invitation_create_leaves_other_stores_invitations_alone(store, other_store, owner):
    other_owner = UserFactory(email="owner@bravo.test")
    MembershipFactory(user=other_owner, store=other_store, role="owner")
    elsewhere, _ = services.invitation_create(
        store=other_store, invited_by=other_owner, email="new.hire@example.test", role="support"
    )

    services.invitation_create(
        store=store, invited_by=owner, email="new.hire@example.test", role="support"
    )

    elsewhere.refresh_from_db()
    assert elsewhere.revoked_at is None


def test_invitation_create_refuses_someone_already_on_the_staff(
    store, owner, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as error:
        services.invitation_create(
            store=store, invited_by=owner, email="Manager@Alpha.test", role="support"
        )

    assert error.value.message == "manager@alpha.test is already on this store's staff."
    assert error.value.field == "email"
    assert Invitation.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert mail.outbox == []


def test_invitation_create_refuses_an_unknown_role(store, owner):
    with pytest.raises(DomainError) as error:
        services.invitation_create(
            store=store, invited_by=owner, email="new.hire@example.test", role="admin"
        )

    assert error.value.message == "admin is not a role."
    assert error.value.field == "role"
    assert Invitation.objects.count() == 0


# --- invitation_accept ---------------------------------------------------------------------------
def test_invitation_accept_creates_the_account_and_membership(store, owner):
    invitation, token = services.invitation_create(
        store=store, invited_by=owner, email="new.hire@example.test", role="manager"
    )

    membership = services.invitation_accept(
        token=token, full_name="Nora Hire", password=NEW_PASSWORD
    )

    user = User.objects.get(email="new.hire@example.test")
    assert user.full_name == "Nora Hire"
    assert user.check_password(NEW_PASSWORD)
    assert membership.user == user
    assert membership.store == store
    assert membership.role == "manager"
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    entry = AuditEntry.objects.get(store=store, action="staff.joined")
    assert entry.actor == user
    assert entry.target_type == "accounts.membership"
    assert entry.target_id == str(membership.pk)
    assert entry.changes == {"role": [None, "manager"]}


def test_invitation_accept_with_an_existing_account_and_its_password(store, owner, other_store):
    existing = UserFactory(email="pat@example.test", full_name="Pat Existing")
    MembershipFactory(user=existing, store=other_store, role="owner")
    _invitation, token = services.invitation_create(
        store=store, invited_by=owner, email="pat@example.test", role="support"
    )

    membership = services.invitation_accept(token=token, password=TEST_PASSWORD)

    assert membership.user == existing
    assert membership.role == "support"
    assert User.objects.filter(email="pat@example.test").count() == 1
    existing.refresh_from_db()
    assert existing.full_name == "Pat Existing"
    assert sorted(existing.memberships.values_list("store__handle", flat=True)) == [
        "alpha",
        "bravo",
    ]


def test_invitation_accept_with_an_existing_account_refuses_a_wrong_password(store, owner):
    existing = UserFactory(email="pat@example.test")
    invitation, token = services.invitation_create(
        store=store, invited_by=owner, email="pat@example.test", role="support"
    )
    audit_before = AuditEntry.objects.count()

    with pytest.raises(DomainError) as error:
        services.invitation_accept(token=token, password="not-the-password")

    assert error.value.message == "An account with this email already exists: enter its password."
    assert error.value.field == "password"
    assert not Membership.objects.filter(store=store, user=existing).exists()
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert AuditEntry.objects.count() == audit_before


def test_invitation_accept_as_the_logged_in_invitee(store, owner):
    existing = UserFactory(email="pat@example.test")
    _invitation, token = services.invitation_create(
        store=store, invited_by=owner, email="pat@example.test", role="manager"
    )

    membership = services.invitation_accept(token=token, user=existing)

    assert membership.user == existing
    assert membership.role == "manager"


def test_invitation_accept_refuses_a_logged_in_user_with_another_email(store, owner):
    someone_else = UserFactory(email="someone@example.test")
    invitation, token = services.invitation_create(
        store=store, invited_by=owner, email="pat@example.test", role="manager"
    )

    with pytest.raises(DomainError) as error:
        services.invitation_accept(token=token, user=someone_else)

    assert error.value.message == (
        "This invitation is for pat@example.test, but you are logged in as "
        "someone@example.test. Log out and open the link again."
    )
    assert not Membership.objects.filter(store=store, user=someone_else).exists()
    assert not User.objects.filter(email="pat@example.test").exists()
    invitation.refresh_from_db()
    assert invitation.is_pending


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (
            {"expires_at": timezone.now() - timedelta(minutes=1)},
            "This invitation has expired. Ask the store owner for a new one.",
        ),
        (
            {"revoked_at": timezone.now()},
            "This invitation was withdrawn. Ask the store owner for a new one.",
        ),
        (
            {"accepted_at": timezone.now()},
            "This invitation has already been used. Log in to reach the store.",
        ),
    ],
    ids=["expired", "revoked", "used"],
)
def test_invitation_accept_refuses_an_unusable_invitation(store, owner, spoil, message):
    invitation, token = services.invitation_create(
        store=store, invited_by=owner, email="new.hire@example.test", role="support"
    )
    Invitation.objects.filter(pk=invitation.pk).update(**spoil)
    audit_before = AuditEntry.objects.count()

    with pytest.raises(DomainError) as error:
        services.invitation_accept(token=token, full_name="New Hire", password=NEW_PASSWORD)

    assert error.value.message == message
    assert not User.objects.filter(email="new.hire@example.test").exists()
    assert Membership.objects.filter(store=store).count() == 1  # the owner only
    assert AuditEntry.objects.count() == audit_before


def test_invitation_accept_refuses_an_unknown_token(store):
    with pytest.raises(DomainError) as error:
        services.invitation_accept(token="no-such-token", full_name="X", password=NEW_PASSWORD)

    assert error.value.message == (
        "This invitation link is not valid. Ask the store owner for a new one."
    )
    assert User.objects.count() == 0


def test_invitation_revoke_withdraws_the_link_and_is_audited(store, owner):
    invitation, token = services.invitation_create(
        store=store, invited_by=owner, email="new.hire@example.test", role="support"
    )

    services.invitation_revoke(store=store, actor=owner, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    with pytest.raises(DomainError):
        services.invitation_check(token=token)
    assert _audit(store, "staff.invitation_revoked") == [
        ("owner@alpha.test", "accounts.invitation", {})
    ]


def test_invitation_revoke_refuses_another_stores_invitation(store, other_store, owner):
    other_owner = UserFactory(email="owner@bravo.test")
    elsewhere, _ = services.invitation_create(
        store=other_store, invited_by=other_owner, email="new.hire@example.test", role="support"
    )

    with pytest.raises(DomainError) as error:
        services.invitation_revoke(store=store, actor=owner, invitation=elsewhere)

    assert error.value.message == "No such invitation."
    elsewhere.refresh_from_db()
    assert elsewhere.revoked_at is None
    assert not AuditEntry.objects.filter(action="staff.invitation_revoked").exists()


# --- memberships ---------------------------------------------------------------------------------
def test_membership_change_role_changes_it_and_is_audited(store, owner, support):
    membership = Membership.objects.get(store=store, user=support)

    services.membership_change_role(store=store, actor=owner, membership=membership, role="manager")

    membership.refresh_from_db()
    assert membership.role == "manager"
    assert _audit(store, "staff.role_changed") == [
        ("owner@alpha.test", "accounts.membership", {"role": ["support", "manager"]})
    ]


def test_membership_change_role_to_the_same_role_changes_nothing(store, owner, support):
    membership = Membership.objects.get(store=store, user=support)

    services.membership_change_role(store=store, actor=owner, membership=membership, role="support")

    assert AuditEntry.objects.count() == 0


def test_membership_change_role_refuses_to_demote_the_last_owner(store, owner, manager):
    membership = Membership.objects.get(store=store, user=owner)

    with pytest.raises(DomainError) as error:
        services.membership_change_role(
            store=store, actor=owner, membership=membership, role="manager"
        )

    assert error.value.message == (
        "A store needs at least one owner: make someone else owner first."
    )
    assert error.value.field == "role"
    membership.refresh_from_db()
    assert membership.role == "owner"
    assert AuditEntry.objects.count() == 0


def test_membership_change_role_demotes_an_owner_when_another_remains(store, owner, make_member):
    make_member(store, "owner", email="second.owner@alpha.test")
    membership = Membership.objects.get(store=store, user=owner)

    services.membership_change_role(store=store, actor=owner, membership=membership, role="support")

    membership.refresh_from_db()
    assert membership.role == "support"
    assert Membership.objects.filter(store=store, role="owner").count() == 1


def test_membership_change_role_refuses_an_unknown_role(store, owner, support):
    membership = Membership.objects.get(store=store, user=support)

    with pytest.raises(DomainError) as error:
        services.membership_change_role(
            store=store, actor=owner, membership=membership, role="superuser"
        )

    assert error.value.message == "superuser is not a role."
    membership.refresh_from_db()
    assert membership.role == "support"


def test_membership_remove_removes_and_is_audited(store, owner, support):
    membership = Membership.objects.get(store=store, user=support)

    services.membership_remove(store=store, actor=owner, membership=membership)

    assert not Membership.objects.filter(store=store, user=support).exists()
    assert User.objects.filter(pk=support.pk).exists()  # the account stays
    assert _audit(store, "staff.removed") == [
        ("owner@alpha.test", "accounts.membership", {"role": ["support", None]})
    ]


def test_membership_remove_refuses_the_last_owner(store, owner, support):
    membership = Membership.objects.get(store=store, user=owner)

    with pytest.raises(DomainError) as error:
        services.membership_remove(store=store, actor=owner, membership=membership)

    assert error.value.message == (
        "A store needs at least one owner: make someone else owner first."
    )
    assert Membership.objects.filter(store=store, user=owner, role="owner").exists()
    assert AuditEntry.objects.count() == 0


def test_membership_remove_lets_an_owner_leave_when_another_owner_remains(
    store, owner, make_member
):
    make_member(store, "owner", email="second.owner@alpha.test")
    membership = Membership.objects.get(store=store, user=owner)

    services.membership_remove(store=store, actor=owner, membership=membership)

    assert list(Membership.objects.filter(store=store).values_list("user__email", "role")) == [
        ("second.owner@alpha.test", "owner")
    ]


# --- API keys ------------------------------------------------------------------------------------
def test_api_key_create_returns_the_raw_key_once_and_stores_only_its_hash(store, owner):
    api_key, raw = services.api_key_create(store=store, actor=owner, name="  ERP sync ")

    assert re.fullmatch(r"mp_sk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", raw)
    api_key.refresh_from_db()
    assert api_key.name == "ERP sync"
    assert raw == f"mp_sk_{api_key.prefix}_{raw.split('_', 3)[3]}"
    assert api_key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    secret = raw.split("_", 3)[3]
    stored = [str(value) for value in ApiKey.objects.values().get(pk=api_key.pk).values()]
    assert not any(secret in value for value in stored)
    entry = AuditEntry.objects.get(store=store, action="api_key.created")
    assert entry.changes == {"name": [None, "ERP sync"]}
    assert secret not in str(entry.changes) + entry.target_repr


def test_api_key_create_refuses_an_empty_name(store, owner):
    with pytest.raises(DomainError) as error:
        services.api_key_create(store=store, actor=owner, name="   ")

    assert error.value.field == "name"
    assert error.value.message == "Give the key a name, e.g. the system that will use it."
    assert ApiKey.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_api_key_authenticate_accepts_the_raw_key_and_notes_its_use(store, owner):
    api_key, raw = services.api_key_create(store=store, actor=owner, name="ERP sync")

    found = services.api_key_authenticate(raw=raw)

    assert found == api_key
    assert found.store == store
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


def test_api_key_authenticate_rejects_a_revoked_key(store, owner):
    api_key, raw = services.api_key_create(store=store, actor=owner, name="ERP sync")
    services.api_key_revoke(store=store, actor=owner, api_key=api_key)

    assert services.api_key_authenticate(raw=raw) is None


def test_api_key_authenticate_rejects_a_wrong_secret_with_the_right_prefix(store, owner):
    api_key, raw = services.api_key_create(store=store, actor=owner, name="ERP sync")
    forged = f"mp_sk_{api_key.prefix}_{'A' * 43}"

    assert services.api_key_authenticate(raw=forged) is None
    assert services.api_key_authenticate(raw=raw[:-1]) is None
    assert services.api_key_authenticate(raw=raw.replace("mp_sk_", "mp_pk_")) is None
    api_key.refresh_from_db()
    assert api_key.last_used_at is None


def test_api_key_revoke_is_audited_once(store, owner):
    api_key, _raw = services.api_key_create(store=store, actor=owner, name="ERP sync")

    services.api_key_revoke(store=store, actor=owner, api_key=api_key)
    services.api_key_revoke(store=store, actor=owner, api_key=api_key)

    api_key.refresh_from_db()
    assert api_key.revoked_at is not None
    assert not api_key.is_active
    assert _audit(store, "api_key.revoked") == [("owner@alpha.test", "accounts.apikey", {})]


def test_api_key_revoke_refuses_another_stores_key(store, other_store, owner):
    other_owner = UserFactory(email="owner@bravo.test")
    elsewhere, raw = services.api_key_create(store=other_store, actor=other_owner, name="Sync")

    with pytest.raises(DomainError) as error:
        services.api_key_revoke(store=store, actor=owner, api_key=elsewhere)

    assert error.value.message == "No such API key."
    assert services.api_key_authenticate(raw=raw) == elsewhere


@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_at_once_leave_one_owner(store, owner, monkeypatch):
    import threading

    from django.db import connection

    second = UserFactory(email="second.owner@alpha.test")
    MembershipFactory(user=second, store=store, role="owner")
    first_membership = Membership.objects.get(user=owner)
    second_membership = Membership.objects.get(user=second)
    first_at_audit, go_on = threading.Event(), threading.Event()
    real_audit_record = services.audit_record

    def audit_then_wait(**kwargs):
        entry = real_audit_record(**kwargs)
        if threading.current_thread().name == "first":
            first_at_audit.set()  # the demotion is written but not committed
            go_on.wait(5)
        return entry

    monkeypatch.setattr(services, "audit_record", audit_then_wait)
    errors = {}

    def demote(name, actor, membership):
        try:
            services.membership_change_role(
                store=store, actor=actor, membership=membership, role="manager"
            )
        except DomainError as error:
            errors[name] = error.message
        finally:
            connection.close()

    first = threading.Thread(target=demote, args=("first", owner, second_membership), name="first")
    later = threading.Thread(target=demote, args=("later", second, first_membership), name="later")
    first.start()
    assert first_at_audit.wait(5)
    later.start()
    later.join(0.5)  # with the store locked it waits for the first to commit
    go_on.set()
    first.join(5)
    later.join(5)

    assert list(
        Membership.objects.filter(store=store, role="owner").values_list("user__email", flat=True)
    ) == ["owner@alpha.test"]
    assert errors == {"later": "A store needs at least one owner: make someone else owner first."}


def test_invitation_is_kept_when_the_email_cannot_be_queued(
    store, owner, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from apps.core import tasks

    def broker_down(**kwargs):
        raise OperationalError("broker unreachable")

    monkeypatch.setattr(tasks.send_email_task, "delay", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        invitation, _token = services.invitation_create(
            store=store, invited_by=owner, email="late@alpha.test", role="support"
        )

    assert Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).exists()


# --- stores ---------------------------------------------------------------------------------------
def test_store_create_lowercases_the_handle_and_refuses_it_taken_in_any_case(db):
    owner = UserFactory()
    store = services.store_create(owner=owner, name="Acme", handle="Acme-Shop")

    with pytest.raises(DomainError) as caught:
        services.store_create(owner=owner, name="Copy", handle="ACME-SHOP")

    assert store.handle == "acme-shop"
    assert (caught.value.message, caught.value.field) == (
        "The handle acme-shop is taken; choose another.",
        "handle",
    )
    assert Membership.objects.filter(user=owner).count() == 1


@pytest.mark.parametrize("handle", ["-lead", "a", "new_store_x"])
def test_store_create_refuses_a_handle_outside_the_rule(db, handle):
    owner = UserFactory()

    with pytest.raises(DomainError) as caught:
        services.store_create(owner=owner, name="Acme", handle=handle)

    assert caught.value.field == "handle"
    assert "cannot be a store handle" in caught.value.message
    assert not Membership.objects.filter(user=owner).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"currency": "ZZZ"}, "currency", "ZZZ is not an ISO 4217 currency code in use, e.g. EUR."),
        ({"country": "XX"}, "country", "XX is not an ISO 3166 country code, e.g. DE."),
        ({"timezone": "Mars/Base"}, "timezone", None),
    ],
)
def test_store_create_refuses_what_the_settings_refuse_and_creates_nothing(
    db, fields, field, message
):
    owner = UserFactory()

    with pytest.raises(DomainError) as caught:
        services.store_create(owner=owner, name="Acme", handle="acme", **fields)

    assert caught.value.field == field
    if message:
        assert caught.value.message == message
    assert not Membership.objects.filter(user=owner).exists()
    assert not AuditEntry.objects.filter(action="store.created").exists()


def test_store_update_refuses_with_a_domain_error_naming_the_field(store, owner):
    with pytest.raises(DomainError) as caught:
        services.store_update(store=store, actor=owner, currency="ZZZ")

    assert (caught.value.field, caught.value.message) == (
        "currency",
        "ZZZ is not an ISO 4217 currency code in use, e.g. EUR.",
    )
    store.refresh_from_db()
    assert store.currency == "EUR"
