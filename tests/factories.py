import datetime as _dt
from typing import NamedTuple

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify

from coaching.models import AvailabilitySlot, CoachingSession, Trajectory
from intervisie.models import Group, Poll, Session, Slot
from leergang import models as lg
from portal import mfa
from portal.mfa import requires_two_factor
from portal.models import Invitation, Organisation, Role, User, UserRole

PASSWORD = "correct-horse-battery-42"
# Staff made by the factories have TOTP with this secret (base32), as staff must
# (portal.mfa): ``totp_code()`` gives the code of the moment.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET, at=None) -> str:
    return mfa.totp_code(secret, at)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Gemeente Voorbeeld {n}")
    kind = Organisation.Kind.GEMEENTE
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class ProviderFactory(OrganisationFactory):
    name = "Academie voor Publiek Vakmanschap"
    kind = Organisation.Kind.OPLEIDER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@voorbeeld.example")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()
        for role in extracted if extracted is not None else [Role.DEELNEMER]:
            UserRole.objects.create(user=self, role=role)
        EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)
        self.__dict__.pop("roles", None)

    @factory.post_generation
    def second_factor(self, create, extracted, **kwargs):
        """Staff get TOTP unless ``second_factor=False``; others only when asked."""
        if not create:
            return
        wanted = extracted if extracted is not None else requires_two_factor(self)
        if wanted:
            TOTP.activate(self, TOTP_SECRET)
        self.__dict__.pop("roles", None)


# --- the personas of DOMAIN.md -------------------------------------------------------------

ORGANISATIONS = {
    "utrecht": {"name": "Gemeente Utrecht", "slug": "gemeente-utrecht"},
    "nijmegen": {"name": "Gemeente Nijmegen", "slug": "gemeente-nijmegen"},
}


class Persona(NamedTuple):
    organisation: str  # a key of ORGANISATIONS, or "provider"
    email: str
    role: str


# One per role, and outsiders from another organisation: "outsider" is a participant of
# Nijmegen, "outsider_hr" Nijmegen's HR (sees its own people, never Utrecht's).
PERSONAS = {
    "participant": Persona("utrecht", "deelnemer@utrecht.example", Role.DEELNEMER),
    "hr": Persona("utrecht", "hr@utrecht.example", Role.HR),
    "trainer": Persona("provider", "trainer@academie.example", Role.TRAINER),
    "coach": Persona("provider", "coach@academie.example", Role.COACH),
    "beheerder": Persona("provider", "beheerder@academie.example", Role.BEHEERDER),
    "outsider": Persona("nijmegen", "deelnemer@nijmegen.example", Role.DEELNEMER),
    "outsider_hr": Persona("nijmegen", "hr@nijmegen.example", Role.HR),
}


def make_organisation(key):
    """Gemeente Utrecht, Gemeente Nijmegen or the provider (made once, then found)."""
    if key == "provider":
        return ProviderFactory()
    return OrganisationFactory(**ORGANISATIONS[key])


def make_persona(name, organisation=None):
    persona = PERSONAS[name]
    return UserFactory(
        email=persona.email,
        organisation=organisation or make_organisation(persona.organisation),
        roles=[persona.role],
    )


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"genodigde{n}@voorbeeld.example")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    organisation = factory.SubFactory(OrganisationFactory)
    roles = factory.LazyFunction(lambda: [Role.DEELNEMER.value])


def _provider_staff(role):
    """A new person with ``role`` who works for a new training provider (a trainer, a coach)."""
    return factory.SubFactory(
        UserFactory, roles=[role], organisation=factory.SubFactory(ProviderFactory)
    )


class PlannedFactory(factory.django.DjangoModelFactory):
    """Something in the calendar: it starts ``in_days`` from now and lasts ``lasting``."""

    class Meta:
        abstract = True

    class Params:
        in_days = 7
        lasting = _dt.timedelta(hours=1)

    starts_at = factory.LazyAttribute(lambda o: timezone.now() + _dt.timedelta(days=o.in_days))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + o.lasting)
    location = "Utrecht, Stadskantoor"


# --- leergang ------------------------------------------------------------------------------


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lg.Module

    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Een module over vakmanschap."
    learning_goals = "Je kent je eigen stijl.\nJe herkent die van anderen."
    reflection_assignment = "Beschrijf een situatie waarin je dit toepaste."


class MaterialFactory(factory.django.DjangoModelFactory):
    """A worksheet to download (a file material)."""

    class Meta:
        model = lg.Material

    module = factory.SubFactory(ModuleFactory)
    title = "Werkblad"
    kind = lg.Material.Kind.FILE
    file = factory.LazyFunction(lambda: SimpleUploadedFile("werkblad.pdf", b"%PDF-1.4"))


class LeergangFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = lg.Leergang
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Leergang {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "Een leergang voor publieke professionals."
    description = "Beschrijving."
    target_group = "Beleidsadviseurs"
    duration = "Zes maanden"

    @factory.post_generation
    def module_count(self, create, extracted, **kwargs):
        if create:
            for position in range(extracted if extracted is not None else 2):
                lg.LeergangModule.objects.create(
                    leergang=self, module=ModuleFactory(), position=position
                )


class CohortFactory(factory.django.DjangoModelFactory):
    """A cohort; ``participants=N`` enrols N new participants, ``bijeenkomsten=N`` plans
    one bijeenkomst per module (N at most the module count)."""

    class Meta:
        model = lg.Cohort
        skip_postgeneration_save = True

    leergang = factory.SubFactory(LeergangFactory)
    name = factory.Sequence(lambda n: f"Groep {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + _dt.timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + _dt.timedelta(days=120))
    seats = 12
    cancellation_deadline = factory.LazyAttribute(lambda o: o.starts_on - _dt.timedelta(days=7))

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.set(extracted)

    @factory.post_generation
    def bijeenkomsten(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        start = timezone.make_aware(_dt.datetime.combine(self.starts_on, _dt.time(13, 30)))
        links = list(self.leergang.module_links.select_related("module"))
        for index in range(extracted):
            module = links[index].module if index < len(links) else None
            BijeenkomstFactory(
                cohort=self, module=module, starts_at=start + _dt.timedelta(weeks=2 * index)
            )

    @factory.post_generation
    def participants(self, create, extracted, **kwargs):
        if create and extracted:
            for _n in range(extracted):
                EnrolmentFactory(cohort=self)


class BijeenkomstFactory(PlannedFactory):
    class Meta:
        model = lg.Bijeenkomst

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Bijeenkomst {n}")

    class Params:
        in_days = 30
        lasting = _dt.timedelta(hours=3, minutes=30)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An enrolment in a given state, with its audit row (no e-mail: made directly)."""

    class Meta:
        model = lg.Enrolment
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    participant = factory.SubFactory(UserFactory)
    state = lg.Enrolment.State.ENROLLED
    waitlisted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.state == lg.Enrolment.State.WAITLISTED else None
    )

    @factory.post_generation
    def audit(self, create, extracted, **kwargs):
        if create:
            lg.EnrolmentTransition.objects.create(enrolment=self, to_state=self.state)


# --- intervisie ----------------------------------------------------------------------------


class GroupFactory(factory.django.DjangoModelFactory):
    """An intervisie group; ``members=[enrolment, ...]`` or ``member_count=N`` (new ones)."""

    class Meta:
        model = Group
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Groep {n}")
    begeleider = _provider_staff(Role.TRAINER)

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            for enrolment in extracted:
                self.memberships.create(enrolment=enrolment)

    @factory.post_generation
    def member_count(self, create, extracted, **kwargs):
        if create and extracted:
            for _n in range(extracted):
                self.memberships.create(enrolment=EnrolmentFactory(cohort=self.cohort))


class PollFactory(factory.django.DjangoModelFactory):
    """An open poll with ``slot_count`` slots (default 3) after it closes."""

    class Meta:
        model = Poll
        skip_postgeneration_save = True

    group = factory.SubFactory(GroupFactory)
    title = "Volgende intervisie"
    closes_at = factory.LazyFunction(lambda: timezone.now() + _dt.timedelta(days=5))

    @factory.post_generation
    def slot_count(self, create, extracted, **kwargs):
        if not create:
            return
        for index in range(extracted if extracted is not None else 3):
            start = self.closes_at + _dt.timedelta(days=2 + index)
            Slot.objects.create(
                poll=self,
                starts_at=start,
                ends_at=start + _dt.timedelta(hours=2, minutes=30),
                location="Utrecht, Stadskantoor",
            )


class IntervisieSessionFactory(PlannedFactory):
    class Meta:
        model = Session

    group = factory.SubFactory(GroupFactory)

    class Params:
        in_days = 14
        lasting = _dt.timedelta(hours=2, minutes=30)


# --- coaching ------------------------------------------------------------------------------


class TrajectoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trajectory

    participant = factory.SubFactory(UserFactory)
    coach = _provider_staff(Role.COACH)
    agreed_sessions = 6


class AvailabilitySlotFactory(PlannedFactory):
    class Meta:
        model = AvailabilitySlot

    coach = _provider_staff(Role.COACH)
    location = "Utrecht, Academie"


class CoachingSessionFactory(PlannedFactory):
    """A session written directly (no invitation); past ones can be marked held."""

    class Meta:
        model = CoachingSession

    trajectory = factory.SubFactory(TrajectoryFactory)
    location = "Utrecht, Academie"
