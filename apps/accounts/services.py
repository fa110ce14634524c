"""Stores, staff, invitations and API keys: every write goes through here and is audited."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import ApiKey, Invitation, Membership, User
from apps.audit.services import audit_record, changes_between
from apps.core.emails import email_send_later
from apps.core.exceptions import DomainError
from apps.core.files import private_files_delete_of_store
from apps.core.handles import store_handle
from apps.core.models import STORE_SETTINGS_FIELDS, Store
from apps.core.roles import Role

API_KEY_PREFIX = "mp_sk_"


def _sha256(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- stores -------------------------------------------------------------------------------------
def _store_check(store: Store) -> None:
    """The store's own field rules (ISO currency and country, time zone, bounds), refused as a
    ``DomainError`` naming the field, whoever calls: the form, the demo seeder, a script."""
    try:
        store.full_clean(validate_unique=False)  # the handle's uniqueness: store_create
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=None if field == NON_FIELD_ERRORS else field) from None


@transaction.atomic
def store_create(*, owner: User, name: str, handle: str, **fields) -> Store:
    """A new store, with ``owner`` as its first owner.

    The handle follows ``apps.core.handles.store_handle`` (kept lowercase) and is unique
    without regard to case, also against older stores whose handles predate the rule.
    """
    handle = store_handle(handle)
    taken = DomainError(f"The handle {handle} is taken; choose another.", field="handle")
    if Store.objects.filter(handle__iexact=handle).exists():
        raise taken
    store = Store(name=name, handle=handle, **fields)
    _store_check(store)
    try:
        with transaction.atomic():
            store.save(force_insert=True)
    except IntegrityError:  # created by someone else in the meantime
        raise taken from None
    Membership.objects.create(user=owner, store=store, role=Role.OWNER)
    audit_record(store=store, actor=owner, action="store.created", target=store)
    return store


@transaction.atomic
def store_update(*, store: Store, actor: User, **fields) -> Store:
    # from the database: a bound ModelForm has already copied its input onto ``store``
    before = Store.objects.filter(pk=store.pk).values(*STORE_SETTINGS_FIELDS).get()
    for name, value in fields.items():
        if name not in STORE_SETTINGS_FIELDS:
            raise ValueError(f"{name} is not a store setting")
        setattr(store, name, value)
    _store_check(store)
    store.save()
    changes = changes_between(before, {name: getattr(store, name) for name in before})
    if changes:
        audit_record(
            store=store, actor=actor, action="store.updated", target=store, changes=changes
        )
    return store


# --- the person's own account ---------------------------------------------------------------------
@transaction.atomic
def account_update(*, user: User, full_name: str) -> User:
    """Change the person's name; each store they work in records it in its audit log (the
    staff list and every entry show people by this name)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    before = user.full_name
    user.full_name = full_name.strip()
    if user.full_name == before:
        return user
    user.save(update_fields=["full_name"])
    for store in Store.objects.filter(memberships__user=user).order_by("pk"):
        audit_record(
            store=store,
            actor=user,
            action="account.updated",
            target=user,
            changes={"full_name": [before, user.full_name]},
        )
    return user


# --- invitations ----------------------------------------------------------------------------------
def invitation_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation-accept", args=[token])


@transaction.atomic
def invitation_create(
    *, store: Store, invited_by: User, email: str, role: str
) -> tuple[Invitation, str]:
    """Invite ``email`` with ``role``; returns the invitation and its one-time token."""
    email = email.strip().lower()
    if role not in Role.values:
        raise DomainError(f"{role} is not a role.", field="role")
    if Membership.objects.filter(store=store, user__email__iexact=email).exists():
        raise DomainError(f"{email} is already on this store's staff.", field="email")
    now = timezone.now()
    # a new invitation replaces any earlier pending one for the same address
    Invitation.objects.for_store(store).filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        store=store,
        email=email,
        role=role,
        token_hash=_sha256(token),
        invited_by=invited_by,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_record(
        store=store,
        actor=invited_by,
        action="staff.invited",
        target=invitation,
        changes={"email": [None, email], "role": [None, role]},
    )
    link = invitation_url(token)
    subject = f"You're invited to {store.name} on Merchant Portal"
    body = (
        f"{invited_by.display_name} invited you to join {store.name} as "
        f"{Role(role).label.lower()}.\n\nAccept the invitation: {link}\n\n"
        f"The link works once and expires in {settings.INVITATION_VALID_DAYS} days."
    )
    # a broker outage must not undo the invitation (it is logged; re-invite resends)
    email_send_later(to=[email], subject=subject, body=body)
    return invitation, token


def invitation_for_token(*, token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("store", "invited_by")
        .filter(token_hash=_sha256(token))
        .first()
    )


def _check_usable(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise DomainError("This invitation link is not valid. Ask the store owner for a new one.")
    if invitation.accepted_at:
        raise DomainError("This invitation has already been used. Log in to reach the store.")
    if invitation.revoked_at:
        raise DomainError("This invitation was withdrawn. Ask the store owner for a new one.")
    if invitation.expires_at <= timezone.now():
        raise DomainError("This invitation has expired. Ask the store owner for a new one.")
    return invitation


def invitation_check(*, token: str) -> Invitation:
    return _check_usable(invitation_for_token(token=token))


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None = None, full_name: str = "", password: str = ""
) -> Membership:
    """Accept as the logged-in ``user``, or create the account from ``full_name``/``password``."""
    invitation = _check_usable(
        Invitation.objects.select_for_update().filter(token_hash=_sha256(token)).first()
    )
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            raise DomainError(
                f"This invitation is for {invitation.email}, but you are logged in as "
                f"{user.email}. Log out and open the link again."
            )
    else:
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User.objects.create_user(
                email=invitation.email, password=password, full_name=full_name
            )
        elif not user.check_password(password):
            raise DomainError(
                "An account with this email already exists: enter its password.",
                field="password",
            )
    membership, _ = Membership.objects.get_or_create(
        user=user, store=invitation.store, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_record(
        store=invitation.store,
        actor=user,
        action="staff.joined",
        target=membership,
        changes={"role": [None, membership.role]},
    )
    return membership


@transaction.atomic
def invitation_revoke(*, store: Store, actor: User, invitation: Invitation) -> None:
    if invitation.store_id != store.id:
        raise DomainError("No such invitation.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_record(store=store, actor=actor, action="staff.invitation_revoked", target=invitation)


# --- memberships ----------------------------------------------------------------------------------
def _lock_staff(store: Store) -> None:
    """Serialise staff changes per store, so that two owners demoting each other at once
    cannot both pass the last-owner check."""
    Store.objects.select_for_update().filter(pk=store.pk).exists()


def _is_last_owner(membership: Membership) -> bool:
    return (
        membership.role == Role.OWNER
        and Membership.objects.filter(store_id=membership.store_id, role=Role.OWNER).count() == 1
    )


@transaction.atomic
def membership_change_role(
    *, store: Store, actor: User, membership: Membership, role: str
) -> Membership:
    if role not in Role.values:
        raise DomainError(f"{role} is not a role.", field="role")
    _lock_staff(store)
    membership = Membership.objects.select_for_update().get(pk=membership.pk, store=store)
    if membership.role == role:
        return membership
    if _is_last_owner(membership):
        raise DomainError(
            "A store needs at least one owner: make someone else owner first.", field="role"
        )
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        store=store,
        actor=actor,
        action="staff.role_changed",
        target=membership,
        changes={"role": [old, role]},
    )
    return membership


@transaction.atomic
def membership_remove(*, store: Store, actor: User, membership: Membership) -> None:
    _lock_staff(store)
    membership = Membership.objects.select_for_update().get(pk=membership.pk, store=store)
    if _is_last_owner(membership):
        raise DomainError("A store needs at least one owner: make someone else owner first.")
    audit_record(
        store=store,
        actor=actor,
        action="staff.removed",
        target=membership,
        changes={"role": [membership.role, None]},
    )
    membership.delete()


# --- API keys -------------------------------------------------------------------------------------
@transaction.atomic
def api_key_create(*, store: Store, actor: User, name: str) -> tuple[ApiKey, str]:
    """Create a key; the returned raw key is shown once and never stored."""
    name = name.strip()
    if not name:
        raise DomainError("Give the key a name, e.g. the system that will use it.", field="name")
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():  # pragma: no cover - 1 in 4 billion
        prefix = secrets.token_hex(4)
    raw = f"{API_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(
        store=store, name=name, prefix=prefix, key_hash=_sha256(raw), created_by=actor
    )
    audit_record(
        store=store,
        actor=actor,
        action="api_key.created",
        target=api_key,
        changes={"name": [None, name]},
    )
    return api_key, raw


@transaction.atomic
def api_key_revoke(*, store: Store, actor: User, api_key: ApiKey) -> None:
    if api_key.store_id != store.id:
        raise DomainError("No such API key.")
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at", "updated_at"])
        audit_record(store=store, actor=actor, action="api_key.revoked", target=api_key)


def api_key_authenticate(*, raw: str) -> ApiKey | None:
    """The active key matching ``raw``, or None. Constant-time comparison of the hash."""
    if not raw.startswith(API_KEY_PREFIX):
        return None
    prefix = raw[len(API_KEY_PREFIX) :].split("_", 1)[0]
    api_key = (
        ApiKey.objects.select_related("store")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if api_key is None or not hmac.compare_digest(api_key.key_hash, _sha256(raw)):
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > timedelta(minutes=1):
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return api_key


# --- password reset -------------------------------------------------------------------------------
PASSWORD_RESET_WINDOW_SECONDS = 60 * 60


def _count_in_window(key: str) -> int:
    cache.add(key, 0, timeout=PASSWORD_RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=PASSWORD_RESET_WINDOW_SECONDS)
        return 1


def password_reset_allowed(*, email: str, address: str | None) -> bool:
    """Count one reset request; False once the email or the client address has asked more than
    ``PASSWORD_RESET_LIMIT`` times this hour. The caller answers the same either way, so the
    limit never tells whether an account exists."""
    counts = [
        _count_in_window(f"password-reset:email:{_sha256(email.strip().lower())}"),
        _count_in_window(f"password-reset:address:{_sha256(address or 'unknown')}"),
    ]
    return max(counts) <= settings.PASSWORD_RESET_LIMIT


def password_reset_email_queue(*, to: str, subject: str, body: str) -> None:
    """Queue the reset email for after the commit. Robust: a broker outage is logged and must
    neither fail the page nor, by failing only for real accounts, reveal that one exists."""
    email_send_later(to=[to], subject=subject, body=body)


# --- deleting a store -----------------------------------------------------------------------------
@transaction.atomic
def store_delete(*, store: Store) -> None:
    """Delete the store with everything it owns, its private files too (imports, error rows,
    exports) once the deletion commits."""
    Store.objects.filter(pk=store.pk).delete()
    private_files_delete_of_store(store.pk)
