"""Issuing credentials: keys, status-list slots, building, signing, storing.

Every issuance of an organisation locks its Issuer row: it serialises the choice of status-list
slots and makes a double submit find the credential the first one stored.
"""

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from laurier.api import webhooks
from laurier.organisations.audit import acting_user, record_event
from laurier.organisations.models import AuditEvent

from .. import builder
from ..documents import schema_errors
from ..keys import decrypt_private_key, encrypt_private_key, new_private_key, public_multikey
from ..models import Credential, Issuer, SigningKey, StatusList
from ..proofs import add_data_integrity_proof, sign_jwt
from ..status_lists import LIST_SIZE, encode_bits

# A list is closed at half full, so a free slot is found in a few random draws and the list still
# hides which credential a verifier asks about.
LIST_CAPACITY = LIST_SIZE // 2


def issuer_for(organisation) -> Issuer:
    """The organisation's issuer, made on first use; read once per organisation instance, so
    that a batch of recipients costs no query each."""
    try:
        return organisation.issuer
    except Issuer.DoesNotExist:
        issuer, _created = Issuer.objects.get_or_create(organisation=organisation)
        organisation.issuer = issuer
        return issuer


def _locked_issuer(organisation) -> Issuer:
    issuer_for(organisation)
    return (
        # Only the issuer's row: the organisation joined for reading stays free for others.
        Issuer.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(organisation=organisation)
    )


def _create_key(issuer, now) -> SigningKey:
    key = new_private_key()
    prefix = f"key-{now.year}-"
    year_count = SigningKey.objects.filter(issuer=issuer, name__startswith=prefix).count()
    return SigningKey.objects.create(
        issuer=issuer,
        name=f"key-{now.year}-{year_count + 1}",
        public_multikey=public_multikey(key),
        encrypted_seed=encrypt_private_key(key),
    )


@dataclass
class Signer:
    """An issuer's current key, decrypted for as long as one issuance or one batch lasts."""

    key: SigningKey
    private_key: object

    def prove(self, document, created) -> dict:
        """The document with its Data Integrity proof."""
        return add_data_integrity_proof(
            document, self.private_key, self.key.verification_method, created
        )

    def sign(self, document, created) -> tuple[dict, str]:
        """The document with its Data Integrity proof, and that signed document as a vc+jwt."""
        signed = self.prove(document, created)
        return signed, sign_jwt(signed, self.private_key, self.key.verification_method)


def signer_for(issuer, now=None) -> Signer:
    """The issuer's newest active key (made on first use), ready to sign. Call it inside the
    transaction that locked the issuer."""
    key = issuer.keys.filter(retired_at__isnull=True).order_by("-created_at", "-pk").first()
    if key is None:
        key = _create_key(issuer, now or timezone.now())
    key.issuer = issuer
    return Signer(key=key, private_key=decrypt_private_key(key.encrypted_seed))


def rotate_signing_key(organisation, *, actor) -> SigningKey:
    """Retire the issuer's key and make a new one. Earlier credentials keep verifying: the retired
    key stays published in the issuer's document."""
    with transaction.atomic():
        issuer = _locked_issuer(organisation)
        now = timezone.now()
        issuer.keys.filter(retired_at__isnull=True).update(retired_at=now)
        key = _create_key(issuer, now)
        # Never the seed: the trail says which public key now signs.
        record_event(
            organisation=organisation,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            instance=key,
            changes={"name": key.name, "public_multikey": key.public_multikey},
        )
        return key


def sign_status_list(status_list, signer, now=None):
    """(Re)write the list's signed credential from the revoked credentials it holds."""
    revoked = Credential.objects.filter(
        status_list=status_list, revoked_at__isnull=False
    ).values_list("status_index", flat=True)
    now = now or timezone.now()
    status_list.issuer = signer.key.issuer
    document = builder.status_list_document(
        url=status_list.url,
        issuer_url=signer.key.issuer.url,
        valid_from=now,
        encoded_list=encode_bits(revoked),
    )
    status_list.document = signer.prove(document, builder.utc(now))
    status_list.save(update_fields=["document", "updated_at"])


class SlotPicker:
    """Random free indexes of the issuer's open status list, for one transaction.

    Indexes are drawn with `secrets`, so that one does not tell when a credential was issued
    nor which one comes next. A batch reads the indexes taken once; a single issuance asks the
    database about the one index it drew instead of reading up to 65,536 of them.
    """

    def __init__(self, issuer, signer, expected=1):
        self.issuer = issuer
        self.signer = signer
        self.batch = expected > 1
        self.status_list = issuer.status_lists.order_by("-number").first()
        self.used = self._used_count()
        self.taken = self._taken() if self.batch else set()

    def _list_credentials(self):
        return Credential.objects.filter(status_list=self.status_list)

    def _used_count(self):
        return self._list_credentials().count() if self.status_list else 0

    def _taken(self):
        if self.status_list is None:
            return set()
        return set(self._list_credentials().values_list("status_index", flat=True))

    def _open_new_list(self):
        number = (self.status_list.number + 1) if self.status_list else 1
        self.status_list = StatusList.objects.create(issuer=self.issuer, number=number)
        sign_status_list(self.status_list, self.signer)
        self.used, self.taken = 0, set()

    def _is_free(self, index):
        if index in self.taken:
            return False
        return self.batch or not self._list_credentials().filter(status_index=index).exists()

    def next(self) -> tuple[StatusList, int]:
        if self.status_list is None or self.used >= LIST_CAPACITY:
            self._open_new_list()
        while True:
            index = secrets.randbelow(LIST_SIZE)
            if self._is_free(index):
                self.taken.add(index)
                self.used += 1
                return self.status_list, index


@dataclass(frozen=True)
class Recipient:
    person: object
    achievement: builder.Achievement
    issue_key: str
    valid_until: object = None


def _issue(organisation, issuer, signer, slots, recipient, *, kind, actor, now, **links):
    # The credential says its dates to the second: the record says the same dates.
    valid_until = recipient.valid_until and recipient.valid_until.replace(microsecond=0)
    credential = Credential(
        organisation=organisation,
        person=recipient.person,
        kind=kind,
        issue_key=recipient.issue_key,
        name=recipient.achievement.name,
        language=recipient.achievement.language,
        issued_at=now,
        valid_until=valid_until,
        issued_by=acting_user(actor),
        signing_key=signer.key,
        **links,
    )
    credential.status_list, credential.status_index = slots.next()
    document = builder.credential_document(
        url=credential.url,
        issuer=issuer,
        achievement=recipient.achievement,
        recipient_name=recipient.person.full_name,
        recipient_email=recipient.person.email,
        salt=builder.new_salt(),
        valid_from=now,
        valid_until=valid_until,
        status_list_url=credential.status_list.url,
        status_index=credential.status_index,
    )
    errors = schema_errors(document)
    if errors:  # Laurier's own bug, never the user's: refuse to sign a malformed credential.
        raise ValueError(f"credential does not match the Open Badges 3.0 schema: {errors}")
    credential.document, credential.jwt = signer.sign(document, builder.utc(now))
    return credential


def issue_many(organisation, recipients, *, kind, actor, now=None, **links) -> list[Credential]:
    """Issue one credential per recipient, skipping those already issued for the same reason,
    in one transaction. Returns the credentials issued now."""
    now = (now or timezone.now()).replace(microsecond=0)
    with transaction.atomic():
        issuer = _locked_issuer(organisation)
        existing = set(
            Credential.objects.filter(
                organisation=organisation,
                person__in=[r.person for r in recipients],
                issue_key__in={r.issue_key for r in recipients},
            ).values_list("person_id", "issue_key")
        )
        fresh = {}
        for r in recipients:  # a person named twice for the same reason is issued one
            if (r.person.pk, r.issue_key) not in existing:
                fresh.setdefault((r.person.pk, r.issue_key), r)
        if not fresh:
            return []
        signer = signer_for(issuer, now)
        slots = SlotPicker(issuer, signer, expected=len(fresh))
        credentials = [
            _issue(organisation, issuer, signer, slots, r, kind=kind, actor=actor, now=now, **links)
            for r in fresh.values()
        ]
        # One insert per batch, not per credential: a job of 1,000 badges costs a few queries.
        issued = Credential.objects.bulk_create(credentials, batch_size=500)
        webhooks.credentials_issued(organisation, issued)
        return issued


def issue_one(organisation, recipient, *, kind, actor, **links) -> tuple[Credential, bool]:
    """(credential, created): the credential issued for `recipient`, or the one already issued
    for the same person and reason."""
    existing = Credential.objects.filter(
        organisation=organisation, person=recipient.person, issue_key=recipient.issue_key
    ).first()
    if existing is not None:  # the usual case of a second call: no lock, no signature
        return existing, False
    try:
        issued = issue_many(organisation, [recipient], kind=kind, actor=actor, **links)
    except IntegrityError:  # the same reason issued by a concurrent request
        issued = []
    if issued:
        return issued[0], True
    existing = Credential.objects.get(
        organisation=organisation, person=recipient.person, issue_key=recipient.issue_key
    )
    return existing, False
