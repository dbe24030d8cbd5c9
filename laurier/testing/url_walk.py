"""What the every-URL walker (laurier/core/tests/test_every_url.py) needs to visit every page.

Three parts:
- the URL patterns of the site, walked recursively (`routes()`);
- the registry (`PAGES`, `NAMESPACES`): for each URL name, what kind of page it is and a
  recipe that fills the address's kwargs from a world (the organisation and program slugs
  are filled for every page, the rest — `pk`, `token`, `public_id`… — by the recipe);
- the world (`build_world`): one organisation with one row of every kind a page shows,
  built twice by the walker (organisation A, and B whose admin tries A's pages).

Who may open an organisation's page is written twice on purpose: on the view by its tenancy
decorator (`laurier.organisations.tenancy.access_rule`), which the walker reads to choose
whom to send, and here as the page's audience (admins, managers, every member), which the
walker checks the decorator agrees with.
"""

import datetime
import enum
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from laurier.organisations.models import Role
from laurier.organisations.tenancy import ADMIN_ROLES, EVERY_ROLE, MANAGER_ROLES
from laurier.testing import factories

# --- What kind of page a URL is ----------------------------------------------------------------


class Audience(enum.Enum):
    """Who an organisation's page is for: the roles its tenancy decorator must let in."""

    ADMINS = ADMIN_ROLES
    MANAGERS = MANAGER_ROLES
    MEMBERS = EVERY_ROLE


class Kind(enum.Enum):
    TENANT = "an organisation's page, behind organisation_view or program_view"
    PUBLIC = "a public page: anyone, signed in or not"
    PERSONAL_LINK = "a page at a personal link: the token in the address is the key"
    LOGIN_ONLY = "a page for anyone signed in, about their own account"
    STAFF_ONLY = "django-admin: the site's staff only"
    API = "the API, walked by laurier/api/tests/test_cross_organisation.py"


def no_kwargs(world):
    return {}


@dataclass(frozen=True)
class Page:
    """How the walker visits one URL: its kind, the recipe of its kwargs (`world -> dict`),
    for an organisation's page who it is for (the walker checks that its decorator agrees),
    and a query string when the page needs one."""

    kind: Kind
    kwargs: object = no_kwargs
    audience: Audience | None = None
    query: str = ""
    # What a public page answers when it is not a success by design (an error page).
    answers: int | None = None


def tenant(kwargs=no_kwargs, *, query=""):
    """A page for the organisation's admins and program managers (of its program, if the
    address names one)."""
    return Page(Kind.TENANT, kwargs, Audience.MANAGERS, query)


def admin_page(kwargs=no_kwargs):
    """A page for the organisation's admins only."""
    return Page(Kind.TENANT, kwargs, Audience.ADMINS)


def member_page(kwargs=no_kwargs):
    """A page for every member, whatever their role: their own space (…/me/…)."""
    return Page(Kind.TENANT, kwargs, Audience.MEMBERS)


def public(kwargs=no_kwargs, *, answers=None):
    """A page for anyone; `answers` the status it gives by design when not a success."""
    return Page(Kind.PUBLIC, kwargs, answers=answers)


def personal_link(kwargs):
    """A page whose address holds its key (`token` or `public_id`): no account."""
    return Page(Kind.PERSONAL_LINK, kwargs)


def any_admin_address(world):
    """django-admin turns a visitor away before it reads its kwargs: any value does."""
    return {
        "object_id": "1",
        "content_type_id": "1",
        "id": "1",
        "app_label": "auth",
        "url": "unknown/",
    }


LOGIN_ONLY = Page(Kind.LOGIN_ONLY)
STAFF_ONLY = Page(Kind.STAFF_ONLY, any_admin_address)
API = Page(Kind.API)

# Filled for every page, from the world's organisation and its program.
GENERIC_KWARGS = {
    "organisation_slug": lambda world: world.organisation.slug,
    "program_slug": lambda world: world.program.slug,
}


def is_object_id(kwarg):
    """Whether a kwarg names a row (a primary key): those of another organisation must 404."""
    return kwarg == "pk" or kwarg.endswith("_pk")


def pk(row_name):
    """The recipe {"pk": world.<row_name>.pk}."""
    return lambda world: {"pk": getattr(world, row_name).pk}


def token(row_name, attribute="token"):
    """The recipe {"token": world.<row_name>.<attribute>}."""
    return lambda world: {"token": getattr(getattr(world, row_name), attribute)}


# --- The registry ------------------------------------------------------------------------------

# Whole namespaces of one kind: new URLs in them are covered without a recipe.
NAMESPACES = {
    "admin": STAFF_ONLY,
    "api": API,
}

ADMIN_SIGN_IN = {
    "admin:login": public(),
    "admin:logout": public(),
}

# allauth's pages: public (signing in, up, resetting a password) or for anyone signed in.
ACCOUNT_PAGES = {
    "account_login": public(),
    "account_logout": LOGIN_ONLY,
    "account_inactive": public(),
    "account_signup": public(),
    "account_reauthenticate": LOGIN_ONLY,
    "account_email": LOGIN_ONLY,
    "account_email_verification_sent": public(),
    "account_change_password": LOGIN_ONLY,
    "account_set_password": LOGIN_ONLY,
    "account_reset_password": public(),
    # Steps of a sign-in under way: without one, back to the sign-in page.
    "account_confirm_login_code": public(answers=302),
    "account_confirm_email": public(lambda world: {"key": "unknown-key"}),
    "account_reset_password_from_key_done": public(),
    "account_reset_password_from_key": public(lambda world: {"uidb36": "0", "key": "unknown"}),
    "account_reset_password_done": public(),
    "socialaccount_login_cancelled": public(),
    # The page a failed sign-in through a provider lands on.
    "socialaccount_login_error": public(answers=401),
    "socialaccount_signup": public(answers=302),
    "socialaccount_connections": LOGIN_ONLY,
    "openid_connect_login": public(lambda world: {"provider_id": world.sso_app.provider_id}),
    # Called back without the provider's code and state: a bad request.
    "openid_connect_callback": public(
        lambda world: {"provider_id": world.sso_app.provider_id}, answers=400
    ),
    # Laurier's own shadows of allauth's pages (accounts/allauth_urls.py), unnamed.
    "accounts/email/": LOGIN_ONLY,
    "accounts/password/change/": LOGIN_ONLY,
    "accounts/password/set/": LOGIN_ONLY,
    # allauth's old addresses, redirected to the new ones.
    "accounts/social/login/cancelled/": public(),
    "accounts/social/login/error/": public(),
    "accounts/social/signup/": public(),
    "accounts/social/connections/": public(),
    "home": LOGIN_ONLY,
    "health": public(),
    "set_language": public(),
    "sso_start": public(),
    "sso_organisation": public(),
    "sso_settings": admin_page(),
    "sso_remove": admin_page(),
}

ORGANISATION_PAGES = {
    "organisations:invitation_accept": personal_link(token("invitation")),
    "organisations:home": member_page(),
    "organisations:settings": admin_page(),
    "organisations:chat_test": admin_page(),
    "organisations:members": admin_page(),
    "organisations:member_edit": admin_page(pk("mentor_membership")),
    "organisations:invitation_revoke": admin_page(pk("invitation")),
    "organisations:audit": admin_page(),
}

PROGRAM_PAGES = {
    "programs:list": tenant(),
    "programs:create": admin_page(),
    "programs:dashboard": tenant(),
    "programs:edit": tenant(),
    "programs:cycles": tenant(),
    "programs:cycle_edit": tenant(pk("cycle")),
    "programs:mentors": tenant(),
    "programs:mentor_add": tenant(),
    "programs:mentor_detail": tenant(pk("mentor")),
    "programs:mentor_status": tenant(pk("mentor_enrolment")),
    "programs:mentees": tenant(),
    "programs:mentee_add": tenant(),
    "programs:mentee_status": tenant(pk("mentee_enrolment")),
    "programs:pairings": tenant(),
    "programs:pairing_create": tenant(),
    "programs:pairing_edit": tenant(pk("pairing")),
    "programs:people": tenant(),
    "programs:person_create": tenant(),
    "programs:person_edit": tenant(pk("mentor")),
}

HOURS_PAGES = {
    "hours:sessions": tenant(),
    "hours:session_create": tenant(),
    "hours:sessions_bulk": tenant(),
    "hours:session_edit": tenant(pk("session")),
    "hours:training_hours": tenant(),
    "hours:certificate": tenant(lambda world: {"pk": world.mentor.pk, "year": 2026}),
    "hours:my_space": member_page(),
    "hours:my_certificate": member_page(lambda world: {"year": 2026}),
    "hours:my_session_create": member_page(),
    "hours:my_session_confirm": member_page(pk("session_to_confirm")),
}

IMPORT_PAGES = {
    "imports:list": tenant(),
    "imports:detail": tenant(pk("import_job")),
    "imports:commit": tenant(pk("import_job")),
    "imports:progress": tenant(pk("import_job")),
    "imports:restart": tenant(pk("import_job")),
    "imports:sample": tenant(lambda world: {"kind": "people"}),
}

SURVEY_PAGES = {
    "surveys:list": tenant(),
    "surveys:create": tenant(),
    "surveys:detail": tenant(pk("survey")),
    "surveys:edit": tenant(pk("survey")),
    "surveys:copy": tenant(pk("survey")),
    "surveys:preview": tenant(pk("survey")),
    "surveys:question_create": tenant(pk("survey")),
    **{
        f"surveys:{name}": tenant(
            lambda world: {"pk": world.survey.pk, "question_pk": world.question.pk}
        )
        for name in ("question_edit", "question_delete", "question_move")
    },
    "surveys:campaigns": tenant(),
    "surveys:campaign_create": tenant(),
    **{
        f"surveys:{name}": tenant(pk("campaign"))
        for name in (
            "campaign_detail",
            "campaign_rate",
            "campaign_remind",
            "campaign_close",
            "campaign_resend",
            "campaign_recipients",
        )
    },
    "surveys:recipient_new_link": tenant(
        lambda world: {"pk": world.campaign.pk, "recipient_pk": world.recipient.pk}
    ),
    "surveys:voice": tenant(),
    "surveys:my_surveys": member_page(),
    "surveys:my_answer": member_page(pk("recipient")),
    "survey_links:answer": personal_link(token("recipient")),
}

PROFILE_PAGES = {
    "profiles:mine": member_page(),
    "profiles:edit_mine": member_page(),
    "profiles:history": tenant(pk("mentor")),
}


def budget_entry(world):
    return {"pk": world.budget.pk, "entry_pk": world.commitment.pk}


def plan_line(world):
    return {"pk": world.plan.pk, "line_pk": world.plan_line.pk}


RECOGNITION_PAGES = {
    "recognition:culture": tenant(),
    "recognition:culture_edit": admin_page(),
    "recognition:catalog": tenant(),
    "recognition:option_create": tenant(),
    **{
        f"recognition:{name}": tenant(pk("option"))
        for name in ("option_detail", "option_edit", "option_retire", "option_reactivate")
    },
    "recognition:budgets": tenant(),
    "recognition:budget_create": tenant(),
    **{
        f"recognition:{name}": tenant(pk("budget"))
        for name in ("budget_detail", "budget_edit", "budget_commit", "budget_spend")
    },
    "recognition:commitment_spend": tenant(budget_entry),
    "recognition:commitment_release": tenant(budget_entry),
    "recognition:compensation": tenant(),
    "recognition:compensation_decide": tenant(),
    "recognition:calendar": tenant(),
    "recognition:calendar_feed_reset": tenant(),
    "recognition:important_dates": tenant(),
    "recognition:important_date_create": tenant(),
    "recognition:important_date_edit": tenant(pk("important_date")),
    "recognition:important_date_delete": tenant(pk("important_date")),
    "recognition:plans": tenant(),
    "recognition:plan_create": tenant(),
    **{
        f"recognition:{name}": tenant(pk("plan"))
        for name in (
            "plan_detail",
            "plan_progress",
            "plan_rules",
            "plan_recompute",
            "plan_approve",
            "plan_delete",
            "plan_ics",
            "plan_line_add",
        )
    },
    **{
        f"recognition:{name}": tenant(plan_line)
        for name in ("plan_line_edit", "plan_line_delete", "plan_line_lock")
    },
    "recognition:awards": tenant(),
    "recognition:award_create": tenant(),
    **{
        f"recognition:{name}": tenant(pk("award"))
        for name in ("award_detail", "award_edit", "award_approve", "award_give", "award_cancel")
    },
    "recognition:my_awards": member_page(),
    "recognition:my_award": member_page(pk("award")),
    "recognition:note_campaigns": tenant(),
    "recognition:note_campaign_create": tenant(),
    **{
        f"recognition:{name}": tenant(pk("note_campaign"))
        for name in ("note_campaign_detail", "note_moderate", "note_campaign_close")
    },
    "recognition:note_writer_new_link": tenant(
        lambda world: {"pk": world.note_campaign.pk, "writer_pk": world.note_writer.pk}
    ),
    "recognition:note_card": tenant(
        lambda world: {"pk": world.closed_note_campaign.pk, "mentor_pk": world.mentor.pk}
    ),
    "recognition:my_notes": member_page(),
    "recognition:my_note_card": member_page(pk("closed_note_campaign")),
    "recognition:my_kudos": member_page(),
    "recognition:kudos_give": member_page(),
    "recognition:events": tenant(),
    "recognition:event_create": tenant(),
    **{
        f"recognition:{name}": tenant(pk("event"))
        for name in (
            "event_detail",
            "event_edit",
            "event_invite",
            "event_attendance",
            "event_cancel",
            "event_ics",
        )
    },
    "recognition:event_invitation_new_link": tenant(
        lambda world: {"pk": world.event.pk, "invitation_pk": world.event_invitation.pk}
    ),
    "recognition:my_events": member_page(),
    "recognition:spotlights": tenant(),
    "recognition:spotlight_create": tenant(),
    **{
        f"recognition:{name}": tenant(pk("spotlight"))
        for name in (
            "spotlight_detail",
            "spotlight_edit",
            "spotlight_delete",
            "spotlight_markdown",
            "spotlight_html",
            "spotlight_chat",
        )
    },
    "recognition_public:calendar_feed": personal_link(token("calendar_feed")),
    "notes_public:write": personal_link(token("note_writer")),
    "events_public:rsvp": personal_link(token("event_invitation")),
}


def issuer_id(world):
    return {"public_id": world.issuer.public_id}


def credential_id(world):
    return {"public_id": world.credential.public_id}


CREDENTIAL_PAGES = {
    "credentials:issuer": personal_link(issuer_id),
    "credentials:issuer_keys": personal_link(issuer_id),
    "credentials:status_list": personal_link(
        lambda world: {"public_id": world.issuer.public_id, "number": world.status_list.number}
    ),
    "credentials:achievement": personal_link(
        lambda world: {"public_id": world.issuer.public_id, "badge_id": world.badge.public_id}
    ),
    "credentials:achievement_image": personal_link(
        lambda world: {"public_id": world.issuer.public_id, "badge_id": world.badge.public_id}
    ),
    **{
        f"credentials:{name}": personal_link(credential_id)
        for name in (
            "credential",
            "credential_json",
            "credential_jwt",
            "credential_png",
            "credential_svg",
            "credential_pdf",
        )
    },
    "credentials:verify": public(),
    "credentials:public_profile": personal_link(
        lambda world: {"public_id": world.public_profile.public_id}
    ),
    "credentials:badges": tenant(),
    "credentials:badge_create": tenant(),
    "credentials:badge_preview": tenant(
        query="shape=medallion&palette=forest&emblem=clock&label=100+h"
    ),
    "credentials:badge_rules_run": tenant(),
    "credentials:issuance_job": tenant(lambda world: {"job_pk": world.issuance_job.pk}),
    "credentials:badge_detail": tenant(pk("badge")),
    "credentials:badge_edit": tenant(pk("badge")),
    "credentials:badge_award": tenant(pk("badge")),
    "credentials:issued": tenant(),
    "credentials:issued_detail": tenant(pk("credential")),
    "credentials:issued_revoke": tenant(pk("credential")),
    "credentials:award_certificate": tenant(pk("award")),
    "credentials:issuer_settings": admin_page(),
    "credentials:issuer_rotate_key": admin_page(),
    "credentials:my_credentials": member_page(),
    "credentials:my_public_profile": member_page(),
}


def edition_and(row_name, kwarg):
    return lambda world: {"pk": world.edition.pk, kwarg: getattr(world, row_name).pk}


CONTEST_PAGES = {
    "contests:editions": tenant(),
    "contests:edition_create": tenant(),
    **{
        f"contests:{name}": tenant(pk("edition"))
        for name in (
            "edition_detail",
            "edition_edit",
            "nomination_link_renew",
            "category_create",
            "criterion_create",
            "jury",
            "nominees",
            "results",
            "announce",
        )
    },
    "contests:category_edit": tenant(edition_and("category", "category_pk")),
    "contests:category_delete": tenant(edition_and("category", "category_pk")),
    "contests:criterion_edit": tenant(edition_and("criterion", "criterion_pk")),
    "contests:criterion_delete": tenant(edition_and("criterion", "criterion_pk")),
    **{
        f"contests:{name}": tenant(edition_and("juror", "juror_pk"))
        for name in ("juror_detail", "juror_remove", "juror_invite", "juror_conflicts")
    },
    "contests:nominee_detail": tenant(edition_and("nominee", "nominee_pk")),
    "contests:nominee_withdraw": tenant(edition_and("nominee", "nominee_pk")),
    "contests:evidence": tenant(edition_and("nomination", "nomination_pk")),
    "contests:scores_export": tenant(
        lambda world: {"pk": world.edition.pk, "export_format": "csv"}
    ),
    "contests:my_nominations": member_page(),
    "contests:nominate": member_page(pk("edition")),
    "contests:nominate_by_link": personal_link(token("edition", "nomination_token")),
    "contests:nomination_change": personal_link(token("nomination")),
    "contests:nominee_page": personal_link(token("nominee")),
    "contests:juror_home": personal_link(token("juror")),
    "contests:juror_declare": personal_link(token("juror")),
    "contests:juror_score": personal_link(
        lambda world: {"token": world.juror.token, "nominee_pk": world.nominee.pk}
    ),
    "contests:juror_evidence": personal_link(
        lambda world: {"token": world.juror.token, "nomination_pk": world.nomination.pk}
    ),
}

INSIGHT_PAGES = {
    "insights:health": tenant(),
    "insights:impact": tenant(),
    "insights:attention": tenant(),
    "insights:timing": tenant(),
    "insights:reports": tenant(),
    "insights:report_progress": tenant(pk("report")),
    "insights:report_download": tenant(lambda world: {"pk": world.report.pk, "file_format": "pdf"}),
}

INTEGRATION_PAGES = {
    "integrations:tokens": admin_page(),
    "integrations:token_revoke": admin_page(pk("api_token")),
    "integrations:webhooks": admin_page(),
    "integrations:webhook_create": admin_page(),
    **{
        f"integrations:{name}": admin_page(pk("webhook"))
        for name in ("webhook_detail", "webhook_edit", "webhook_delete", "webhook_test")
    },
    "integrations:webhook_delivery_retry": admin_page(
        lambda world: {"pk": world.webhook.pk, "delivery_pk": world.delivery.pk}
    ),
}

PRIVACY_PAGES = {
    **{
        f"privacy:{name}": admin_page(pk("mentor"))
        for name in ("person", "person_export", "person_export_json", "person_erase")
    },
    "privacy:my_data": member_page(),
    "privacy:my_data_json": member_page(),
    "privacy:retention": admin_page(),
}

PAGES = {
    **ADMIN_SIGN_IN,
    **ACCOUNT_PAGES,
    **ORGANISATION_PAGES,
    **PROGRAM_PAGES,
    **HOURS_PAGES,
    **IMPORT_PAGES,
    **SURVEY_PAGES,
    **PROFILE_PAGES,
    **RECOGNITION_PAGES,
    **CREDENTIAL_PAGES,
    **CONTEST_PAGES,
    **INSIGHT_PAGES,
    **INTEGRATION_PAGES,
    **PRIVACY_PAGES,
}


# --- The URL patterns --------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern of the site: `key` is its `namespace:name` (its route when unnamed)."""

    key: str
    namespace: str
    route: str
    callback: object
    kwarg_names: tuple = field(default=())

    @property
    def page(self):
        top = self.namespace.split(":")[0]
        return PAGES.get(self.key) or NAMESPACES.get(top)

    @property
    def object_ids(self):
        return tuple(name for name in self.kwarg_names if is_object_id(name))

    @property
    def is_program_page(self):
        return "program_slug" in self.kwarg_names


def _kwarg_names(pattern):
    regex = pattern.regex
    return tuple(regex.groupindex)


def _walk(resolver, prefix="", namespace="", names=()):
    for pattern in resolver.url_patterns:
        here = names + _kwarg_names(pattern.pattern)
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern, route, inner, here)
        elif isinstance(pattern, URLPattern):
            key = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield Route(key or route, namespace, route, pattern.callback, here)


def routes():
    """Every URL pattern of the site, in the order Django tries them."""
    return list(_walk(get_resolver()))


def address(route, kwargs):
    """The path of `route` with `kwargs` (by substitution: unnamed patterns cannot be
    reversed)."""
    regex_route = route.route

    def converter(match):
        return str(kwargs[match.group(1)])

    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", converter, regex_route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", converter, path)
    path = "/" + path.replace("^", "").replace("$", "")
    return f"{path}?{route.page.query}" if route.page.query else path


# --- The world ---------------------------------------------------------------------------------

ROLES = (Role.ADMIN, Role.MANAGER, Role.MENTOR, Role.MENTEE, Role.PARTICIPANT)


def _member(organisation, role, slug):
    user = factories.UserFactory(email=f"{role}@{slug}.example.org")
    membership = factories.MembershipFactory(organisation=organisation, user=user, role=role)
    return user, membership


def build_world(slug):
    """One organisation (`slug`) with a member of each role, two programs (the manager manages
    the first, `program`, not `other_program`) and one row of every kind its pages show."""
    world = SimpleNamespace()
    organisation = world.organisation = factories.OrganisationFactory(name=slug, slug=slug)
    world.users = {}
    for role in ROLES:
        world.users[role], membership = _member(organisation, role, slug)
        setattr(world, f"{role}_membership", membership)
    program = world.program = factories.ProgramFactory(
        organisation=organisation, slug=f"{slug}-program"
    )
    world.other_program = factories.ProgramFactory(
        organisation=organisation, slug=f"{slug}-other-program"
    )
    program.managers.add(world.users[Role.MANAGER])
    _single_sign_on(world)
    _people(world)
    _surveys(world)
    _recognition(world)
    _credentials(world)
    _contests(world)
    _integrations(world)
    return world


def _single_sign_on(world):
    """Its own sign-in through an identity provider, passwords still allowed."""
    from allauth.socialaccount.models import SocialApp

    from laurier.accounts.models import SingleSignOn

    slug = world.organisation.slug
    world.sso_app = SocialApp.objects.create(
        provider="openid_connect", provider_id=f"{slug}-sso", name=slug, client_id=slug,
        secret="secret", settings={"server_url": "https://id.example.org"},
    )  # fmt: skip
    SingleSignOn.objects.create(organisation=world.organisation, app=world.sso_app)


def _people(world):
    from laurier.hours.models import LoggedBy
    from laurier.imports.models import ImportJob, ImportKind, ImportSource
    from laurier.programs.models import MenteeEnrolment, MentorEnrolment

    organisation, program = world.organisation, world.program
    world.mentor = factories.PersonFactory(
        organisation=organisation, user=world.users[Role.MENTOR], email="mentor@example.org"
    )
    world.mentee = factories.PersonFactory(
        organisation=organisation, user=world.users[Role.MENTEE], email="mentee@example.org"
    )
    # A person with nothing of their own: the mentor's rows are none of theirs.
    world.participant = factories.PersonFactory(
        organisation=organisation, user=world.users[Role.PARTICIPANT]
    )
    world.cycle = factories.CycleFactory(program=program)
    world.pairing = factories.PairingFactory(
        program=program, mentor=world.mentor, mentee=world.mentee
    )
    world.mentor_enrolment = MentorEnrolment.objects.get(program=program, person=world.mentor)
    world.mentee_enrolment = MenteeEnrolment.objects.get(program=program, person=world.mentee)
    world.session = factories.MentoringSessionFactory(pairing=world.pairing)
    # Logged by the mentee: the mentor confirms it.
    world.session_to_confirm = factories.MentoringSessionFactory(
        pairing=world.pairing, logged_by=LoggedBy.MENTEE, confirmed_at=None
    )
    world.invitation = factories.InvitationFactory(organisation=organisation)
    world.import_job = ImportJob.objects.create(
        organisation=organisation,
        kind=ImportKind.PEOPLE,
        source=ImportSource.PAGE,
        program=world.program,
        file=ContentFile(b"first_name,last_name,email\n", name="people.csv"),
        original_name="people.csv",
        created_by=world.users[Role.MANAGER],
        status=ImportJob.Status.DONE,
    )


def _surveys(world):
    world.survey = factories.SurveyFactory(organisation=world.organisation)
    world.question = factories.QuestionFactory(survey=world.survey)
    world.campaign = factories.CampaignFactory(program=world.program)
    world.recipient = factories.RecipientFactory(campaign=world.campaign, person=world.mentor)


def _recognition(world):
    from laurier.recognition.models import (
        CalendarFeed,
        ImportantDate,
        Plan,
        PlanLine,
        Spotlight,
    )
    from laurier.recognition.services import events, notes

    organisation, program = world.organisation, world.program
    manager = world.users[Role.MANAGER]
    factories.CultureProfileFactory(organisation=organisation)
    world.option = factories.RecognitionOptionFactory(organisation=organisation)
    world.budget = factories.BudgetFactory(program=program)
    world.commitment = factories.LedgerEntryFactory(budget=world.budget)
    world.important_date = ImportantDate.objects.create(
        organisation=organisation, program=program, name_en="Founding day",
        date=datetime.date(2026, 6, 1),
    )  # fmt: skip
    world.calendar_feed = CalendarFeed.objects.create(
        program=program, token=f"{organisation.slug}-feed", created_at=timezone.now()
    )
    world.plan = Plan.objects.create(
        organisation=organisation, program=program, status=Plan.Status.DRAFT,
        starts_on=datetime.date(2026, 4, 1), ends_on=datetime.date(2027, 3, 31),
    )  # fmt: skip
    world.plan_line = PlanLine.objects.create(
        plan=world.plan, mentor=world.mentor, option=world.option, moment_key="cycle-end",
        moment_date=datetime.date(2026, 12, 31), moment_kind="cycle_end",
    )  # fmt: skip
    world.award = factories.AwardFactory(program=program, mentor=world.mentor, option=world.option)
    closes_on = timezone.localdate() + datetime.timedelta(days=14)
    # Closed: its notes have reached the mentor, whose card is now theirs to download.
    world.closed_note_campaign, _created = notes.create_note_campaign(
        program=program, actor=manager, closes_on=closes_on, mentor=world.mentor
    )
    writer = world.closed_note_campaign.writers.get()
    note, _created = notes.write_note(
        writer, mentor=world.mentor, text="Thank you.", signature="Mentee"
    )
    notes.moderate_notes(
        world.closed_note_campaign, actor=manager, note_ids=[note.pk], approve=True
    )
    notes.close_note_campaign(world.closed_note_campaign, actor=manager)
    world.note_campaign, _created = notes.create_note_campaign(
        program=program, actor=manager, closes_on=closes_on, mentor=world.mentor
    )
    world.note_writer = world.note_campaign.writers.get()
    starts_at = timezone.now() + datetime.timedelta(days=7)
    world.event, _created = events.create_event(
        program=program, actor=manager, kind="gala", name_en="Gala", name_fr="Gala",
        place="Québec", starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=3),
    )  # fmt: skip
    world.event_invitation = world.event.invitations.create(person=world.mentor)
    world.spotlight = Spotlight.objects.create(
        organisation=organisation, program=program, mentor=world.mentor,
        title_fr="Portrait", title_en="Spotlight", body_fr="Texte", body_en="Text",
    )  # fmt: skip


def _credentials(world):
    from laurier.credentials.models import IssuanceJob, PublicProfile, StatusList
    from laurier.credentials.services.awarding import award_badge
    from laurier.credentials.services.issuance import issuer_for

    organisation = world.organisation
    world.badge = factories.BadgeClassFactory(organisation=organisation)
    world.credential, _created = award_badge(world.badge, world.mentor, actor=None)
    world.issuer = issuer_for(organisation)
    world.status_list = StatusList.objects.filter(issuer=world.issuer).first()
    world.issuance_job = IssuanceJob.objects.create(
        organisation=organisation, badge_class=world.badge, person_ids=[], total=0
    )
    world.public_profile = PublicProfile.objects.create(
        person=world.mentor, published_at=timezone.now()
    )


def _contests(world):
    world.edition = factories.EditionFactory(program=world.program)
    world.category = factories.CategoryFactory(edition=world.edition)
    world.criterion = factories.CriterionFactory(edition=world.edition)
    world.juror = factories.JurorFactory(edition=world.edition)
    world.nominee = factories.NomineeFactory(category=world.category, person=world.mentor)
    world.nomination = factories.NominationFactory(
        nominee=world.nominee,
        evidence=ContentFile(b"%PDF-1.4\n", name="evidence.pdf"),
    )
    # After the nominations: the juror reads them all.
    world.juror.conflicts_confirmed_at = timezone.now()
    world.juror.save(update_fields=["conflicts_confirmed_at"])


# A test event or a retry sent from a page stays on this machine, and is refused at once.
NOBODY_LISTENS = "http://127.0.0.1:9/laurier"


def _integrations(world):
    from laurier.api.models import WebhookEndpoint
    from laurier.insights.models import AnnualReport
    from laurier.outbox.models import OutgoingWebhook
    from laurier.testing.api import make_token

    organisation, admin = world.organisation, world.users[Role.ADMIN]
    world.api_token, _key = make_token(organisation, admin)
    world.webhook = WebhookEndpoint.objects.create(
        organisation=organisation, url=NOBODY_LISTENS, events=["award.given"]
    )
    world.delivery = OutgoingWebhook.objects.create(
        organisation=organisation, url=world.webhook.url, endpoint=world.webhook,
        payload={"event": "award.given"}, status=OutgoingWebhook.Status.FAILED,
    )  # fmt: skip
    world.report = AnnualReport.objects.create(
        organisation=organisation, program=world.program, fiscal_year=2026, language="en",
        status=AnnualReport.Status.READY, requested_by=admin,
        pdf=ContentFile(b"%PDF-1.4\n", name="report.pdf"),
        xlsx=ContentFile(b"PK", name="report.xlsx"),
    )  # fmt: skip
