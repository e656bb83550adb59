"""factory-boy factories and the shared personas."""

from types import SimpleNamespace

import factory

from core.models import Item, ItemKind, Visibility
from people.models import Skill, User
from spaces.models import Membership, Space


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    display_name = factory.LazyAttribute(lambda o: o.username.title())
    password = factory.django.Password("correct-horse-battery")


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    name = factory.Sequence(lambda n: f"Space {n}")
    slug = factory.Sequence(lambda n: f"space-{n}")
    created_by = factory.SubFactory(UserFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    space = factory.SubFactory(SpaceFactory)
    user = factory.SubFactory(UserFactory)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    name = factory.Sequence(lambda n: f"Skill {n}")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    kind = ItemKind.FILE
    title = factory.Sequence(lambda n: f"Item {n}")
    owner = factory.SubFactory(UserFactory)
    visibility = Visibility.ORGANISATION


def make_personas() -> SimpleNamespace:
    alice = UserFactory(username="alice", display_name="Alice Learner")
    mo = UserFactory(username="mo", display_name="Mo Mentor")
    lee = UserFactory(username="lee", display_name="Lee Curator", role=User.Role.CURATOR)
    ada = UserFactory(username="ada", display_name="Ada Admin", role=User.Role.ADMIN, is_staff=True)
    gus = UserFactory(username="gus", display_name="Gus Guest", role=User.Role.GUEST)
    olly = UserFactory(username="olly", display_name="Olly Outsider")
    team = SpaceFactory(name="Team", slug="team", created_by=mo, visibility=Space.Visibility.INVITE_ONLY)
    elsewhere = SpaceFactory(
        name="Elsewhere", slug="elsewhere", created_by=olly, visibility=Space.Visibility.INVITE_ONLY
    )
    MembershipFactory(space=team, user=mo, role=Membership.Role.OWNER)
    MembershipFactory(space=team, user=alice)
    MembershipFactory(space=team, user=gus)
    MembershipFactory(space=elsewhere, user=olly, role=Membership.Role.OWNER)
    for space in (team, elsewhere):
        space.member_count = space.memberships.filter(state=Membership.State.ACTIVE).count()
        space.save(update_fields=["member_count"])
    return SimpleNamespace(alice=alice, mo=mo, lee=lee, ada=ada, gus=gus, olly=olly, team=team, elsewhere=elsewhere)
