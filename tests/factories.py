import factory
from allauth.account.models import EmailAddress
from django.utils.text import slugify

from portal.models import Invitation, Organisation, Role, User, UserRole

PASSWORD = "correct-horse-battery-42"


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


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"genodigde{n}@voorbeeld.example")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    organisation = factory.SubFactory(OrganisationFactory)
    roles = factory.LazyFunction(lambda: [Role.DEELNEMER.value])
